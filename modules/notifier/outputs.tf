output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "function_role_arn" {
  description = "ARN of the function's IAM role (created or passed in)."
  value       = local.iam_role_arn
}

output "function_role_name" {
  description = "Name of the function's IAM role, when the module created it (attach extra policies to it); null otherwise."
  value       = var.create_iam_role ? aws_iam_role.this[0].name : null
}

output "function_policy_json" {
  description = "The function role's inline policy document (JSON), for review."
  value       = local.function_policy_json
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = local.log_group_name
}

output "log_group_arn" {
  description = "ARN of the function's CloudWatch log group."
  value       = local.log_group_arn
}

output "queue_arn" {
  description = "ARN of the SQS queue the findings wait in."
  value       = aws_sqs_queue.this.arn
}

output "queue_url" {
  description = "URL of the SQS queue the findings wait in."
  value       = aws_sqs_queue.this.url
}

output "queue_visibility_timeout_seconds" {
  description = "Visibility timeout of the queue, derived from the function timeout."
  value       = aws_sqs_queue.this.visibility_timeout_seconds
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue (messages there carry the reason they failed)."
  value       = aws_sqs_queue.dlq.url
}

output "event_rule_arn" {
  description = "ARN of the EventBridge rule; null when create_event_rule is false."
  value       = local.event_rule_arn
}

output "event_rule_name" {
  description = "Name of the EventBridge rule; null when create_event_rule is false."
  value       = var.create_event_rule ? aws_cloudwatch_event_rule.this[0].name : null
}

output "event_pattern" {
  description = "The EventBridge event pattern (JSON) selecting the findings."
  value       = module.event_pattern.json
}

output "signal_event_rule_arns" {
  description = "ARNs of the rules of GuardDuty's other signals, by family (api-activity, malware-scan, coverage); only the families turned on, empty when create_event_rule is false."
  value       = { for family, rule in aws_cloudwatch_event_rule.signals : family => rule.arn }
}

output "signal_event_patterns" {
  description = "The EventBridge event patterns (JSON) of the signal rules, by family."
  value       = local.signal_patterns
}

output "event_source_mapping_uuid" {
  description = "UUID of the SQS event source mapping."
  value       = aws_lambda_event_source_mapping.this.uuid
}

output "config_secret_arn" {
  description = "ARN of the config secret (created or passed in). The ARN is not secret; the value is never output."
  value       = local.secret_arn
}

output "config_secret_name" {
  description = "Name of the config secret the module created; null when existing_secret_arn is used."
  value       = local.create_secret ? aws_secretsmanager_secret.this[0].name : null
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms by purpose (dlq_not_empty, function_errors, queue_age); empty when create_alarms is false."
  value = var.create_alarms ? {
    dlq_not_empty   = aws_cloudwatch_metric_alarm.dlq_not_empty[0].arn
    function_errors = aws_cloudwatch_metric_alarm.function_errors[0].arn
    queue_age       = aws_cloudwatch_metric_alarm.queue_age[0].arn
  } : {}
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard; null when create_dashboard is false."
  value       = var.create_dashboard ? aws_cloudwatch_dashboard.this[0].dashboard_name : null
}

output "dashboard_arn" {
  description = "ARN of the CloudWatch dashboard; null when create_dashboard is false."
  value       = var.create_dashboard ? aws_cloudwatch_dashboard.this[0].dashboard_arn : null
}

output "event_bus_arn" {
  description = "ARN of this region's default event bus, where the rule runs: the target of region forwarders."
  value       = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/default"
}

output "state_table_name" {
  description = "Name of the DynamoDB state table the function uses (created or existing); null when it runs without state."
  value       = local.state_table_name
}

output "state_table_arn" {
  description = "ARN of the DynamoDB state table the function uses (created or existing); null when it runs without state."
  value       = local.state_table_arn
}

output "report_schedule_arn" {
  description = "ARN of the weekly report's EventBridge Scheduler schedule; null when create_report_schedule is false."
  value       = try(aws_scheduler_schedule.report[0].arn, null)
}
