################################################################################
# Alarms
################################################################################

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  count = var.create_alarms ? 1 : 0

  alarm_name          = "${var.name}-dlq-not-empty"
  alarm_description   = "Findings or deliveries reached the ${var.name} dead-letter queue: a channel kept failing, or a message could not be processed. Inspect the messages (they carry the reason) and redrive them."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.ok_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  count = var.create_alarms ? 1 : 0

  alarm_name          = "${var.name}-function-errors"
  alarm_description   = "The ${var.name} function failed invocations (for example an invalid config secret); findings stay queued until it recovers. See its log group."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.ok_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "queue_age" {
  count = var.create_alarms ? 1 : 0

  alarm_name          = "${var.name}-queue-age"
  alarm_description   = "The oldest finding in the ${var.name} queue has waited more than ${var.alarm_queue_age_threshold_seconds} s: notifications are delayed."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.this.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.alarm_queue_age_threshold_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.ok_actions
  tags                = var.tags
}

################################################################################
# Dashboard, built from the function's embedded metrics (namespace
# var.metrics_namespace; Delivered/Failed/Retried/Suppressed/DeadLettered by
# Channel, Findings by Severity and by ThreatPurpose) and AWS metrics.
################################################################################

locals {
  dashboard_period = 300
  ns               = var.metrics_namespace

  channel_metric_widgets = [
    for i, m in ["Delivered", "Failed", "Retried", "Suppressed", "DeadLettered"] : {
      type   = "metric"
      x      = (i % 3) * 8
      y      = 12 + floor(i / 3) * 6
      width  = 8
      height = 6
      properties = {
        title  = "${m} per channel"
        region = local.region
        view   = "timeSeries"
        stat   = "Sum"
        period = local.dashboard_period
        metrics = [[{
          expression = "SEARCH('{${local.ns},Channel} MetricName=\"${m}\"', 'Sum', ${local.dashboard_period})"
          id         = "e1"
        }]]
      }
    }
  ]

  dashboard_body = jsonencode({
    widgets = concat(
      [
        {
          type   = "metric"
          x      = 0
          y      = 0
          width  = 12
          height = 6
          properties = {
            title   = "Findings by severity"
            region  = local.region
            view    = "timeSeries"
            stacked = true
            stat    = "Sum"
            period  = local.dashboard_period
            metrics = [for s in ["CRITICAL", "HIGH", "MEDIUM", "LOW"] : [local.ns, "Findings", "Severity", s]]
          }
        },
        {
          type   = "metric"
          x      = 12
          y      = 0
          width  = 12
          height = 6
          properties = {
            title   = "Findings by threat purpose"
            region  = local.region
            view    = "timeSeries"
            stacked = true
            stat    = "Sum"
            period  = local.dashboard_period
            metrics = [[{
              expression = "SEARCH('{${local.ns},ThreatPurpose} MetricName=\"Findings\"', 'Sum', ${local.dashboard_period})"
              id         = "e1"
            }]]
          }
        },
        {
          type   = "metric"
          x      = 0
          y      = 6
          width  = 8
          height = 6
          properties = {
            title  = "Oldest queued finding (s)"
            region = local.region
            view   = "timeSeries"
            stat   = "Maximum"
            period = local.dashboard_period
            metrics = [
              ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.this.name],
            ]
          }
        },
        {
          type   = "metric"
          x      = 8
          y      = 6
          width  = 8
          height = 6
          properties = {
            title  = "Dead-letter queue depth"
            region = local.region
            view   = "timeSeries"
            stat   = "Maximum"
            period = local.dashboard_period
            metrics = [
              ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.dlq.name],
            ]
          }
        },
        {
          type   = "metric"
          x      = 16
          y      = 6
          width  = 8
          height = 6
          properties = {
            title  = "Function errors and throttles"
            region = local.region
            view   = "timeSeries"
            stat   = "Sum"
            period = local.dashboard_period
            metrics = [
              ["AWS/Lambda", "Errors", "FunctionName", aws_lambda_function.this.function_name],
              ["AWS/Lambda", "Throttles", "FunctionName", aws_lambda_function.this.function_name],
            ]
          }
        },
      ],
      local.channel_metric_widgets,
      [
        # From the Slack interaction endpoint (create_interaction_endpoint): seconds from a
        # finding's first sighting to its acknowledgement and to its archiving, by severity.
        for i, m in ["TimeToAcknowledge", "TimeToArchive"] : {
          type   = "metric"
          x      = i * 12
          y      = 24
          width  = 12
          height = 6
          properties = {
            title   = "${m == "TimeToAcknowledge" ? "Time to acknowledge" : "Time to archive"} (s, p50 by severity)"
            region  = local.region
            view    = "timeSeries"
            stat    = "p50"
            period  = 3600
            metrics = [for s in ["CRITICAL", "HIGH", "MEDIUM", "LOW"] : [local.ns, m, "Severity", s]]
          }
        }
      ],
      [{
        type   = "metric"
        x      = 0
        y      = 30
        width  = 24
        height = 6
        properties = {
          title  = "State table unavailable (calls answered statelessly)"
          region = local.region
          view   = "timeSeries"
          stat   = "Sum"
          period = local.dashboard_period
          metrics = [[{
            expression = "SEARCH('{${local.ns},StateOperation} MetricName=\"StateUnavailable\"', 'Sum', ${local.dashboard_period})"
            id         = "e1"
          }]]
        }
      }],
    )
  })
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.create_dashboard ? 1 : 0

  dashboard_name = var.name
  dashboard_body = local.dashboard_body
}
