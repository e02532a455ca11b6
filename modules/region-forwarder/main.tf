# Forwards GuardDuty findings, and GuardDuty's other signals (API activity,
# Malware Protection for S3 scan results, coverage), from this provider's
# region to the central region's default event bus, where the notifier's rules
# pick them up.

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
  region     = data.aws_region.current.id # .name is deprecated in aws 6.x
  account_id = data.aws_caller_identity.current.account_id

  rule_name     = "${var.name}-forward"
  target_region = split(":", var.target_event_bus_arn)[3]

  # A role made without a rule is shared by every region's forwarder.
  iam_role_name   = var.create_rule ? "${var.name}-forward-${local.region}" : "${var.name}-forward"
  rule_arn_region = var.create_rule ? local.region : "*"

  iam_role_arn = var.create_iam_role ? aws_iam_role.this[0].arn : var.iam_role_arn

  # One rule per signal family ("<name>-forward-api-activity", ...). The role
  # trusts every family's rule name, so a role shared by regions that turn on
  # different families serves them all.
  signal_patterns   = var.create_rule ? module.event_pattern.signal_patterns : {}
  signal_families   = ["api-activity", "malware-scan", "coverage"]
  trusted_rule_arns = [for n in concat([local.rule_name], [for f in local.signal_families : "${local.rule_name}-${f}"]) : "arn:${local.partition}:events:${local.rule_arn_region}:${local.account_id}:rule/${n}"]
}

resource "aws_cloudwatch_event_rule" "this" {
  count = var.create_rule ? 1 : 0

  name          = local.rule_name
  description   = "Forward GuardDuty findings with severity >= ${module.event_pattern.min_severity} to ${var.target_event_bus_arn}"
  event_pattern = module.event_pattern.json
  tags          = var.tags

  lifecycle {
    precondition {
      condition     = local.target_region != local.region
      error_message = "The forwarder must run in another region than target_event_bus_arn (${local.target_region}): the notifier's rule already sees that region's findings, and forwarding there would loop."
    }
  }
}

resource "aws_cloudwatch_event_target" "this" {
  count = var.create_rule ? 1 : 0

  rule      = aws_cloudwatch_event_rule.this[0].name
  target_id = "central-bus"
  arn       = var.target_event_bus_arn
  role_arn  = local.iam_role_arn
}

resource "aws_cloudwatch_event_rule" "signals" {
  for_each = local.signal_patterns

  name          = "${local.rule_name}-${each.key}"
  description   = "Forward GuardDuty ${each.key} events to ${var.target_event_bus_arn}"
  event_pattern = each.value
  tags          = var.tags

  # The findings rule's precondition refuses the central region for both.
  depends_on = [aws_cloudwatch_event_rule.this]
}

resource "aws_cloudwatch_event_target" "signals" {
  for_each = local.signal_patterns

  rule      = aws_cloudwatch_event_rule.signals[each.key].name
  target_id = "central-bus"
  arn       = var.target_event_bus_arn
  role_arn  = local.iam_role_arn
}

resource "aws_iam_role" "this" {
  count = var.create_iam_role ? 1 : 0

  name                 = local.iam_role_name
  path                 = var.iam_role_path
  permissions_boundary = var.iam_role_permissions_boundary
  description          = "Lets EventBridge forward GuardDuty findings to ${var.target_event_bus_arn}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeForwardingRule"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnLike      = { "aws:SourceArn" = local.trusted_rule_arns }
      }
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  count = var.create_iam_role ? 1 : 0

  name = "put-events-on-central-bus"
  role = aws_iam_role.this[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "PutEventsOnCentralBus"
      Effect   = "Allow"
      Action   = ["events:PutEvents"]
      Resource = [var.target_event_bus_arn]
    }]
  })
}
