# The function role's inline policy, asserted on the rendered JSON: every
# statement scoped to this module's secret, queues, key, log group and the
# allowed topics; "*" only for EC2 Describe actions (VPC only).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/guardduty-notify-function" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = {
      arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardduty-notify/config-AbCdEf"
      id  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardduty-notify/config-AbCdEf"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/guardduty-notify" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/guardduty-notify-state" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/guardduty-notify" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:guardduty-notify" }
  }
}

override_resource {
  target = aws_sqs_queue.this
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify"
  }
}

override_resource {
  target = aws_sqs_queue.dlq
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify-dlq"
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/guardduty-notify-dlq"
  }
}

variables {
  config_json         = "{}" # hashicorp/terraform#38974, see notifier_defaults.tftest.hcl
  config_json_version = 1
}

run "default_policy" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.this[0].policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "ReadConfigSecret"
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue"]
          Resource = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardduty-notify/config-AbCdEf"]
        },
        {
          Sid      = "ConsumeQueue"
          Effect   = "Allow"
          Action   = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
          Resource = ["arn:aws:sqs:eu-west-1:123456789012:guardduty-notify"]
        },
        {
          Sid      = "RequeueAndDeadLetter"
          Effect   = "Allow"
          Action   = ["sqs:SendMessage"]
          Resource = ["arn:aws:sqs:eu-west-1:123456789012:guardduty-notify", "arn:aws:sqs:eu-west-1:123456789012:guardduty-notify-dlq"]
        },
        {
          Sid      = "WriteLogs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/guardduty-notify:log-stream:*"]
        },
        {
          Sid      = "UseStateTable"
          Effect   = "Allow"
          Action   = ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]
          Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/guardduty-notify-state"]
        },
        {
          Sid       = "ReadFindingsForReport"
          Effect    = "Allow"
          Action    = ["guardduty:GetFindings", "guardduty:GetFindingsStatistics", "guardduty:ListDetectors", "guardduty:ListFindings"]
          Resource  = ["*"]
          Condition = { StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }
        },
        {
          Sid      = "ReadDeadLetterDepth"
          Effect   = "Allow"
          Action   = ["sqs:GetQueueAttributes"]
          Resource = ["arn:aws:sqs:eu-west-1:123456789012:guardduty-notify-dlq"]
        },
        {
          Sid      = "DescribeOrganizationAccounts"
          Effect   = "Allow"
          Action   = ["organizations:DescribeAccount"]
          Resource = ["arn:aws:organizations::*:account/o-*/*"]
        },
      ]
    }
    error_message = "Default policy differs from the least-privilege contract: ${aws_iam_role_policy.this[0].policy}"
  }

  assert {
    condition     = output.function_policy_json == aws_iam_role_policy.this[0].policy
    error_message = "The function_policy_json output must be the attached policy."
  }
}

run "every_option" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    allowed_sns_topic_arns     = ["arn:aws:sns:eu-west-1:123456789012:security-audit", "arn:aws:sns:eu-west-1:123456789012:soc"]
    lambda_subnet_ids          = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    lambda_security_group_ids  = ["sg-0123456789abcdef0"]
    create_log_group           = false
    enable_account_name_lookup = false
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Sid] == [
      "ReadConfigSecret", "ConsumeQueue", "RequeueAndDeadLetter", "WriteLogs", "CreateOwnLogGroup", "UseStateTable", "ReadFindingsForReport", "ReadDeadLetterDepth", "UseModuleKmsKey",
      "PublishToAllowedTopics", "CreateFunctionNetworkInterfaces", "ManageFunctionNetworkInterfaces", "DescribeFunctionNetwork",
    ]
    error_message = "Unexpected statements: ${aws_iam_role_policy.this[0].policy}"
  }

  assert {
    condition = one([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s if s.Sid == "UseModuleKmsKey"]) == {
      Sid       = "UseModuleKmsKey"
      Effect    = "Allow"
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = ["arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]
      Condition = { StringEquals = { "kms:ViaService" = ["secretsmanager.eu-west-1.amazonaws.com", "sqs.eu-west-1.amazonaws.com", "lambda.eu-west-1.amazonaws.com", "sns.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com"] } }
    }
    error_message = "The key must be usable only through Secrets Manager, SQS, Lambda, SNS and DynamoDB (the state table)."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Resource if s.Sid == "PublishToAllowedTopics"]) == ["arn:aws:sns:eu-west-1:123456789012:security-audit", "arn:aws:sns:eu-west-1:123456789012:soc"]
    error_message = "sns:Publish must be limited to the allowed topics."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Resource if s.Sid == "CreateOwnLogGroup"]) == ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/guardduty-notify"]
    error_message = "Without a module log group the function may create only its own."
  }

  assert {
    condition = one([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Resource if s.Sid == "CreateFunctionNetworkInterfaces"]) == [
      "arn:aws:ec2:eu-west-1:123456789012:network-interface/*",
      "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0123456789abcdef0",
      "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0fedcba9876543210",
      "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0",
    ]
    error_message = "ENIs may be created only in the given subnets and security groups."
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Sid if contains(s.Resource, "*")] == ["ReadFindingsForReport", "DescribeFunctionNetwork"] && one([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Action if s.Sid == "DescribeFunctionNetwork"]) == ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
    error_message = "Only actions without resource-level permissions (EC2 Describe, GuardDuty's findings reads, the latter kept to the region) may use Resource \"*\"."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Effect == "Allow" && !anytrue([for a in s.Action : endswith(a, "*")])])
    error_message = "No action wildcards."
  }
}

