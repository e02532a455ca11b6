################################################################################
# State table (issue 17): the function's memory across containers and
# redeliveries - per finding (first seen, highest severity, last count,
# lifecycle) and per (finding occurrence, channel) delivery receipts and
# message references. Single-table design:
#   pk = FINDING#<id>, sk = META                            the finding
#   pk = FINDING#<id>, sk = DELIVERY#<occurrence>#<channel>  a receipt
# Items carry expiresAt (epoch seconds) so DynamoDB's TTL removes them after
# state_ttl_days. The function fails open: a throttled or missing table means
# stateless delivery, never a withheld alert.
################################################################################

locals {
  create_state_table = var.create_state_table && var.existing_state_table_arn == null
  state_table_arn    = local.create_state_table ? aws_dynamodb_table.state[0].arn : var.existing_state_table_arn
  state_table_name   = local.state_table_arn == null ? null : (local.create_state_table ? aws_dynamodb_table.state[0].name : element(split("/", var.existing_state_table_arn), 1))
  use_state_table    = local.state_table_arn != null

  state_ttl_attribute = "expiresAt"
}

resource "aws_dynamodb_table" "state" {
  count = local.create_state_table ? 1 : 0

  name         = "${var.name}-state"
  billing_mode = "PAY_PER_REQUEST" # on-demand: bursts of findings, idle otherwise
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  ttl {
    attribute_name = local.state_ttl_attribute
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  # With kms_key_arn, that key. Without, DynamoDB's default AWS owned key:
  # encrypted at rest, no key policy to maintain and no KMS request charges
  # (the AWS managed aws/dynamodb key would add both, and no control).
  dynamic "server_side_encryption" {
    for_each = var.kms_key_arn != null ? [1] : []
    content {
      enabled     = true
      kms_key_arn = var.kms_key_arn
    }
  }

  deletion_protection_enabled = var.state_table_deletion_protection

  tags = var.tags

  #checkov:skip=CKV_AWS_119:Encrypted with kms_key_arn when the user gives one; otherwise with DynamoDB's AWS owned key (always on), a deliberate default that needs no key policy and costs nothing per request.
}
