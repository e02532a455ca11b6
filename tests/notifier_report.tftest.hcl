# The weekly report's schedule: EventBridge Scheduler invokes the function with
# the report event, at the default Monday 08:00 (UTC) or as configured, through
# a role that may invoke only this function; off with create_report_schedule.

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
    defaults = { arn = "arn:aws:iam::123456789012:role/guardduty-notify-report-schedule" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = {
      arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardduty-notify/config-AbCdEf"
      id  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardduty-notify/config-AbCdEf"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify"
      url = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
    }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/guardduty-notify-state" }
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

variables {
  config_json         = "{}" # hashicorp/terraform#38974, see notifier_defaults.tftest.hcl
  config_json_version = 1
}

run "default_schedule" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    name = "guardduty-notify"
  }

  assert {
    condition     = aws_scheduler_schedule.report[0].schedule_expression == "cron(0 8 ? * MON *)" && aws_scheduler_schedule.report[0].schedule_expression_timezone == "UTC" && aws_scheduler_schedule.report[0].flexible_time_window[0].mode == "OFF"
    error_message = "Weekly on Monday at 08:00 UTC by default."
  }

  assert {
    condition     = jsondecode(aws_scheduler_schedule.report[0].target[0].input) == { guarddutyNotify = "report" } && aws_scheduler_schedule.report[0].target[0].arn == "arn:aws:lambda:eu-west-1:123456789012:function:guardduty-notify"
    error_message = "The schedule invokes the notifier with the report event."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.report_schedule[0].policy).Statement == [{
      Sid      = "InvokeNotifier"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = ["arn:aws:lambda:eu-west-1:123456789012:function:guardduty-notify"]
    }]
    error_message = "The schedule's role may invoke this function and nothing else."
  }

  assert {
    condition     = jsondecode(aws_iam_role.report_schedule[0].assume_role_policy).Statement[0].Condition == { StringEquals = { "aws:SourceAccount" = "123456789012" } }
    error_message = "Only this account's Scheduler may assume the role (confused deputy)."
  }
}

run "own_schedule" {
  command = plan

  module {
    source = "./modules/notifier"
  }

  variables {
    name                       = "guardduty-notify"
    report_schedule_expression = "cron(30 7 ? * FRI *)"
    report_timezone            = "Europe/Berlin"
  }

  assert {
    condition     = aws_scheduler_schedule.report[0].schedule_expression == "cron(30 7 ? * FRI *)" && aws_scheduler_schedule.report[0].schedule_expression_timezone == "Europe/Berlin"
    error_message = "The schedule takes the expression and time zone given."
  }
}

run "no_schedule" {
  command = plan

  module {
    source = "./modules/notifier"
  }

  variables {
    name                   = "guardduty-notify"
    create_report_schedule = false
  }

  assert {
    condition     = length(aws_scheduler_schedule.report) == 0 && length(aws_iam_role.report_schedule) == 0 && !strcontains(aws_iam_role_policy.this[0].policy, "guardduty:")
    error_message = "create_report_schedule = false: no schedule, no schedule role, no GuardDuty permission."
  }
}

run "bad_expression" {
  command = plan

  module {
    source = "./modules/notifier"
  }

  variables {
    name                       = "guardduty-notify"
    report_schedule_expression = "every monday"
  }

  expect_failures = [var.report_schedule_expression]
}
