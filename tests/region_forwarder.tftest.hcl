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
        ArnLike      = { "aws:SourceArn" = "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify-forward" }
      }
    }]
    error_message = "Only this region's forwarding rule may assume the role."
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
    condition     = length(aws_cloudwatch_event_rule.this) == 0 && length(aws_cloudwatch_event_target.this) == 0 && output.event_rule_arn == null
    error_message = "create_rule = false creates no rule."
  }
  assert {
    condition     = aws_iam_role.this[0].name == "guardduty-notify-forward" && jsondecode(aws_iam_role.this[0].assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:events:*:123456789012:rule/guardduty-notify-forward"
    error_message = "A shared role trusts the forwarding rule of any region in the account."
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
