# The opt-in Slack interaction endpoint: absent by default (nothing of the
# module is reachable from the internet), and when turned on a function URL
# without IAM auth (Slack cannot sign SigV4; the function checks Slack's
# signature), response streaming, a concurrency cap, and a role that may only
# act on findings in this region, read the config secret and use the state table.

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
    defaults = { arn = "arn:aws:iam::123456789012:role/gdn-interactions-function" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/gdn-interactions" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:gdn-interactions" }
  }
  mock_resource "aws_lambda_function_url" {
    defaults = { function_url = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/" }
  }
}

variables {
  name              = "gdn-interactions"
  config_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:gdn/config-AbCdEf"
  state_table_arn   = "arn:aws:dynamodb:eu-west-1:123456789012:table/gdn-state"
}

run "endpoint" {
  command = apply

  module {
    source = "./modules/interaction-endpoint"
  }

  assert {
    condition     = aws_lambda_function_url.this.authorization_type == "NONE" && aws_lambda_function_url.this.invoke_mode == "RESPONSE_STREAM"
    error_message = "The URL takes Slack's unsigned-by-SigV4 requests and streams (acknowledge first, act after)."
  }

  assert {
    condition     = aws_lambda_function.this.handler == "interaction.handler" && aws_lambda_function.this.reserved_concurrent_executions == 10
    error_message = "Same bundle, its own entry; concurrency capped by default."
  }

  assert {
    condition     = aws_lambda_permission.function_url.action == "lambda:InvokeFunctionUrl" && aws_lambda_permission.function_url.function_url_auth_type == "NONE" && aws_lambda_permission.function_url.principal == "*"
    error_message = "The URL's resource policy allows only InvokeFunctionUrl for auth type NONE."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy).Statement == [
      {
        Sid      = "ReadConfigSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:gdn/config-AbCdEf"]
      },
      {
        Sid       = "ActOnFindingsInThisRegion"
        Effect    = "Allow"
        Action    = ["guardduty:ArchiveFindings", "guardduty:GetFindings", "guardduty:ListDetectors", "guardduty:UpdateFindingsFeedback"]
        Resource  = ["*"]
        Condition = { StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/gdn-interactions:log-stream:*"]
      },
      {
        Sid      = "ClaimActionsInStateTable"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/gdn-state"]
      },
    ]
    error_message = "The role may act on findings in this region, read the secret, write its logs and claim actions in the state table; nothing else."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["GDN_STATE_TABLE"] == "gdn-state" && aws_lambda_function.this.environment[0].variables["GDN_CONFIG_SECRET_ARN"] == var.config_secret_arn
    error_message = "The function finds its secret and its state table from the environment."
  }

  assert {
    condition     = jsondecode(output.slack_app_manifest).settings.interactivity.request_url == "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/" && jsondecode(output.slack_app_manifest).oauth_config.scopes.bot == ["chat:write", "usergroups:read"]
    error_message = "The manifest points Slack's interactivity at the function URL, with the bot scopes the app needs."
  }
}

run "without_state_table" {
  command = plan

  module {
    source = "./modules/interaction-endpoint"
  }

  variables {
    state_table_arn = null
  }

  assert {
    condition     = !strcontains(aws_iam_role_policy.this.policy, "dynamodb")
    error_message = "Without a state table the role has no DynamoDB permission."
  }
}

run "rejects_an_old_runtime" {
  command = plan

  module {
    source = "./modules/interaction-endpoint"
  }

  variables {
    lambda_runtime = "nodejs20.x"
  }

  expect_failures = [var.lambda_runtime]
}
