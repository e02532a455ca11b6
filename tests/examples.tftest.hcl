# The examples plan (and apply) against mocked providers: each is a root
# module users copy, so it must stay valid and wired as documented. The
# provider blocks of the examples are replaced by the mocks below.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "us-east-1", name = "us-east-1" }
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
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify"
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
      url = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/guardduty-notify" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:guardduty-notify-topic" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:guardduty-notify" }
  }
}


mock_provider "aws" {
  alias = "us_west_2"

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "us-west-2", name = "us-west-2" }
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
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify"
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
      url = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
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


mock_provider "aws" {
  alias = "eu_west_1"

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
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify"
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
      url = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
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


run "slack_minimal" {
  command = apply

  module {
    source = "./examples/slack-minimal"
  }

  variables {
    slack_webhook_url = "https://hooks.slack.com/services/T000/B000/EXAMPLE"
  }

  assert {
    condition     = output.function_name == "guardduty-notify" && output.config_secret_arn != null && output.dlq_url != null
    error_message = "The minimal example must deploy the notifier."
  }
}

run "multi_channel" {
  command = apply

  module {
    source = "./examples/multi-channel"
  }

  variables {
    secrets = {
      slack_webhook_url       = "https://hooks.slack.com/services/T000/B000/EXAMPLE"
      teams_webhook_url       = "https://example.webhook.office.com/workflows/EXAMPLE"
      google_chat_webhook_url = "https://chat.googleapis.com/v1/spaces/EXAMPLE/messages?key=k&token=t"
      pagerduty_routing_key   = "0123456789abcdef0123456789abcdef"
      smtp_password           = "example-password"
      siem_token              = "example-token"
    }
  }

  assert {
    condition     = output.dashboard_name == "guardduty-notify" && output.kms_key_arn != null && output.alarm_topic_arn != null
    error_message = "The multi-channel example must create the key, the alarm topic and the dashboard."
  }
}

run "organization" {
  command = apply

  module {
    source = "./examples/organization"
  }

  providers = {
    aws           = aws
    aws.us_west_2 = aws.us_west_2
    aws.eu_west_1 = aws.eu_west_1
  }

  assert {
    condition     = output.event_bus_arn == "arn:aws:events:us-east-1:123456789012:event-bus/default"
    error_message = "Forwarders must target the central region's default bus."
  }
  assert {
    condition     = alltrue([for r in values(output.forwarding_rule_arns) : r != null])
    error_message = "Every forwarding region must have its rule."
  }
}
