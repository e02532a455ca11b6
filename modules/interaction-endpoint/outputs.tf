output "function_url" {
  description = "The interaction endpoint: Slack's Interactivity Request URL."
  value       = aws_lambda_function_url.this.function_url
}

output "function_arn" {
  description = "ARN of the interaction function."
  value       = aws_lambda_function.this.arn
}

output "function_name" {
  description = "Name of the interaction function."
  value       = aws_lambda_function.this.function_name
}

output "role_arn" {
  description = "ARN of the interaction function's role."
  value       = aws_iam_role.this.arn
}

output "policy_json" {
  description = "The interaction function's inline policy, for review."
  value       = local.policy_json
}

output "invoke_permission_command" {
  description = "Since November 2026 AWS also requires lambda:InvokeFunction (condition lambda:InvokedViaFunctionUrl) for a function URL; hashicorp/aws adds it only from 6.29 (invoked_via_function_url). With an older provider, run this once after apply."
  value       = "aws lambda add-permission --region ${local.region} --function-name ${aws_lambda_function.this.function_name} --statement-id AllowSlackInvokeViaFunctionUrl --action lambda:InvokeFunction --principal '*' --invoked-via-function-url"
}

output "slack_app_manifest" {
  description = "Slack app manifest (JSON): paste it at api.slack.com/apps → Create New App → From a manifest. Interactivity posts to the function URL; the bot may post and read user groups."
  value = jsonencode({
    display_information = {
      name        = var.slack_app_name
      description = "Amazon GuardDuty findings, with buttons to acknowledge, archive and give feedback."
    }
    features = {
      bot_user = { display_name = var.slack_app_name, always_online = false }
    }
    oauth_config = {
      scopes = { bot = ["chat:write", "usergroups:read"] }
    }
    settings = {
      interactivity          = { is_enabled = true, request_url = aws_lambda_function_url.this.function_url }
      org_deploy_enabled     = false
      socket_mode_enabled    = false
      token_rotation_enabled = false
    }
  })
}
