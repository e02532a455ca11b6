# The notifier with every default: one apply against a mocked AWS provider.
# Runs target modules/notifier directly so the mocks can address its
# resources (override targets cannot name a counted module's instance).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/guardduty-notify-function" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = {
      arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardduty-notify/config-AbCdEf"
      id  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardduty-notify/config-AbCdEf"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/guardduty-notify" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:guardduty-notify" }
  }
}

override_resource {
  target = aws_sqs_queue.this
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
  }
}

override_resource {
  target = aws_sqs_queue.dlq
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify-dlq"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify-dlq"
  }
}

# Terraform < 1.17 rejects an unset optional ephemeral variable in test apply
# runs (hashicorp/terraform#38974), so apply runs set config_json (and its
# version: the module warns about config_json without one). The modes that
# leave it null are planned in secret.tftest.hcl.
variables {
  config_json         = "{}"
  config_json_version = 1
}

run "defaults" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  assert {
    condition     = aws_lambda_function.this.runtime == "nodejs22.x" && aws_lambda_function.this.architectures == tolist(["arm64"]) && aws_lambda_function.this.handler == "index.handler"
    error_message = "The function must run index.handler on nodejs22.x, arm64."
  }
  assert {
    condition     = aws_lambda_function.this.memory_size == 256 && aws_lambda_function.this.timeout == 120 && aws_lambda_function.this.reserved_concurrent_executions == -1
    error_message = "Default memory 256 MB, timeout 120 s, unreserved concurrency."
  }
  assert {
    condition     = aws_lambda_function.this.source_code_hash == filebase64sha256("handler/dist/lambda.zip")
    error_message = "source_code_hash must be the committed bundle's base64 SHA-256."
  }
  assert {
    condition = aws_lambda_function.this.environment[0].variables == tomap({
      GDN_CONFIG_SECRET_ARN      = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardduty-notify/config-AbCdEf"
      GDN_CONFIG_REFRESH_SECONDS = "300"
      GDN_RETRY_QUEUE_URL        = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
      GDN_DLQ_URL                = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify-dlq"
      GDN_MAX_REQUEUES           = "5"
      GDN_METRICS_NAMESPACE      = "GuardDutyNotify"
      GDN_LOG_LEVEL              = "INFO"
      GDN_STATE_TABLE            = "guardduty-notify-state"
      GDN_STATE_TTL_DAYS         = "90"
    })
    error_message = "The function environment must match the handler contract."
  }
  assert {
    condition     = length(aws_lambda_function.this.vpc_config) == 0 && aws_lambda_function.this.kms_key_arn == null
    error_message = "No VPC and no customer managed key by default."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "The event source mapping must use partial batch responses."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.batch_size == 100 && aws_lambda_event_source_mapping.this.maximum_batching_window_in_seconds == 10 && length(aws_lambda_event_source_mapping.this.scaling_config) == 0
    error_message = "Default batch 10, no batching window, no concurrency cap."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.event_source_arn == aws_sqs_queue.this.arn
    error_message = "The event source must be the main queue."
  }
  assert {
    condition     = aws_sqs_queue.this.visibility_timeout_seconds == 6 * 120 + 10
    error_message = "Visibility timeout must be 6 x the function timeout + the batching window (10)."
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.this.redrive_policy) == { deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 10 }
    error_message = "The queue must redrive to the DLQ after 10 receives."
  }
  assert {
    condition     = aws_sqs_queue.this.sqs_managed_sse_enabled == true && aws_sqs_queue.dlq.sqs_managed_sse_enabled == true && aws_sqs_queue.this.kms_master_key_id == null
    error_message = "Without kms_key_arn both queues use SQS-managed SSE."
  }
  assert {
    condition     = aws_sqs_queue.this.message_retention_seconds == 345600 && aws_sqs_queue.dlq.message_retention_seconds == 1209600
    error_message = "Retention: 4 days in the queue, 14 days in the DLQ."
  }
  assert {
    condition     = aws_cloudwatch_event_rule.this[0].event_pattern == jsonencode({ source = ["aws.guardduty"], "detail-type" = ["GuardDuty Finding"], detail = { severity = [{ numeric = [">=", 1] }] } })
    error_message = "The default pattern matches every GuardDuty finding with severity >= 1."
  }
  assert {
    condition     = aws_cloudwatch_event_target.this[0].arn == aws_sqs_queue.this.arn && aws_cloudwatch_event_target.this[0].rule == "guardduty-notify"
    error_message = "The rule must target the main queue."
  }
  assert {
    condition = jsondecode(aws_sqs_queue_policy.this.policy).Statement[0] == {
      Sid       = "AllowGuardDutyFindingsRule"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify"
      Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify" } }
    }
    error_message = "Only the module's rule may send to the queue."
  }
  assert {
    condition     = jsondecode(aws_sqs_queue_policy.this.policy).Statement[1].Effect == "Deny" && jsondecode(aws_sqs_queue_policy.this.policy).Statement[1].Condition == { Bool = { "aws:SecureTransport" = "false" } }
    error_message = "The queue policy must deny requests without TLS."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this[0].name == "/aws/lambda/guardduty-notify" && aws_cloudwatch_log_group.this[0].retention_in_days == 365
    error_message = "The module creates the function's log group with 365 days retention."
  }
  assert {
    condition     = aws_secretsmanager_secret.this[0].name == "guardduty-notify/config" && aws_secretsmanager_secret.this[0].recovery_window_in_days == 30 && aws_secretsmanager_secret.this[0].kms_key_id == null
    error_message = "The module creates the config secret guardduty-notify/config."
  }
  assert {
    condition     = aws_secretsmanager_secret_version.this[0].secret_id == aws_secretsmanager_secret.this[0].id
    error_message = "With config_json_version the module writes config_json to its secret."
  }
  assert {
    condition     = length(aws_iam_role.this) == 1 && aws_iam_role.this[0].name == "guardduty-notify-function" && aws_iam_role.this[0].path == "/" && aws_iam_role.this[0].permissions_boundary == null
    error_message = "The module creates the function role."
  }
  assert {
    condition     = jsondecode(aws_iam_role.this[0].assume_role_policy).Statement[0].Principal == { Service = "lambda.amazonaws.com" }
    error_message = "Only Lambda may assume the function role."
  }
  assert {
    condition     = toset([for a in [aws_cloudwatch_metric_alarm.dlq_not_empty, aws_cloudwatch_metric_alarm.function_errors, aws_cloudwatch_metric_alarm.queue_age] : length(a)]) == toset([1])
    error_message = "The three alarms exist by default."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.dlq_not_empty[0].dimensions == tomap({ QueueName = "guardduty-notify-dlq" }) && aws_cloudwatch_metric_alarm.queue_age[0].threshold == 3600
    error_message = "Alarms watch the DLQ depth and the queue age."
  }
  assert {
    condition     = length(aws_cloudwatch_dashboard.this) == 0
    error_message = "No dashboard by default."
  }
  assert {
    condition     = output.event_bus_arn == "arn:aws:events:eu-west-1:123456789012:event-bus/default"
    error_message = "event_bus_arn must be the region's default bus."
  }
  assert {
    condition     = output.config_secret_arn == aws_secretsmanager_secret.this[0].arn && output.function_role_arn == aws_iam_role.this[0].arn
    error_message = "Outputs must expose the secret and role ARNs."
  }
}
