data "aws_region" "current" {}

locals {
  region = data.aws_region.current.id

  lambda_zip_path = coalesce(var.lambda_zip_path, "${path.module}/../../handler/dist/lambda.zip")
  log_group_name  = "/aws/lambda/${var.name}"

  kms_via_services = concat(
    ["secretsmanager.${local.region}.amazonaws.com", "lambda.${local.region}.amazonaws.com"],
    var.state_table_arn == null ? [] : ["dynamodb.${local.region}.amazonaws.com"],
  )

  policy_statements = concat(
    [
      {
        Sid      = "ReadConfigSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [var.config_secret_arn]
      },
      {
        # GuardDuty's findings actions have no resource-level permissions
        # (Service Authorization Reference: no resource type for ArchiveFindings,
        # GetFindings, UpdateFindingsFeedback, ListDetectors), so "*" is the only
        # resource they take; the condition keeps them to this region.
        Sid      = "ActOnFindingsInThisRegion"
        Effect   = "Allow"
        Action   = ["guardduty:ArchiveFindings", "guardduty:GetFindings", "guardduty:ListDetectors", "guardduty:UpdateFindingsFeedback"]
        Resource = ["*"]
        Condition = {
          StringEquals = { "aws:RequestedRegion" = local.region }
        }
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
      },
    ],
    var.state_table_arn == null ? [] : [{
      # Claims (one conditional write per finding and action) and the lifecycle they record.
      Sid      = "ClaimActionsInStateTable"
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      Resource = [var.state_table_arn]
    }],
    var.kms_key_arn == null ? [] : [{
      Sid       = "UseModuleKmsKey"
      Effect    = "Allow"
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = [var.kms_key_arn]
      Condition = { StringEquals = { "kms:ViaService" = local.kms_via_services } }
    }],
  )

  policy_json = jsonencode({ Version = "2012-10-17", Statement = local.policy_statements })
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.cloudwatch_log_group_retention_in_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name                 = "${var.name}-function"
  path                 = var.iam_role_path
  permissions_boundary = var.iam_role_permissions_boundary
  description          = "Execution role of the ${var.name} Slack interaction endpoint"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LambdaAssumeRole"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-function"
  role   = aws_iam_role.this.id
  policy = local.policy_json
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  description   = "Slack interactions (buttons) for GuardDuty findings: signature-checked, allow-listed"
  role          = aws_iam_role.this.arn

  filename         = local.lambda_zip_path
  source_code_hash = filebase64sha256(local.lambda_zip_path)
  handler          = "interaction.handler"
  runtime          = var.lambda_runtime
  architectures    = [var.lambda_architecture]
  memory_size      = var.lambda_memory_size
  timeout          = var.lambda_timeout
  kms_key_arn      = var.kms_key_arn

  reserved_concurrent_executions = var.lambda_reserved_concurrent_executions

  environment {
    variables = merge(
      {
        GDN_CONFIG_SECRET_ARN = var.config_secret_arn
        GDN_METRICS_NAMESPACE = var.metrics_namespace
        GDN_LOG_LEVEL         = var.lambda_log_level
        GDN_STATE_TTL_DAYS    = tostring(var.state_ttl_days)
      },
      var.state_table_arn == null ? {} : { GDN_STATE_TABLE = element(split("/", var.state_table_arn), 1) },
    )
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]

  #checkov:skip=CKV_AWS_116:Invoked synchronously by its function URL; there is no asynchronous event to dead-letter (a failed click is answered to the user and logged).
  #checkov:skip=CKV_AWS_117:Slack and GuardDuty are public endpoints; a VPC would need NAT for both and adds nothing to the signature check that authenticates every request.
  #checkov:skip=CKV_AWS_272:Code signing needs an AWS Signer profile the user owns; the package is the reviewed, deterministic bundle committed with the module and pinned by source_code_hash.
  #checkov:skip=CKV_AWS_50:X-Ray tracing is not needed for a 3-second interaction path; every action writes an audit log line.
}

# Slack cannot sign requests with SigV4, so the URL takes requests without IAM
# auth; the function authenticates every one itself (Slack's v0 signature over
# the raw body, a 5-minute window, constant-time compare) before reading it.
resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
  authorization_type = "NONE" #checkov:skip=CKV_AWS_258:Slack cannot send SigV4; the function verifies Slack's request signature on every request before reading it.
  invoke_mode        = "RESPONSE_STREAM"
}

resource "aws_lambda_permission" "function_url" {
  #checkov:skip=CKV_AWS_301:The endpoint must be reachable by Slack (opt-in, create_interaction_endpoint); only through the function URL, whose every request the function authenticates by Slack's signature before reading it.
  statement_id           = "AllowSlackThroughFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.this.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}
