output "function_name" {
  description = "Name of the notifier function (its logs are in /aws/lambda/<name>)."
  value       = module.guardduty_notify.function_name
}

output "config_secret_arn" {
  description = "ARN of the config secret."
  value       = module.guardduty_notify.config_secret_arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = module.guardduty_notify.dlq_url
}
