# modules/region-forwarder: a rule in another region forwarding findings to
# the central default bus through a role scoped to that bus.

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
    defaults = { arn = "arn:aws:iam::123456789012:role/guardduty-notify-forward-eu-west-1" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify-forward" }
  }
}

variables {
  target_event_bus_arn = "arn:aws:events:us-east-1:123456789012:event-bus/default"
}

run "forwarder" {
  command = apply

  module {
    source = "./modules/region-forwarder"
  }

  variables {
    min_severity          = "HIGH"
    finding_types_exclude = ["Recon:"]
  }

  assert {
    condition     = aws_cloudwatch_event_rule.this[0].name == "guardduty-notify-forward" && jsondecode(aws_cloudwatch_event_rule.this[0].event_pattern) == { source = ["aws.guardduty"], "detail-type" = ["GuardDuty Finding"], detail = { severity = [{ numeric = [">=", 7] }], type = [{ "anything-but" = { prefix = "Recon:" } }] } }
    error_message = "The forwarder must apply the same pattern as the notifier: ${aws_cloudwatch_event_rule.this[0].event_pattern}"
  }
  assert {
    condition     = aws_cloudwatch_event_target.this[0].arn == var.target_event_bus_arn && aws_cloudwatch_event_target.this[0].role_arn == aws_iam_role.this[0].arn
    error_message = "The rule must target the central bus through the forwarder role."
  }
  assert {
    condition     = keys(aws_cloudwatch_event_rule.signals) == ["api-activity", "coverage", "malware-scan"] && alltrue([for f, r in aws_cloudwatch_event_rule.signals : r.name == "guardduty-notify-forward-${f}"])
    error_message = "Every signal family is forwarded by default, each by its own rule named <name>-forward-<family>."
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.signals["api-activity"].event_pattern)["detail-type"] == ["AWS API Call via CloudTrail"] && jsondecode(aws_cloudwatch_event_rule.signals["malware-scan"].event_pattern)["detail-type"] == ["GuardDuty Malware Protection Object Scan Result"] && jsondecode(aws_cloudwatch_event_rule.signals["coverage"].event_pattern)["detail-type"][3] == "GuardDuty Runtime Protection Unhealthy"
    error_message = "The forwarder's signal rules carry the shared patterns of modules/event-pattern."
  }
  assert {
    condition     = alltrue([for f, t in aws_cloudwatch_event_target.signals : t.arn == var.target_event_bus_arn && t.role_arn == aws_iam_role.this[0].arn && t.rule == "guardduty-notify-forward-${f}"])
    error_message = "Every signal rule targets the central bus through the forwarder role."
  }
  assert {
    condition     = aws_iam_role.this[0].name == "guardduty-notify-forward-eu-west-1"
    error_message = "A per-region role carries the region in its name (IAM names are global)."
  }
  assert {
    condition = jsondecode(aws_iam_role.this[0].assume_role_policy).Statement == [{
      Sid       = "EventBridgeForwardingRule"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = "123456789012" }
        ArnLike = { "aws:SourceArn" = [
          "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify-forward",
          "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify-forward-api-activity",
          "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify-forward-malware-scan",
          "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify-forward-coverage",
        ] }
      }
    }]
    error_message = "Only this region's forwarding rules (findings and each signal family) may assume the role."
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.this[0].policy) == {
      Version   = "2012-10-17"
      Statement = [{ Sid = "PutEventsOnCentralBus", Effect = "Allow", Action = ["events:PutEvents"], Resource = ["arn:aws:events:us-east-1:123456789012:event-bus/default"] }]
    }
    error_message = "The role may only put events on the central bus."
  }
}

run "shared_role_only" {
  command = apply

  module {
    source = "./modules/region-forwarder"
  }

  variables {
    create_rule = false
  }

  assert {
    condition     = length(aws_cloudwatch_event_rule.this) == 0 && length(aws_cloudwatch_event_target.this) == 0 && output.event_rule_arn == null && length(aws_cloudwatch_event_rule.signals) == 0 && length(aws_cloudwatch_event_target.signals) == 0 && output.signal_event_rule_arns == {}
    error_message = "create_rule = false creates no rule, for findings or signals."
  }
  assert {
    condition = aws_iam_role.this[0].name == "guardduty-notify-forward" && jsondecode(aws_iam_role.this[0].assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == [
      "arn:aws:events:*:123456789012:rule/guardduty-notify-forward",
      "arn:aws:events:*:123456789012:rule/guardduty-notify-forward-api-activity",
      "arn:aws:events:*:123456789012:rule/guardduty-notify-forward-malware-scan",
      "arn:aws:events:*:123456789012:rule/guardduty-notify-forward-coverage",
    ]
    error_message = "A shared role trusts the forwarding rules (findings and every signal family) of any region in the account, whatever families each region turns on."
  }
}

run "existing_role" {
  command = apply

  module {
    source = "./modules/region-forwarder"
  }

  variables {
    create_iam_role = false
    iam_role_arn    = "arn:aws:iam::123456789012:role/guardduty-notify-forward"
  }

  assert {
    condition     = length(aws_iam_role.this) == 0 && aws_cloudwatch_event_target.this[0].role_arn == "arn:aws:iam::123456789012:role/guardduty-notify-forward" && output.iam_role_policy_json == null
    error_message = "The forwarder must use the given role and create none."
  }
}

run "signals_follow_the_notifier_toggles" {
  command = apply

  module {
    source = "./modules/region-forwarder"
  }

  variables {
    notify_on_api_activity               = false
    notify_on_coverage                   = false
    notify_on_clean_malware_scan_results = true
  }

  assert {
    condition     = keys(aws_cloudwatch_event_rule.signals) == ["malware-scan"] && keys(output.signal_event_rule_arns) == ["malware-scan"]
    error_message = "Turning a family off removes its forwarding rule."
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.signals["malware-scan"].event_pattern) == { source = ["aws.guardduty"], "detail-type" = ["GuardDuty Malware Protection Object Scan Result"] }
    error_message = "With clean results on, every scan result is forwarded: ${aws_cloudwatch_event_rule.signals["malware-scan"].event_pattern}"
  }
}

run "same_region_rejected" {
  command = plan

  module {
    source = "./modules/region-forwarder"
  }

  variables {
    target_event_bus_arn = "arn:aws:events:eu-west-1:123456789012:event-bus/default"
  }

  expect_failures = [aws_cloudwatch_event_rule.this]
}

run "bad_bus_arn_rejected" {
  command = plan

  module {
    source = "./modules/region-forwarder"
  }

  variables {
    target_event_bus_arn = "arn:aws:sqs:us-east-1:123456789012:queue"
  }

  expect_failures = [var.target_event_bus_arn]
}

run "role_required_without_creating_one" {
  command = plan

  module {
    source = "./modules/region-forwarder"
  }

  variables {
    create_iam_role = false
  }

  expect_failures = [var.iam_role_arn]
}