run "state_table_with_module_key" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    kms_key_arn                     = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    state_ttl_days                  = 30
    state_table_deletion_protection = true
  }

  assert {
    condition = (
      aws_dynamodb_table.state[0].name == "guardduty-notify-state" &&
      aws_dynamodb_table.state[0].billing_mode == "PAY_PER_REQUEST" &&
      aws_dynamodb_table.state[0].hash_key == "pk" && aws_dynamodb_table.state[0].range_key == "sk" &&
      toset([for a in aws_dynamodb_table.state[0].attribute : "${a.name}:${a.type}"]) == toset(["pk:S", "sk:S"])
    )
    error_message = "The state table: on-demand, string keys pk (partition) and sk (sort), nothing else declared."
  }
  assert {
    condition     = aws_dynamodb_table.state[0].ttl[0].attribute_name == "expiresAt" && aws_dynamodb_table.state[0].ttl[0].enabled && aws_dynamodb_table.state[0].point_in_time_recovery[0].enabled
    error_message = "TTL on expiresAt and point-in-time recovery are on."
  }
  assert {
    condition     = aws_dynamodb_table.state[0].server_side_encryption[0].enabled && aws_dynamodb_table.state[0].server_side_encryption[0].kms_key_arn == var.kms_key_arn && aws_dynamodb_table.state[0].deletion_protection_enabled
    error_message = "With kms_key_arn the table is encrypted with it; deletion protection follows its variable."
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["GDN_STATE_TABLE"] == "guardduty-notify-state" && aws_lambda_function.this.environment[0].variables["GDN_STATE_TTL_DAYS"] == "30"
    error_message = "The function is told the table's name and the TTL in days."
  }
  assert {
    condition     = output.state_table_name == "guardduty-notify-state" && output.state_table_arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/guardduty-notify-state"
    error_message = "state_table_name and state_table_arn name the table."
  }
}

run "state_table_defaults" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  assert {
    condition     = length(aws_dynamodb_table.state[0].server_side_encryption) == 0 && !aws_dynamodb_table.state[0].deletion_protection_enabled
    error_message = "Without kms_key_arn the table uses DynamoDB's AWS owned key (no server_side_encryption block); deletion protection is off by default."
  }
}

run "state_table_existing" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    existing_state_table_arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/shared-gdn-state"
  }

  assert {
    condition     = length(aws_dynamodb_table.state) == 0 && one([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Resource if s.Sid == "UseStateTable"]) == ["arn:aws:dynamodb:eu-west-1:123456789012:table/shared-gdn-state"]
    error_message = "An existing table: none created, the grant scoped to that table."
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["GDN_STATE_TABLE"] == "shared-gdn-state" && output.state_table_arn == var.existing_state_table_arn
    error_message = "The function uses the existing table by name."
  }
}

run "stateless" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    create_state_table = false
    kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
  }

  assert {
    condition     = length(aws_dynamodb_table.state) == 0 && !contains([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Sid], "UseStateTable")
    error_message = "create_state_table = false: no table, no DynamoDB grant."
  }
  assert {
    condition     = !contains(one([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Condition.StringEquals["kms:ViaService"] if s.Sid == "UseModuleKmsKey"]), "dynamodb.eu-west-1.amazonaws.com")
    error_message = "Without a state table the key is not usable through DynamoDB."
  }
  assert {
    condition     = !contains(keys(aws_lambda_function.this.environment[0].variables), "GDN_STATE_TABLE") && !contains(keys(aws_lambda_function.this.environment[0].variables), "GDN_STATE_TTL_DAYS") && output.state_table_name == null
    error_message = "Stateless: the function gets no state table variables."
  }
}

# With an existing secret the module writes nothing, so config_json_version
# must stay null; config_json is still set (hashicorp/terraform#38974), which
# the module's check rightly reports.
run "existing_secret" {
  command = apply

  module {
    source = "./modules/notifier"
  }

  variables {
    config_json_version = null
    existing_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/gdn-XyZ123"
  }

  expect_failures = [check.config_json_has_a_version]

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Resource if s.Sid == "ReadConfigSecret"]) == ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/gdn-XyZ123"]
    error_message = "GetSecretValue must be scoped to the existing secret."
  }
}
