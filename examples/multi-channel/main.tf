provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
}

################################################################################
# A customer managed key for the queues, the config secret, the log group and
# the SNS topics. Services that write encrypted data on the module's behalf
# need it in the key policy: EventBridge (sends to the queue), CloudWatch Logs
# (log group) and CloudWatch (alarms publish to the encrypted alarm topic).
# The function's role gets its own kms:ViaService-scoped grant from the module.
################################################################################

resource "aws_kms_key" "this" {
  description         = "${var.name}: GuardDuty notifications"
  enable_key_rotation = true

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKeyWithIam"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "EventBridgeSendsToTheEncryptedQueue"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
      {
        Sid       = "CloudWatchAlarmsPublishToTheEncryptedTopic"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
      {
        Sid       = "CloudWatchLogsEncryptsTheLogGroup"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = { ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${var.name}" } }
      },
    ]
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

# Where the alarms go (subscribe your on-call tooling to it).
resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = aws_kms_key.this.arn
}

# The "sns" channel publishes findings here, with message attributes
# (severity, type, account) for subscription filter policies.
resource "aws_sns_topic" "findings" {
  name              = "${var.name}-findings"
  kms_master_key_id = aws_kms_key.this.arn
}

# The channel config, written to the config secret. A local, so a Slack app
# section (slackApp: signing secret, team, who may press which button) can be
# merged in when create_interaction_endpoint is turned on; see the README.
locals {
  config = {
    defaults = {
      minSeverity    = "MEDIUM"
      notifyOn       = "escalations"
      includeSamples = true
    }
    accountNames = var.account_names
    channels = [
      {
        name        = "sec-slack"
        type        = "slack"
        webhookUrl  = var.secrets.slack_webhook_url
        minSeverity = "LOW"
        exclude     = { types = ["Recon:*"] }
      },
      {
        name       = "sec-teams"
        type       = "teams"
        webhookUrl = var.secrets.teams_webhook_url
      },
      {
        name       = "sec-chat"
        type       = "googleChat"
        webhookUrl = var.secrets.google_chat_webhook_url
      },
      {
        name        = "oncall"
        type        = "pagerduty"
        routingKey  = var.secrets.pagerduty_routing_key
        minSeverity = "CRITICAL"
        notifyOn    = "new"
      },
      {
        name = "sec-email"
        type = "email"
        smtp = {
          host = var.smtp_host
          port = 587
          user = var.smtp_user
          pass = var.secrets.smtp_password
        }
        from          = var.email_from
        to            = var.email_to
        subjectPrefix = "SECURITY"
        minSeverity   = "HIGH"
      },
      {
        name     = "audit"
        type     = "sns"
        topicArn = aws_sns_topic.findings.arn
        notifyOn = "all"
      },
      {
        name     = "siem"
        type     = "webhook"
        url      = var.siem_url
        headers  = { Authorization = "Bearer ${var.secrets.siem_token}" }
        notifyOn = "all"
      },
    ]
    # The weekly report and heartbeat (the module schedules it, Mondays 08:00 UTC).
    reports = {
      channels   = ["sec-slack", "sec-email", "siem"]
      periodDays = 7
    }
  }
}

module "guardduty_notify" {
  source = "../.."

  name        = var.name
  kms_key_arn = aws_kms_key.this.arn

  min_severity           = "LOW" # channels choose their own floor below
  allowed_sns_topic_arns = [aws_sns_topic.findings.arn]

  create_dashboard = true
  alarm_actions    = [aws_sns_topic.alarms.arn]
  ok_actions       = [aws_sns_topic.alarms.arn]

  config_json         = jsonencode(local.config)
  config_json_version = var.config_version

  tags = {
    Project = "guardduty-notify"
  }
}
