data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

module "event_pattern" {
  source = "../event-pattern"

  min_severity          = var.min_severity
  finding_types_include = var.finding_types_include
  finding_types_exclude = var.finding_types_exclude

  api_activity                       = var.notify_on_api_activity
  malware_scan_results               = var.notify_on_malware_scan_results
  include_clean_malware_scan_results = var.notify_on_clean_malware_scan_results
  coverage                           = var.notify_on_coverage
}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id # .name is deprecated in aws 6.x; .id is the region in 5.x and 6.x
  account_id = data.aws_caller_identity.current.account_id

  lambda_zip_path = coalesce(var.lambda_zip_path, "${path.module}/../../handler/dist/lambda.zip")
  log_group_name  = "/aws/lambda/${var.name}"
  log_group_arn   = var.create_log_group ? aws_cloudwatch_log_group.this[0].arn : "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}"

  # AWS guidance for SQS event sources: visibility timeout at least six times
  # the function timeout, plus the batching window.
  queue_visibility_timeout_seconds = min(43200, 6 * var.lambda_timeout + var.event_source_maximum_batching_window_in_seconds)

  create_secret = var.existing_secret_arn == null
  secret_arn    = local.create_secret ? aws_secretsmanager_secret.this[0].arn : var.existing_secret_arn

  iam_role_arn = var.create_iam_role ? aws_iam_role.this[0].arn : var.iam_role_arn
  in_vpc       = length(var.lambda_subnet_ids) > 0

  event_rule_arn = var.create_event_rule ? aws_cloudwatch_event_rule.this[0].arn : null

  # The other signals' rules, by family (api-activity, malware-scan, coverage).
  signal_patterns = var.create_event_rule ? module.event_pattern.signal_patterns : {}
  signal_rule_descriptions = {
    api-activity = "GuardDuty API calls via CloudTrail (archive sync, tamper alerts)"
    malware-scan = "Malware Protection for S3 scan results${var.notify_on_clean_malware_scan_results ? "" : " other than NO_THREATS_FOUND"}"
    coverage     = "GuardDuty coverage (Malware Protection plan status, Runtime Monitoring health)"
  }
}

################################################################################
# Config secret
################################################################################

resource "aws_secretsmanager_secret" "this" {
  count = local.create_secret ? 1 : 0

  name                    = coalesce(var.config_secret_name, "${var.name}/config")
  description             = "guardduty-notify configuration (channels and credentials) for ${var.name}"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.config_secret_recovery_window_in_days
  tags                    = var.tags

  #checkov:skip=CKV2_AWS_57:Webhook URLs, routing keys and SMTP passwords are issued by third parties and cannot be rotated by a Lambda rotation function; users rotate them at the source and update the secret (the function re-reads it every config_refresh_seconds).
}

# Written through the write-only argument: the value never reaches the state
# or the plan. The version number tells the provider when to write again.
resource "aws_secretsmanager_secret_version" "this" {
  count = local.create_secret && var.config_json_version != null ? 1 : 0

  secret_id                = aws_secretsmanager_secret.this[0].id
  secret_string_wo         = var.config_json
  secret_string_wo_version = var.config_json_version
}

################################################################################
# SQS queue and dead-letter queue
################################################################################

resource "aws_sqs_queue" "dlq" {
  name                              = "${var.name}-dlq"
  message_retention_seconds         = var.dlq_message_retention_seconds
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = var.kms_key_arn != null ? 300 : null
  sqs_managed_sse_enabled           = var.kms_key_arn == null ? true : null
  tags                              = var.tags
}

resource "aws_sqs_queue" "this" {
  name                              = var.name
  visibility_timeout_seconds        = local.queue_visibility_timeout_seconds
  message_retention_seconds         = var.queue_message_retention_seconds
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = var.kms_key_arn != null ? 300 : null
  sqs_managed_sse_enabled           = var.kms_key_arn == null ? true : null

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.dlq_max_receive_count
  })

  tags = var.tags
}

locals {
  queue_policy_statements = concat(
    var.create_event_rule ? [{
      Sid       = "AllowGuardDutyFindingsRule"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.this.arn
      Condition = { ArnEquals = { "aws:SourceArn" = local.event_rule_arn } }
    }] : [],
    [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "sqs:*"
      Resource  = aws_sqs_queue.this.arn
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }],
    # One statement per signal rule, each scoped to that rule's ARN (after
    # the existing ones, so upgrading only appends to the policy).
    [for family, rule in aws_cloudwatch_event_rule.signals : {
      Sid       = "AllowGuardDuty${join("", [for w in split("-", family) : title(w)])}Rule"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.this.arn
      Condition = { ArnEquals = { "aws:SourceArn" = rule.arn } }
    }],
  )
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy    = jsonencode({ Version = "2012-10-17", Statement = local.queue_policy_statements })
}

