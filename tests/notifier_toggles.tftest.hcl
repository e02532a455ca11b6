# Every toggle and tuning knob of the notifier, one apply each against a
# mocked AWS provider.

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

variables {
  config_json         = "{}" # hashicorp/terraform#38974, see notifier_defaults.tftest.hcl
  config_json_version = 1
}

run "without_event_rule" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    create_event_rule = false
  }

  assert {
    condition     = length(aws_cloudwatch_event_rule.this) == 0 && length(aws_cloudwatch_event_target.this) == 0 && output.event_rule_arn == null
    error_message = "create_event_rule = false must create no rule or target."
  }
  assert {
    condition     = [for s in jsondecode(aws_sqs_queue_policy.this.policy).Statement : s.Sid] == ["DenyInsecureTransport"]
    error_message = "Without the rule the queue policy only denies insecure transport."
  }
}

run "bring_your_own_role" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    create_iam_role = false
    iam_role_arn    = "arn:aws:iam::123456789012:role/platform/gdn"
  }

  assert {
    condition     = length(aws_iam_role.this) == 0 && length(aws_iam_role_policy.this) == 0
    error_message = "create_iam_role = false must create no role."
  }
  assert {
    condition     = aws_lambda_function.this.role == "arn:aws:iam::123456789012:role/platform/gdn" && output.function_role_arn == "arn:aws:iam::123456789012:role/platform/gdn" && output.function_role_name == null
    error_message = "The function must use the given role."
  }
}

run "role_path_and_boundary" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    name                          = "gdn-prod"
    iam_role_path                 = "/security/"
    iam_role_permissions_boundary = "arn:aws:iam::123456789012:policy/boundary"
  }

  assert {
    condition     = aws_iam_role.this[0].name == "gdn-prod-function" && aws_iam_role.this[0].path == "/security/" && aws_iam_role.this[0].permissions_boundary == "arn:aws:iam::123456789012:policy/boundary"
    error_message = "Role name, path and boundary must follow the variables."
  }
  assert {
    condition     = aws_lambda_function.this.function_name == "gdn-prod" && aws_sqs_queue.this.name == "gdn-prod" && aws_sqs_queue.dlq.name == "gdn-prod-dlq" && aws_cloudwatch_event_rule.this[0].name == "gdn-prod" && aws_secretsmanager_secret.this[0].name == "gdn-prod/config"
    error_message = "name must name every resource."
  }
}

run "without_log_group_alarms" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    create_log_group = false
    create_alarms    = false
  }

  assert {
    condition     = length(aws_cloudwatch_log_group.this) == 0 && output.log_group_name == "/aws/lambda/guardduty-notify"
    error_message = "create_log_group = false must create no log group."
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.dlq_not_empty) + length(aws_cloudwatch_metric_alarm.function_errors) + length(aws_cloudwatch_metric_alarm.queue_age) == 0 && length(output.alarm_arns) == 0
    error_message = "create_alarms = false must create no alarm."
  }
}

run "alarm_actions" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    alarm_actions                     = ["arn:aws:sns:eu-west-1:123456789012:ops"]
    ok_actions                        = ["arn:aws:sns:eu-west-1:123456789012:ops-ok"]
    alarm_queue_age_threshold_seconds = 900
  }

  assert {
    condition = alltrue([for a in [aws_cloudwatch_metric_alarm.dlq_not_empty[0], aws_cloudwatch_metric_alarm.function_errors[0], aws_cloudwatch_metric_alarm.queue_age[0]] :
    a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:ops"]) && a.ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:ops-ok"])])
    error_message = "Every alarm must notify the given actions."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.queue_age[0].threshold == 900
    error_message = "The queue-age threshold must follow the variable."
  }
}

run "dashboard" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    create_dashboard  = true
    metrics_namespace = "GDN/Prod"
  }

  assert {
    condition     = aws_cloudwatch_dashboard.this[0].dashboard_name == "guardduty-notify" && output.dashboard_name == "guardduty-notify"
    error_message = "create_dashboard = true must create the dashboard."
  }
  assert {
    condition = alltrue([for m in ["Delivered", "Failed", "Retried", "Suppressed", "DeadLettered"] :
    strcontains(aws_cloudwatch_dashboard.this[0].dashboard_body, "SEARCH('{GDN/Prod,Channel} MetricName=\\\"${m}\\\"', 'Sum', 300)")])
    error_message = "The dashboard must chart every per-channel metric in the configured namespace."
  }
  assert {
    condition = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this[0].dashboard_body).widgets : w.properties.region == "eu-west-1"]) && length([
      for w in jsondecode(aws_cloudwatch_dashboard.this[0].dashboard_body).widgets : w
      if w.properties.title == "Findings by severity" && w.properties.metrics == [for s in ["CRITICAL", "HIGH", "MEDIUM", "LOW"] : ["GDN/Prod", "Findings", "Severity", s]]
    ]) == 1
    error_message = "Findings by severity must chart the four bands."
  }
  assert {
    condition = alltrue([for m in ["ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible", "\"Errors\"", "\"Throttles\"", "ThreatPurpose"] :
    strcontains(aws_cloudwatch_dashboard.this[0].dashboard_body, m)])
    error_message = "The dashboard must chart queue age, DLQ depth, function errors and throttles, and threat purposes."
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["GDN_METRICS_NAMESPACE"] == "GDN/Prod"
    error_message = "The function must emit into the dashboard's namespace."
  }
}

