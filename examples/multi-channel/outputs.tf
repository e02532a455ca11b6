output "function_name" {
  description = "Name of the notifier function."
  value       = module.guardduty_notify.function_name
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = module.guardduty_notify.dashboard_name
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify: subscribe on-call tooling to it."
  value       = aws_sns_topic.alarms.arn
}

output "findings_topic_arn" {
  description = "SNS topic of the \"audit\" channel: subscribe consumers to it, filtering on the severity, type and account message attributes."
  value       = aws_sns_topic.findings.arn
}

output "kms_key_arn" {
  description = "ARN of the key encrypting the queues, secret, logs and topics."
  value       = aws_kms_key.this.arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = module.guardduty_notify.dlq_url
}

output "interaction_function_url" {
  description = "The Slack interaction endpoint (the Slack app's Interactivity Request URL); null unless the module's create_interaction_endpoint is turned on."
  value       = module.guardduty_notify.interaction_function_url
}
