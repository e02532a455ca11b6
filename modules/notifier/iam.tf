################################################################################
# Function role: least privilege, every statement scoped to this module's
# resources. The only "*" resource is for EC2 Describe actions, which have no
# resource-level permissions (present only when the function runs in a VPC).
################################################################################

locals {
  # kms:ViaService keeps the key usable only through the services that need
  # it: the secret, the queues, the function's encrypted environment, the
  # state table the module creates (DynamoDB uses the key on the caller's
  # behalf) and, with allowed topics, SNS (for topics encrypted with the same key).
  kms_via_services = concat(
    ["secretsmanager.${local.region}.amazonaws.com", "sqs.${local.region}.amazonaws.com", "lambda.${local.region}.amazonaws.com"],
    length(var.allowed_sns_topic_arns) > 0 ? ["sns.${local.region}.amazonaws.com"] : [],
    local.use_state_table ? ["dynamodb.${local.region}.amazonaws.com"] : [],
  )

  ec2_arn_prefix = "arn:${local.partition}:ec2:${local.region}:${local.account_id}"

  function_policy_statements = concat(
    [
      {
        Sid      = "ReadConfigSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [local.secret_arn]
      },
      {
        Sid    = "ConsumeQueue"
        Effect = "Allow"
        Action = [
          "sqs:ChangeMessageVisibility",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:ReceiveMessage",
        ]
        Resource = [aws_sqs_queue.this.arn]
      },
      {
        # Re-queue a failed (finding, channel) delivery with a delay, and
        # dead-letter poison messages and exhausted deliveries with a reason.
        Sid      = "RequeueAndDeadLetter"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.this.arn, aws_sqs_queue.dlq.arn]
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${local.log_group_arn}:log-stream:*"]
      },
    ],
    var.create_log_group ? [] : [{
      Sid      = "CreateOwnLogGroup"
      Effect   = "Allow"
      Action   = ["logs:CreateLogGroup"]
      Resource = [local.log_group_arn]
    }],
    # The state table, and only it. The calls the function makes: GetItem
    # (a finding's record), UpdateItem (conditional updates of that record:
    # escalation, lifecycle, message references), BatchGetItem (the receipts
    # of a batch, before sending) and BatchWriteItem (the receipts, after).
    # Query reads one finding's delivery receipts (which channels announced it, for
    # archive-sync notes). No Scan, DeleteItem, or table-level actions.
    local.use_state_table ? [{
      Sid      = "UseStateTable"
      Effect   = "Allow"
      Action   = ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]
      Resource = [local.state_table_arn]
    }] : [],
    var.create_report_schedule ? [{
      # The weekly report reads GuardDuty in this (the administrator) account. These actions
      # have no resource-level permissions (Service Authorization Reference), so "*" with the region.
      Sid       = "ReadFindingsForReport"
      Effect    = "Allow"
      Action    = ["guardduty:GetFindings", "guardduty:GetFindingsStatistics", "guardduty:ListDetectors", "guardduty:ListFindings"]
      Resource  = ["*"]
      Condition = { StringEquals = { "aws:RequestedRegion" = local.region } }
    }] : [],
    var.create_report_schedule ? [{
      # The report's heartbeat: the dead-letter queue's depth (the queue's is in ConsumeQueue).
      Sid      = "ReadDeadLetterDepth"
      Effect   = "Allow"
      Action   = ["sqs:GetQueueAttributes"]
      Resource = [aws_sqs_queue.dlq.arn]
    }] : [],
    var.kms_key_arn == null ? [] : [{
      Sid       = "UseModuleKmsKey"
      Effect    = "Allow"
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = [var.kms_key_arn]
      Condition = { StringEquals = { "kms:ViaService" = local.kms_via_services } }
    }],
    length(var.allowed_sns_topic_arns) == 0 ? [] : [{
      Sid      = "PublishToAllowedTopics"
      Effect   = "Allow"
      Action   = ["sns:Publish"]
      Resource = var.allowed_sns_topic_arns
    }],
    # DescribeAccount is authorised on the account resource,
    # arn:<partition>:organizations::<management-account>:account/o-<org>/<account>.
    # The management account and organization ids are not known to the module,
    # so the pattern fixes the resource type and leaves those ids open: the
    # statement grants reading account details and nothing else.
    var.enable_account_name_lookup ? [{
      Sid      = "DescribeOrganizationAccounts"
      Effect   = "Allow"
      Action   = ["organizations:DescribeAccount"]
      Resource = ["arn:${local.partition}:organizations::*:account/o-*/*"]
    }] : [],
    local.in_vpc ? [
      {
        Sid    = "CreateFunctionNetworkInterfaces"
        Effect = "Allow"
        Action = ["ec2:CreateNetworkInterface"]
        Resource = concat(
          ["${local.ec2_arn_prefix}:network-interface/*"],
          [for s in var.lambda_subnet_ids : "${local.ec2_arn_prefix}:subnet/${s}"],
          [for g in var.lambda_security_group_ids : "${local.ec2_arn_prefix}:security-group/${g}"],
        )
      },
      {
        Sid      = "ManageFunctionNetworkInterfaces"
        Effect   = "Allow"
        Action   = ["ec2:AssignPrivateIpAddresses", "ec2:DeleteNetworkInterface", "ec2:UnassignPrivateIpAddresses"]
        Resource = ["${local.ec2_arn_prefix}:network-interface/*"]
      },
      {
        # These Describe actions have no resource-level permissions.
        Sid      = "DescribeFunctionNetwork"
        Effect   = "Allow"
        Action   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
        Resource = ["*"]
      },
    ] : [],
  )

  function_policy_json = jsonencode({
    Version   = "2012-10-17"
    Statement = local.function_policy_statements
  })
}

resource "aws_iam_role" "this" {
  count = var.create_iam_role ? 1 : 0

  name                 = "${var.name}-function"
  path                 = var.iam_role_path
  permissions_boundary = var.iam_role_permissions_boundary
  description          = "Execution role of the ${var.name} GuardDuty notifier function"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LambdaAssumeRole"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  count = var.create_iam_role ? 1 : 0

  name   = "${var.name}-function"
  role   = aws_iam_role.this[0].id
  policy = local.function_policy_json
}