################################################################################
# EventBridge rule (default bus) -> queue
################################################################################

resource "aws_cloudwatch_event_rule" "this" {
  count = var.create_event_rule ? 1 : 0

  name          = var.name
  description   = "GuardDuty findings with severity >= ${module.event_pattern.min_severity} to the ${var.name} queue"
  event_pattern = module.event_pattern.json
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  count = var.create_event_rule ? 1 : 0

  rule      = aws_cloudwatch_event_rule.this[0].name
  target_id = "sqs"
  arn       = aws_sqs_queue.this.arn
}

# GuardDuty's other signals, one rule per family, into the same queue.
resource "aws_cloudwatch_event_rule" "signals" {
  for_each = local.signal_patterns

  name          = "${var.name}-${each.key}"
  description   = "${local.signal_rule_descriptions[each.key]} to the ${var.name} queue"
  event_pattern = each.value
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "signals" {
  for_each = local.signal_patterns

  rule      = aws_cloudwatch_event_rule.signals[each.key].name
  target_id = "sqs"
  arn       = aws_sqs_queue.this.arn
}

################################################################################
# Lambda function and event source mapping
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  count = var.create_log_group ? 1 : 0

  name              = local.log_group_name
  retention_in_days = var.cloudwatch_log_group_retention_in_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  description   = "Sends GuardDuty findings to the channels in ${local.create_secret ? "the module's" : "an existing"} config secret"
  role          = local.iam_role_arn

  filename         = local.lambda_zip_path
  source_code_hash = filebase64sha256(local.lambda_zip_path)
  handler          = "index.handler"
  runtime          = var.lambda_runtime
  architectures    = [var.lambda_architecture]
  memory_size      = var.lambda_memory_size
  timeout          = var.lambda_timeout
  kms_key_arn      = var.kms_key_arn

  reserved_concurrent_executions = var.lambda_reserved_concurrent_executions

  environment {
    variables = merge({
      GDN_CONFIG_SECRET_ARN      = local.secret_arn
      GDN_CONFIG_REFRESH_SECONDS = tostring(var.config_refresh_seconds)
      GDN_RETRY_QUEUE_URL        = aws_sqs_queue.this.url
      GDN_DLQ_URL                = aws_sqs_queue.dlq.url
      GDN_MAX_REQUEUES           = tostring(var.max_requeues)
      GDN_METRICS_NAMESPACE      = var.metrics_namespace
      GDN_LOG_LEVEL              = var.lambda_log_level
      }, local.use_state_table ? {
      GDN_STATE_TABLE    = local.state_table_name
      GDN_STATE_TTL_DAYS = tostring(var.state_ttl_days)
    } : {})
  }

  tracing_config {
    mode = var.lambda_tracing_mode
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []
    content {
      subnet_ids         = var.lambda_subnet_ids
      security_group_ids = var.lambda_security_group_ids
    }
  }

  tags = var.tags

  # The log group must exist first so Lambda never creates it without
  # retention, and the role's policy so the first invocation can use it.
  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.this,
  ]

  #checkov:skip=CKV_AWS_116:The function is invoked by an SQS event source mapping, not asynchronously; failed messages go to the queue's redrive dead-letter queue and failed deliveries to the same queue by the function itself.
  #checkov:skip=CKV_AWS_272:Code signing needs an AWS Signer profile the user owns; the package is the reviewed, deterministic bundle committed with the module and pinned by source_code_hash.
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn                   = aws_sqs_queue.this.arn
  function_name                      = aws_lambda_function.this.arn
  batch_size                         = var.event_source_batch_size
  maximum_batching_window_in_seconds = var.event_source_maximum_batching_window_in_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  dynamic "scaling_config" {
    for_each = var.event_source_maximum_concurrency != null ? [1] : []
    content {
      maximum_concurrency = var.event_source_maximum_concurrency
    }
  }

  tags = var.tags

  # Lambda checks the role can read the queue when the mapping is created.
  depends_on = [aws_iam_role_policy.this]
}

# config_json alone writes nothing: a write-only value cannot be compared with
# what was stored, so config_json_version says when to write it.
check "config_json_has_a_version" {
  assert {
    condition     = var.config_json == null || var.config_json_version != null
    error_message = "config_json is set but config_json_version is null, so the module does not write it to the secret. Set config_json_version = 1, and bump it whenever the value changes (config_json is only written to the secret the module creates)."
  }
}
