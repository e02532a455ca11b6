# The three ways to provide the config secret's value, and proof that a value
# passed through config_json never lands in state: it goes only to the
# write-only secret_string_wo argument, which providers never persist.

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

run "module_writes_config_json" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    config_json = jsonencode({
      channels = [{ name = "sec-slack", type = "slack", webhookUrl = "https://hooks.slack.com/services/T000/B000/TOPSECRET0000" }]
    })
    config_json_version = 1
  }

  assert {
    condition     = aws_secretsmanager_secret_version.this[0].secret_id == aws_secretsmanager_secret.this[0].id && aws_secretsmanager_secret_version.this[0].secret_string_wo_version == 1
    error_message = "The module must write version 1 of config_json to its secret."
  }
  assert {
    condition     = aws_secretsmanager_secret_version.this[0].secret_string_wo == null
    error_message = "The write-only value must read back as null from state."
  }
  assert {
    condition     = aws_secretsmanager_secret_version.this[0].secret_string == null && aws_secretsmanager_secret_version.this[0].secret_binary == null
    error_message = "The value must not be written through the persisted secret_string/secret_binary arguments."
  }
  assert {
    condition = !anytrue([for v in [
      jsonencode(aws_lambda_function.this.environment), output.config_secret_arn, output.function_policy_json,
      output.event_pattern, jsonencode(aws_secretsmanager_secret.this[0]),
    ] : strcontains(v, "TOPSECRET0000")])
    error_message = "The webhook must not appear in the function environment, the secret resource or any output."
  }
}

run "module_rewrites_on_version_bump" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    config_json         = jsonencode({ channels = [] })
    config_json_version = 2
  }

  assert {
    condition     = aws_secretsmanager_secret_version.this[0].secret_string_wo_version == 2 && aws_secretsmanager_secret_version.this[0].secret_string_wo == null
    error_message = "Bumping config_json_version must write the new value, still write-only."
  }
}

# The modes without config_json are planned: Terraform < 1.17 cannot apply a
# test run with a null ephemeral variable (hashicorp/terraform#38974).
run "container_only" {
  command = plan

  module {
    source = "./modules/notifier"
  }

  variables {
    config_json         = null
    config_json_version = null
  }

  assert {
    condition     = length(aws_secretsmanager_secret.this) == 1 && length(aws_secretsmanager_secret_version.this) == 0
    error_message = "Without config_json_version the module creates the secret container only."
  }
}

run "existing_secret" {
  command = plan

  module {
    source = "./modules/notifier"
  }

  variables {
    config_json         = null
    config_json_version = null
    existing_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/gdn-XyZ123"
  }

  assert {
    condition     = length(aws_secretsmanager_secret.this) == 0 && length(aws_secretsmanager_secret_version.this) == 0
    error_message = "With existing_secret_arn the module creates no secret."
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["GDN_CONFIG_SECRET_ARN"] == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/gdn-XyZ123" && output.config_secret_arn == var.existing_secret_arn && output.config_secret_name == null
    error_message = "The function must read the existing secret."
  }
}

run "config_json_without_version_warns" {
  command = plan

  module {
    source = "./modules/notifier"
  }

  variables {
    config_json         = jsonencode({ channels = [] })
    config_json_version = null
  }

  expect_failures = [check.config_json_has_a_version]
}
