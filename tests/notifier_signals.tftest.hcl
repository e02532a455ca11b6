# The notifier's rules for GuardDuty's other signals (issue 16): one rule per
# family into the same queue, each allowed by its own queue policy statement.

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

run "signals_default" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  assert {
    condition     = { for f, r in aws_cloudwatch_event_rule.signals : f => r.name } == { api-activity = "guardduty-notify-api-activity", coverage = "guardduty-notify-coverage", malware-scan = "guardduty-notify-malware-scan" }
    error_message = "Every signal family has its own rule, named <name>-<family>."
  }
  assert {
    condition     = alltrue([for f, t in aws_cloudwatch_event_target.signals : t.arn == aws_sqs_queue.this.arn && t.rule == "guardduty-notify-${f}"]) && length(aws_cloudwatch_event_target.signals) == 3
    error_message = "Every signal rule targets the same queue as the findings rule."
  }
  assert {
    condition     = aws_cloudwatch_event_rule.signals["malware-scan"].event_pattern == module.event_pattern.malware_scan_results_json && aws_cloudwatch_event_rule.signals["api-activity"].event_pattern == module.event_pattern.api_activity_json && aws_cloudwatch_event_rule.signals["coverage"].event_pattern == module.event_pattern.coverage_json
    error_message = "The rules carry the patterns of modules/event-pattern, the one definition shared with the forwarders."
  }
  # Each statement must name its own rule's ARN. Terraform's mock gives each
  # rule a distinct random ARN, so there this tells the rules apart; OpenTofu's
  # mock gives them one value (and refuses per-instance override targets), so
  # there it checks the shape only. make e2e checks each rule's statement
  # against the distinct ARNs moto assigns.
  assert {
    condition = [for s in jsondecode(aws_sqs_queue_policy.this.policy).Statement : s if s.Effect == "Allow"] == [
      for pair in [
        ["AllowGuardDutyFindingsRule", aws_cloudwatch_event_rule.this[0].arn],
        ["AllowGuardDutyApiActivityRule", aws_cloudwatch_event_rule.signals["api-activity"].arn],
        ["AllowGuardDutyCoverageRule", aws_cloudwatch_event_rule.signals["coverage"].arn],
        ["AllowGuardDutyMalwareScanRule", aws_cloudwatch_event_rule.signals["malware-scan"].arn],
        ] : {
        Sid       = pair[0]
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify"
        Condition = { ArnEquals = { "aws:SourceArn" = pair[1] } }
      }
    ]
    error_message = "Each rule may send to the queue only through a statement scoped to its own ARN: ${aws_sqs_queue_policy.this.policy}"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue_policy.this.policy).Statement[1].Sid == "DenyInsecureTransport"
    error_message = "The signal statements come after the existing ones, so an upgrade only appends to the policy."
  }
  assert {
    condition     = output.signal_event_rule_arns == { for f, r in aws_cloudwatch_event_rule.signals : f => r.arn } && keys(output.signal_event_rule_arns) == ["api-activity", "coverage", "malware-scan"]
    error_message = "signal_event_rule_arns names each family's rule."
  }
}

run "signals_toggled" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    notify_on_api_activity               = false
    notify_on_malware_scan_results       = true
    notify_on_clean_malware_scan_results = true
    notify_on_coverage                   = false
  }

  assert {
    condition     = keys(aws_cloudwatch_event_rule.signals) == ["malware-scan"] && keys(aws_cloudwatch_event_target.signals) == ["malware-scan"]
    error_message = "A family turned off has no rule and no target."
  }
  assert {
    condition     = [for s in jsondecode(aws_sqs_queue_policy.this.policy).Statement : s.Sid] == ["AllowGuardDutyFindingsRule", "DenyInsecureTransport", "AllowGuardDutyMalwareScanRule"]
    error_message = "A family turned off has no queue policy statement."
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.signals["malware-scan"].event_pattern) == { source = ["aws.guardduty"], "detail-type" = ["GuardDuty Malware Protection Object Scan Result"] }
    error_message = "notify_on_clean_malware_scan_results reaches the pattern: every scan result."
  }
}

run "signals_without_event_rule" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    create_event_rule = false
  }

  assert {
    condition     = length(aws_cloudwatch_event_rule.signals) == 0 && length(aws_cloudwatch_event_target.signals) == 0 && output.signal_event_rule_arns == {}
    error_message = "create_event_rule = false creates no rule at all: the user feeds the queue."
  }
  assert {
    condition     = [for s in jsondecode(aws_sqs_queue_policy.this.policy).Statement : s.Sid] == ["DenyInsecureTransport"]
    error_message = "Without rules the queue policy allows no rule."
  }
}
