variable "region" {
  description = "Region to deploy to: the one where GuardDuty runs."
  type        = string
  default     = "us-east-1"
}

variable "slack_webhook_url" {
  description = "Slack incoming-webhook URL. Ephemeral: it is written to the config secret and never stored in state."
  type        = string
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = startswith(var.slack_webhook_url, "https://hooks.slack.com/")
    error_message = "slack_webhook_url must be a Slack incoming-webhook URL (https://hooks.slack.com/...)."
  }
}

variable "config_version" {
  description = "Bump to write a changed webhook to the config secret."
  type        = number
  default     = 1
}
