output "event_rule_arn" {
  description = "ARN of the forwarding rule; null when create_rule is false."
  value       = var.create_rule ? aws_cloudwatch_event_rule.this[0].arn : null
}

output "iam_role_arn" {
  description = "ARN of the role EventBridge assumes to forward (created or passed in)."
  value       = local.iam_role_arn
}

output "iam_role_policy_json" {
  description = "The created role's inline policy document (JSON); null when create_iam_role is false."
  value       = var.create_iam_role ? aws_iam_role_policy.this[0].policy : null
}

output "event_pattern" {
  description = "The EventBridge event pattern (JSON) of the forwarded findings."
  value       = module.event_pattern.json
}

output "signal_event_rule_arns" {
  description = "ARNs of the forwarding rules of GuardDuty's other signals, by family (api-activity, malware-scan, coverage); empty when create_rule is false."
  value       = { for family, rule in aws_cloudwatch_event_rule.signals : family => rule.arn }
}
