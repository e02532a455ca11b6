output "function_name" {
  description = "Name of the Lambda function."
  value       = one(module.notifier[*].function_name)
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = one(module.notifier[*].function_arn)
}

output "function_role_arn" {
  description = "ARN of the function's IAM role (created or passed in)."
  value       = one(module.notifier[*].function_role_arn)
}

output "function_role_name" {
  description = "Name of the function's IAM role, when the module created it (attach extra policies to it); null otherwise."
  value       = one(module.notifier[*].function_role_name)
}

output "function_policy_json" {
  description = "The function role's inline policy document (JSON), for review."
  value       = one(module.notifier[*].function_policy_json)
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = one(module.notifier[*].log_group_name)
}

output "log_group_arn" {
  description = "ARN of the function's CloudWatch log group."
  value       = one(module.notifier[*].log_group_arn)
}

output "queue_arn" {
  description = "ARN of the SQS queue the findings wait in."
  value       = one(module.notifier[*].queue_arn)
}

output "queue_url" {
  description = "URL of the SQS queue the findings wait in."
  value       = one(module.notifier[*].queue_url)
}

output "queue_visibility_timeout_seconds" {
  description = "Visibility timeout of the queue, derived from the function timeout."
  value       = one(module.notifier[*].queue_visibility_timeout_seconds)
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = one(module.notifier[*].dlq_arn)
}

output "dlq_url" {
  description = "URL of the dead-letter queue (messages there carry the reason they failed)."
  value       = one(module.notifier[*].dlq_url)
}

output "event_rule_arn" {
  description = "ARN of the EventBridge rule; null when create_event_rule is false."
  value       = one(module.notifier[*].event_rule_arn)
}

output "event_rule_name" {
  description = "Name of the EventBridge rule; null when create_event_rule is false."
  value       = one(module.notifier[*].event_rule_name)
}

output "event_pattern" {
  description = "The EventBridge event pattern (JSON) selecting the findings."
  value       = one(module.notifier[*].event_pattern)
}

output "signal_event_rule_arns" {
  description = "ARNs of the rules of GuardDuty's other signals, by family (api-activity, malware-scan, coverage); only the families turned on, empty when create_event_rule is false."
  value       = one(module.notifier[*].signal_event_rule_arns)
}

output "signal_event_patterns" {
  description = "The EventBridge event patterns (JSON) of the signal rules, by family."
  value       = one(module.notifier[*].signal_event_patterns)
}

output "event_source_mapping_uuid" {
  description = "UUID of the SQS event source mapping."
  value       = one(module.notifier[*].event_source_mapping_uuid)
}

output "config_secret_arn" {
  description = "ARN of the config secret (created or passed in). The ARN is not secret; the value is never output."
  value       = one(module.notifier[*].config_secret_arn)
}

output "config_secret_name" {
  description = "Name of the config secret the module created; null when existing_secret_arn is used."
  value       = one(module.notifier[*].config_secret_name)
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms by purpose (dlq_not_empty, function_errors, queue_age); empty when create_alarms is false."
  value       = var.create ? module.notifier[0].alarm_arns : {}
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard; null when create_dashboard is false."
  value       = one(module.notifier[*].dashboard_name)
}

output "dashboard_arn" {
  description = "ARN of the CloudWatch dashboard; null when create_dashboard is false."
  value       = one(module.notifier[*].dashboard_arn)
}

output "event_bus_arn" {
  description = "ARN of this region's default event bus, where the rule runs: the target of region forwarders."
  value       = one(module.notifier[*].event_bus_arn)
}

output "forwarder_iam_role_arn" {
  description = "ARN of the IAM role shared by the region forwarders; null unless create_forwarder_iam_role is true."
  value       = one(module.forwarder_iam_role[*].iam_role_arn)
}

output "state_table_name" {
  description = "Name of the DynamoDB state table the function uses (created or existing); null when it runs without state."
  value       = one(module.notifier[*].state_table_name)
}

output "state_table_arn" {
  description = "ARN of the DynamoDB state table the function uses (created or existing); null when it runs without state."
  value       = one(module.notifier[*].state_table_arn)
}

output "interaction_function_url" {
  description = "The Slack interaction endpoint (Slack app → Interactivity → Request URL); null unless create_interaction_endpoint."
  value       = try(module.interaction_endpoint[0].function_url, null)
}

output "interaction_function_role_arn" {
  description = "Role of the interaction function; null unless create_interaction_endpoint."
  value       = try(module.interaction_endpoint[0].role_arn, null)
}

output "interaction_function_policy_json" {
  description = "The interaction function's inline policy, for review; null unless create_interaction_endpoint."
  value       = try(module.interaction_endpoint[0].policy_json, null)
}

output "interaction_invoke_permission_command" {
  description = "AWS requires lambda:InvokeFunction with lambda:InvokedViaFunctionUrl for a public function URL since November 2026; hashicorp/aws adds it only from 6.29. With an older provider run this once after apply. Null unless create_interaction_endpoint."
  value       = try(module.interaction_endpoint[0].invoke_permission_command, null)
}

output "slack_app_manifest" {
  description = "Slack app manifest (JSON) to paste at api.slack.com/apps → Create New App → From a manifest; null unless create_interaction_endpoint."
  value       = try(module.interaction_endpoint[0].slack_app_manifest, null)
}

output "report_schedule_arn" {
  description = "ARN of the weekly report's EventBridge Scheduler schedule; null when create_report_schedule is false."
  value       = try(module.notifier[0].report_schedule_arn, null)
}
