provider "aws" {
  region = var.region
}

# Every GuardDuty finding of MEDIUM severity or above, to one Slack channel.
module "guardduty_notify" {
  source = "../.."

  min_severity = "MEDIUM"

  config_json = jsonencode({
    channels = [{
      name       = "security-slack"
      type       = "slack"
      webhookUrl = var.slack_webhook_url
    }]
  })
  config_json_version = var.config_version
}
