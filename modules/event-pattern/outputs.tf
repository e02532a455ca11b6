output "json" {
  description = "The EventBridge event pattern as a JSON string."
  value       = jsonencode(local.pattern)
}

output "min_severity" {
  description = "The numeric severity floor the pattern applies."
  value       = local.min_severity
}
