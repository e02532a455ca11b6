variable "central_region" {
  description = "Region of the notifier; the other regions forward their findings to it."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the deployment (notifier, forwarding rules and roles)."
  type        = string
  default     = "guardduty-notify"
}

variable "min_severity" {
  description = "Lowest severity notified, filtered at the source in every region."
  type        = string
  default     = "MEDIUM"
}
