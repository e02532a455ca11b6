variable "region" {
  description = "Region to deploy to: the one where GuardDuty runs."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the deployment (resources, dashboard)."
  type        = string
  default     = "guardduty-notify"
}

variable "secrets" {
  description = "Credentials of the channels. Ephemeral: written to the config secret, never stored in state. Pass them with TF_VAR_secrets or an untracked *.auto.tfvars file."
  type = object({
    slack_webhook_url       = string
    teams_webhook_url       = string
    google_chat_webhook_url = string
    pagerduty_routing_key   = string
    smtp_password           = string
    siem_token              = string
  })
  sensitive = true
  ephemeral = true
}

variable "config_version" {
  description = "Bump to write changed secrets or channels to the config secret."
  type        = number
  default     = 1
}

variable "smtp_host" {
  description = "SMTP server for the email channel (STARTTLS on port 587)."
  type        = string
  default     = "email-smtp.us-east-1.amazonaws.com"
}

variable "smtp_user" {
  description = "SMTP user name."
  type        = string
  default     = "AKIAEXAMPLESMTPUSER"
}

variable "email_from" {
  description = "Sender of the email notifications."
  type        = string
  default     = "GuardDuty <guardduty@example.com>"
}

variable "email_to" {
  description = "Recipients of the email notifications."
  type        = list(string)
  default     = ["security@example.com"]
}

variable "siem_url" {
  description = "Endpoint of the generic webhook channel (for example a SIEM's HTTP collector)."
  type        = string
  default     = "https://siem.example.com/collector/guardduty"
}

variable "account_names" {
  description = "Display names of accounts, shown in notifications instead of ids."
  type        = map(string)
  default     = {}
}
