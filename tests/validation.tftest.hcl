# Every variable validation of the root module rejects bad input. Plan-only
# runs against a mocked provider. A run may set several bad inputs at once:
# expect_failures fails the run unless every listed variable is rejected (and
# nothing else fails), so each validation is still proven on its own, with
# fewer plans. Root variable validations run whatever the module creates, so
# create = false keeps each plan small.

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
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:guardduty-notify" }
  }
}

variables {
  create = false
}

run "rejects_malformed_names_and_arns" {
  command = plan

  variables {
    name                          = "guard duty"
    kms_key_arn                   = "alias/guardduty"
    create_iam_role               = false
    iam_role_arn                  = "gdn-role"
    iam_role_path                 = "security"
    iam_role_permissions_boundary = "arn:aws:iam::123456789012:role/boundary"
    allowed_sns_topic_arns        = ["arn:aws:sns:eu-west-1:123456789012:*"]
    existing_secret_arn           = "guardduty-notify/config"
    config_secret_name            = "guardduty notify"
    alarm_actions                 = ["ops@example.com"]
    ok_actions                    = ["ops"]
  }

  expect_failures = [
    var.name,
    var.kms_key_arn,
    var.iam_role_arn,
    var.iam_role_path,
    var.iam_role_permissions_boundary,
    var.allowed_sns_topic_arns,
    var.existing_secret_arn,
    var.config_secret_name,
    var.alarm_actions,
    var.ok_actions,
  ]
}

run "rejects_name_too_long" {
  command = plan

  variables {
    name = "a-very-long-name-that-exceeds-forty-chars-x"
  }

  expect_failures = [var.name]
}

run "rejects_missing_role_arn" {
  command = plan

  variables {
    create_iam_role = false
  }

  expect_failures = [var.iam_role_arn]
}

run "rejects_unknown_band_and_wildcard_type" {
  command = plan

  variables {
    min_severity          = "SEVERE"
    finding_types_include = ["Recon:*"]
  }

  expect_failures = [var.min_severity, var.finding_types_include]
}

run "rejects_severity_above_ten" {
  command = plan

  variables {
    min_severity = 11
  }

  expect_failures = [var.min_severity]
}

run "rejects_negative_severity" {
  command = plan

  variables {
    min_severity = -1
  }

  expect_failures = [var.min_severity]
}

run "rejects_bad_excluded_type" {
  command = plan

  variables {
    finding_types_exclude = ["Recon: EC2"]
  }

  expect_failures = [var.finding_types_exclude]
}

run "rejects_include_with_exclude" {
  command = plan

  variables {
    finding_types_include = ["UnauthorizedAccess:"]
    finding_types_exclude = ["Recon:"]
  }

  expect_failures = [var.finding_types_exclude]
}

run "rejects_bad_function_settings" {
  command = plan

  variables {
    lambda_zip_path                        = "handler/dist/index.mjs"
    lambda_runtime                         = "python3.12"
    lambda_architecture                    = "arm"
    lambda_memory_size                     = 64
    lambda_timeout                         = 901
    lambda_reserved_concurrent_executions  = -2
    lambda_tracing_mode                    = "On"
    lambda_log_level                       = "TRACE"
    config_refresh_seconds                 = -1
    max_requeues                           = 51
    metrics_namespace                      = "AWS/Lambda"
    cloudwatch_log_group_retention_in_days = 42
  }

  expect_failures = [
    var.lambda_zip_path,
    var.lambda_runtime,
    var.lambda_architecture,
    var.lambda_memory_size,
    var.lambda_timeout,
    var.lambda_reserved_concurrent_executions,
    var.lambda_tracing_mode,
    var.lambda_log_level,
    var.config_refresh_seconds,
    var.max_requeues,
    var.metrics_namespace,
    var.cloudwatch_log_group_retention_in_days,
  ]
}