run "customer_managed_key" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
  }

  assert {
    condition = alltrue([
      aws_sqs_queue.this.kms_master_key_id == var.kms_key_arn,
      aws_sqs_queue.dlq.kms_master_key_id == var.kms_key_arn,
      aws_secretsmanager_secret.this[0].kms_key_id == var.kms_key_arn,
      aws_cloudwatch_log_group.this[0].kms_key_id == var.kms_key_arn,
      aws_lambda_function.this.kms_key_arn == var.kms_key_arn,
    ])
    error_message = "kms_key_arn must encrypt the queues, the secret, the log group and the environment."
  }
}

# lambda_runtime stays at its default: nodejs22.x is the only value both the module (nodejs22.x
# on) and hashicorp/aws 5.100.0 (up to nodejs22.x, checked even when mocked) accept;
# notifier_defaults proves it reaches the function.
run "vpc_and_tuning" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    lambda_subnet_ids                               = ["subnet-0123456789abcdef0"]
    lambda_security_group_ids                       = ["sg-0123456789abcdef0"]
    lambda_timeout                                  = 300
    lambda_memory_size                              = 512
    lambda_architecture                             = "x86_64"
    lambda_reserved_concurrent_executions           = 20
    lambda_tracing_mode                             = "Active"
    lambda_log_level                                = "DEBUG"
    event_source_batch_size                         = 100
    event_source_maximum_batching_window_in_seconds = 20
    event_source_maximum_concurrency                = 5
    config_refresh_seconds                          = 60
    max_requeues                                    = 3
    queue_message_retention_seconds                 = 86400
    dlq_message_retention_seconds                   = 604800
    dlq_max_receive_count                           = 3
    cloudwatch_log_group_retention_in_days          = 30
    tags                                            = { team = "security" }
  }

  assert {
    condition     = aws_lambda_function.this.vpc_config[0].subnet_ids == toset(["subnet-0123456789abcdef0"]) && aws_lambda_function.this.vpc_config[0].security_group_ids == toset(["sg-0123456789abcdef0"])
    error_message = "The function must run in the given subnets and security groups."
  }
  assert {
    condition     = aws_sqs_queue.this.visibility_timeout_seconds == 6 * 300 + 20
    error_message = "Visibility timeout must be 6 x timeout + batching window."
  }
  assert {
    condition = alltrue([
      aws_lambda_function.this.timeout == 300, aws_lambda_function.this.memory_size == 512,
      aws_lambda_function.this.architectures == tolist(["x86_64"]),
      aws_lambda_function.this.reserved_concurrent_executions == 20, aws_lambda_function.this.tracing_config[0].mode == "Active",
      aws_lambda_function.this.environment[0].variables["GDN_LOG_LEVEL"] == "DEBUG",
      aws_lambda_function.this.environment[0].variables["GDN_CONFIG_REFRESH_SECONDS"] == "60",
      aws_lambda_function.this.environment[0].variables["GDN_MAX_REQUEUES"] == "3",
    ])
    error_message = "Function settings must follow the variables."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.batch_size == 100 && aws_lambda_event_source_mapping.this.maximum_batching_window_in_seconds == 20 && aws_lambda_event_source_mapping.this.scaling_config[0].maximum_concurrency == 5
    error_message = "Event source settings must follow the variables."
  }
  assert {
    condition     = aws_sqs_queue.this.message_retention_seconds == 86400 && aws_sqs_queue.dlq.message_retention_seconds == 604800 && jsondecode(aws_sqs_queue.this.redrive_policy).maxReceiveCount == 3
    error_message = "Queue settings must follow the variables."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this[0].retention_in_days == 30
    error_message = "Log retention must follow the variable."
  }
  assert {
    condition = alltrue([for t in [aws_lambda_function.this.tags, aws_sqs_queue.this.tags, aws_sqs_queue.dlq.tags, aws_iam_role.this[0].tags,
    aws_secretsmanager_secret.this[0].tags, aws_cloudwatch_log_group.this[0].tags, aws_cloudwatch_event_rule.this[0].tags] : t == tomap({ team = "security" })])
    error_message = "Tags must reach every taggable resource."
  }
}
