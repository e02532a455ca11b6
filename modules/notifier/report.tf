################################################################################
# Weekly report (issue 19): EventBridge Scheduler invokes the function with a
# report event; the config's `reports` section names the channels. Sent even
# when the period had no findings, so silence means a broken pipeline.
################################################################################

resource "aws_iam_role" "report_schedule" {
  count = var.create_report_schedule ? 1 : 0

  name                 = "${var.name}-report-schedule"
  path                 = var.iam_role_path
  permissions_boundary = var.iam_role_permissions_boundary
  description          = "Lets EventBridge Scheduler invoke the ${var.name} function with the weekly report event"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "SchedulerAssumeRole"
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "report_schedule" {
  count = var.create_report_schedule ? 1 : 0

  name = "${var.name}-report-schedule"
  role = aws_iam_role.report_schedule[0].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "InvokeNotifier", Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = [aws_lambda_function.this.arn] }]
  })
}

resource "aws_scheduler_schedule" "report" {
  count = var.create_report_schedule ? 1 : 0

  name                         = "${var.name}-report"
  description                  = "Weekly GuardDuty report and heartbeat of ${var.name}"
  schedule_expression          = var.report_schedule_expression
  schedule_expression_timezone = var.report_timezone

  #checkov:skip=CKV_AWS_297:The schedule's only data is the constant input {"guarddutyNotify":"report"}; the AWS owned key suffices, and a customer managed key would need a key policy for Scheduler's execution role.

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.this.arn
    role_arn = aws_iam_role.report_schedule[0].arn
    input    = jsonencode({ guarddutyNotify = "report" })

    # Retries an invocation Lambda did not accept (throttled); a report that failed
    # inside the function raises the errors alarm instead of being sent twice.
    retry_policy {
      maximum_retry_attempts       = 2
      maximum_event_age_in_seconds = 3600
    }
  }
}
