# guardduty-notify: GuardDuty findings -> EventBridge -> SQS -> Lambda ->
# Slack, Teams, Google Chat, email, SNS, PagerDuty, webhooks.
#
# The root composes the submodules: modules/notifier (everything in the
# central region) and, for organisations that forward findings from other
# regions, the IAM role shared by every modules/region-forwarder. The
# forwarders themselves run in other regions, so they are called with a
# provider for each region (see examples/organization).

module "notifier" {
  source = "./modules/notifier"
  count  = var.create ? 1 : 0

  name                                            = var.name
  tags                                            = var.tags
  kms_key_arn                                     = var.kms_key_arn
  create_event_rule                               = var.create_event_rule
  min_severity                                    = var.min_severity
  finding_types_include                           = var.finding_types_include
  finding_types_exclude                           = var.finding_types_exclude
  notify_on_api_activity                          = var.notify_on_api_activity
  notify_on_malware_scan_results                  = var.notify_on_malware_scan_results
  notify_on_clean_malware_scan_results            = var.notify_on_clean_malware_scan_results
  notify_on_coverage                              = var.notify_on_coverage
  lambda_zip_path                                 = coalesce(var.lambda_zip_path, "${path.module}/handler/dist/lambda.zip")
  lambda_runtime                                  = var.lambda_runtime
  lambda_architecture                             = var.lambda_architecture
  lambda_memory_size                              = var.lambda_memory_size
  lambda_timeout                                  = var.lambda_timeout
  lambda_reserved_concurrent_executions           = var.lambda_reserved_concurrent_executions
  lambda_tracing_mode                             = var.lambda_tracing_mode
  lambda_log_level                                = var.lambda_log_level
  lambda_subnet_ids                               = var.lambda_subnet_ids
  lambda_security_group_ids                       = var.lambda_security_group_ids
  config_refresh_seconds                          = var.config_refresh_seconds
  max_requeues                                    = var.max_requeues
  metrics_namespace                               = var.metrics_namespace
  create_iam_role                                 = var.create_iam_role
  iam_role_arn                                    = var.iam_role_arn
  iam_role_path                                   = var.iam_role_path
  iam_role_permissions_boundary                   = var.iam_role_permissions_boundary
  allowed_sns_topic_arns                          = var.allowed_sns_topic_arns
  enable_account_name_lookup                      = var.enable_account_name_lookup
  create_log_group                                = var.create_log_group
  cloudwatch_log_group_retention_in_days          = var.cloudwatch_log_group_retention_in_days
  event_source_batch_size                         = var.event_source_batch_size
  event_source_maximum_batching_window_in_seconds = var.event_source_maximum_batching_window_in_seconds
  event_source_maximum_concurrency                = var.event_source_maximum_concurrency
  queue_message_retention_seconds                 = var.queue_message_retention_seconds
  dlq_message_retention_seconds                   = var.dlq_message_retention_seconds
  dlq_max_receive_count                           = var.dlq_max_receive_count
  existing_secret_arn                             = var.existing_secret_arn
  config_json                                     = var.config_json
  config_json_version                             = var.config_json_version
  config_secret_name                              = var.config_secret_name
  config_secret_recovery_window_in_days           = var.config_secret_recovery_window_in_days
  create_state_table                              = var.create_state_table
  existing_state_table_arn                        = var.existing_state_table_arn
  state_ttl_days                                  = var.state_ttl_days
  state_table_deletion_protection                 = var.state_table_deletion_protection
  create_alarms                                   = var.create_alarms
  alarm_actions                                   = var.alarm_actions
  ok_actions                                      = var.ok_actions
  alarm_queue_age_threshold_seconds               = var.alarm_queue_age_threshold_seconds
  create_dashboard                                = var.create_dashboard
  create_report_schedule                          = var.create_report_schedule
  report_schedule_expression                      = var.report_schedule_expression
  report_timezone                                 = var.report_timezone
}

module "forwarder_iam_role" {
  source = "./modules/region-forwarder"
  count  = var.create && var.create_forwarder_iam_role ? 1 : 0

  name                          = var.name
  tags                          = var.tags
  target_event_bus_arn          = module.notifier[0].event_bus_arn
  create_rule                   = false
  iam_role_path                 = var.iam_role_path
  iam_role_permissions_boundary = var.iam_role_permissions_boundary
}

# Opt-in: nothing of the module is reachable from the internet unless this is
# turned on. The Slack interaction endpoint (buttons) is a second function of
# the same bundle behind a function URL; it reads the same config secret and
# records its claims in the state table.
module "interaction_endpoint" {
  source = "./modules/interaction-endpoint"
  count  = var.create && var.create_interaction_endpoint ? 1 : 0

  name                                   = "${var.name}-interactions"
  tags                                   = var.tags
  config_secret_arn                      = module.notifier[0].config_secret_arn
  state_table_arn                        = module.notifier[0].state_table_arn
  state_ttl_days                         = var.state_ttl_days
  kms_key_arn                            = var.kms_key_arn
  lambda_zip_path                        = coalesce(var.lambda_zip_path, "${path.module}/handler/dist/lambda.zip")
  lambda_runtime                         = var.lambda_runtime
  lambda_architecture                    = var.lambda_architecture
  lambda_reserved_concurrent_executions  = var.interaction_reserved_concurrent_executions
  lambda_log_level                       = var.lambda_log_level
  metrics_namespace                      = var.metrics_namespace
  cloudwatch_log_group_retention_in_days = var.cloudwatch_log_group_retention_in_days
  iam_role_path                          = var.iam_role_path
  iam_role_permissions_boundary          = var.iam_role_permissions_boundary
  slack_app_name                         = var.slack_app_name
}
