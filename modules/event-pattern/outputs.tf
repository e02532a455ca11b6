output "json" {
  description = "The EventBridge event pattern of GuardDuty findings, as a JSON string."
  value       = jsonencode(local.pattern)
}

output "min_severity" {
  description = "The numeric severity floor the findings pattern applies."
  value       = local.min_severity
}

output "signal_patterns" {
  description = "EventBridge patterns (JSON strings) of the other signals that are turned on, by family: api-activity, malware-scan, coverage. The keys name the rules that carry them."
  value       = { for k, v in local.signal_patterns : k => jsonencode(v) if local.signals_enabled[k] }
}

output "api_activity_json" {
  description = "The EventBridge pattern of GuardDuty API calls delivered by CloudTrail (JSON), whether or not api_activity is on."
  value       = jsonencode(local.signal_patterns["api-activity"])
}

output "malware_scan_results_json" {
  description = "The EventBridge pattern of Malware Protection for S3 object scan results (JSON), whether or not malware_scan_results is on."
  value       = jsonencode(local.signal_patterns["malware-scan"])
}

output "coverage_json" {
  description = "The EventBridge pattern of coverage events (JSON), whether or not coverage is on."
  value       = jsonencode(local.signal_patterns["coverage"])
}

output "api_activity_event_names" {
  description = "The GuardDuty API calls (CloudTrail eventName) the api-activity pattern matches."
  value       = local.api_activity_event_names
}

output "coverage_detail_types" {
  description = "The detail-types the coverage pattern matches."
  value       = local.coverage_detail_types
}