# nodejs20.x: the bundle targets Node.js 22 and the tests run on it (Node.js 20 is past its end of life).
run "rejects_node20_and_fractional_timeout" {
  command = plan

  variables {
    lambda_runtime = "nodejs20.x"
    lambda_timeout = 1.5
  }

  expect_failures = [var.lambda_runtime, var.lambda_timeout]
}

# A later major passes the module's check; whether the provider knows it is the provider's
# call (hashicorp/aws 5.100.0 refuses nodejs24.x at plan, mocked or not: create = false here).
run "accepts_a_later_node_major" {
  command = plan

  variables {
    lambda_runtime = "nodejs24.x"
  }

  assert {
    condition     = var.lambda_runtime == "nodejs24.x"
    error_message = "nodejs24.x must pass the module's validation."
  }
}

run "rejects_malformed_subnet_id" {
  command = plan

  variables {
    lambda_subnet_ids         = ["subnet-xyz"]
    lambda_security_group_ids = ["sg-0123456789abcdef0"]
  }

  expect_failures = [var.lambda_subnet_ids]
}

# Separate from the subnet: a failed variable skips the validations of the
# variables that refer to it.
run "rejects_malformed_security_group_id" {
  command = plan

  variables {
    lambda_subnet_ids         = ["subnet-0123456789abcdef0"]
    lambda_security_group_ids = ["default"]
  }

  expect_failures = [var.lambda_security_group_ids]
}

run "rejects_subnets_without_security_groups" {
  command = plan

  variables {
    lambda_subnet_ids = ["subnet-0123456789abcdef0"]
  }

  expect_failures = [var.lambda_security_group_ids]
}

run "rejects_bad_queue_settings" {
  command = plan

  variables {
    event_source_batch_size               = 0
    event_source_maximum_concurrency      = 1
    queue_message_retention_seconds       = 30
    dlq_max_receive_count                 = 0
    config_secret_recovery_window_in_days = 3
    alarm_queue_age_threshold_seconds     = 10
  }

  expect_failures = [
    var.event_source_batch_size,
    var.event_source_maximum_concurrency,
    var.queue_message_retention_seconds,
    var.dlq_max_receive_count,
    var.config_secret_recovery_window_in_days,
    var.alarm_queue_age_threshold_seconds,
  ]
}

run "rejects_large_batch_without_window" {
  command = plan

  variables {
    event_source_batch_size                         = 100
    event_source_maximum_batching_window_in_seconds = 0
  }

  expect_failures = [var.event_source_maximum_batching_window_in_seconds]
}

run "rejects_long_window_and_retention" {
  command = plan

  variables {
    event_source_maximum_batching_window_in_seconds = 301
    dlq_message_retention_seconds                   = 1209601
  }

  expect_failures = [var.event_source_maximum_batching_window_in_seconds, var.dlq_message_retention_seconds]
}

run "rejects_dlq_retention_below_queue" {
  command = plan

  variables {
    queue_message_retention_seconds = 604800
    dlq_message_retention_seconds   = 86400
  }

  expect_failures = [var.dlq_message_retention_seconds]
}

run "rejects_config_json_array_and_version_zero" {
  command = plan

  variables {
    config_json         = "[1, 2]"
    config_json_version = 0
  }

  expect_failures = [var.config_json, var.config_json_version]
}

run "rejects_config_json_not_json" {
  command = plan

  variables {
    config_json = "channels: []"
  }

  expect_failures = [var.config_json]
}

run "rejects_config_version_with_existing_secret" {
  command = plan

  variables {
    existing_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/gdn-XyZ123"
    config_json_version = 1
  }

  expect_failures = [var.config_json_version]
}

run "rejects_bad_state_settings" {
  command = plan

  variables {
    state_ttl_days           = 0
    existing_state_table_arn = "arn:aws:s3:::not-a-table"
  }

  expect_failures = [var.state_ttl_days, var.existing_state_table_arn]
}

run "rejects_state_ttl_too_long_or_fractional" {
  command = plan

  variables {
    state_ttl_days = 3650.5
  }

  expect_failures = [var.state_ttl_days]
}
