# The root module: composition of modules/notifier and the shared forwarder
# role, the create toggle, and the outputs users wire elsewhere.

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
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/guardduty-notify-state" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:guardduty-notify" }
  }
}

variables {
  config_json         = "{}" # hashicorp/terraform#38974, see notifier_defaults.tftest.hcl
  config_json_version = 1
}

run "defaults" {
  command = apply

  assert {
    condition = alltrue([for v in [
      output.function_name, output.function_arn, output.function_role_arn, output.queue_arn, output.queue_url, output.dlq_arn,
      output.dlq_url, output.event_rule_arn, output.event_rule_name, output.config_secret_arn, output.log_group_name,
      output.log_group_arn, output.event_pattern, output.event_bus_arn, output.event_source_mapping_uuid,
    ] : v != null])
    error_message = "Every output users wire elsewhere must be set."
  }
  assert {
    condition     = output.dashboard_name == null && output.dashboard_arn == null && output.forwarder_iam_role_arn == null && length(output.alarm_arns) == 3
    error_message = "No dashboard or forwarder role by default; three alarms."
  }
  assert {
    condition     = output.function_name == "guardduty-notify" && output.event_bus_arn == "arn:aws:events:eu-west-1:123456789012:event-bus/default"
    error_message = "Root outputs must come from the notifier."
  }
  assert {
    condition     = module.notifier[0].function_arn == output.function_arn
    error_message = "The root must compose modules/notifier."
  }
}

run "composition" {
  command = plan

  assert {
    condition     = length(module.notifier) == 1 && length(module.forwarder_iam_role) == 0
    error_message = "One notifier, no forwarder role by default."
  }
}

run "forwarder_role" {
  command = apply

  variables {
    name                      = "gdn"
    create_forwarder_iam_role = true
    iam_role_path             = "/security/"
  }

  assert {
    condition     = output.forwarder_iam_role_arn != null && module.forwarder_iam_role[0].event_rule_arn == null
    error_message = "create_forwarder_iam_role must create the shared role and no rule."
  }
  assert {
    condition     = jsondecode(module.forwarder_iam_role[0].iam_role_policy_json).Statement[0].Resource == [output.event_bus_arn]
    error_message = "The shared role may put events only on this region's default bus."
  }
}

run "create_false" {
  command = plan

  variables {
    create                    = false
    create_forwarder_iam_role = true
  }

  assert {
    condition     = length(module.notifier) == 0 && length(module.forwarder_iam_role) == 0
    error_message = "create = false must create nothing."
  }
  assert {
    condition     = output.function_arn == null && output.queue_url == null && output.config_secret_arn == null && output.forwarder_iam_role_arn == null && length(output.alarm_arns) == 0
    error_message = "create = false leaves every output null or empty."
  }
}

run "severity_floor_reaches_the_rule" {
  command = plan

  variables {
    min_severity          = "HIGH"
    finding_types_include = ["UnauthorizedAccess:", "CryptoCurrency:"]
  }

  assert {
    condition     = jsondecode(output.event_pattern).detail == { severity = [{ numeric = [">=", 7] }], type = [{ prefix = "UnauthorizedAccess:" }, { prefix = "CryptoCurrency:" }] }
    error_message = "The rule's pattern must carry the severity floor and type prefixes: ${output.event_pattern}"
  }
}

run "interaction_endpoint_is_opt_in" {
  command = plan

  assert {
    condition     = length(module.interaction_endpoint) == 0 && output.interaction_function_url == null && output.slack_app_manifest == null
    error_message = "Nothing reachable from the internet unless create_interaction_endpoint is true."
  }
}

run "interaction_endpoint_on" {
  command = plan

  variables {
    create_interaction_endpoint = true
  }

  assert {
    condition     = length(module.interaction_endpoint) == 1
    error_message = "create_interaction_endpoint adds the endpoint."
  }
}
