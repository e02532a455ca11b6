output "config_secret_arn" {
  description = "ARN of the (empty) config secret: put the config JSON in it."
  value       = module.guardduty_notify.config_secret_arn
}

output "event_bus_arn" {
  description = "The central default event bus the forwarders send to."
  value       = module.guardduty_notify.event_bus_arn
}

output "forwarding_rule_arns" {
  description = "Forwarding rule of each region."
  value = {
    us-west-2 = module.forward_us_west_2.event_rule_arn
    eu-west-1 = module.forward_eu_west_1.event_rule_arn
  }
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = module.guardduty_notify.dlq_url
}
