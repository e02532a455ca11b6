variable "name" {
  description = "Name of the interaction function and its role (the notifier's name with an -interactions suffix, from the root module)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits, hyphens or underscores (a Lambda function name)."
  }
}

variable "config_secret_arn" {
  description = "ARN of the config secret holding the slackApp section (signing secret, workspace, allow lists). The function reads it and nothing else of Secrets Manager."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+$", var.config_secret_arn))
    error_message = "config_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "state_table_arn" {
  description = "ARN of the state table (acknowledgements and the claims that make every click act once). Null: actions still work, a double click may act twice on idempotent GuardDuty calls."
  type        = string
  default     = null

  validation {
    condition     = var.state_table_arn == null || can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\\d{12}:table/[A-Za-z0-9_.-]{3,255}$", var.state_table_arn))
    error_message = "state_table_arn must be a DynamoDB table ARN."
  }
}

variable "state_ttl_days" {
  description = "Days a claim is kept in the state table (its TTL), as the notifier's records."
  type        = number
  default     = 90
  nullable    = false

  validation {
    condition     = var.state_ttl_days >= 1 && var.state_ttl_days <= 3650 && floor(var.state_ttl_days) == var.state_ttl_days
    error_message = "state_ttl_days must be a whole number of days from 1 to 3650."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key of the module (secret, state table, log group, environment). Null: AWS managed keys."
  type        = string
  default     = null
}

variable "lambda_zip_path" {
  description = "Path of the Lambda bundle (the committed handler/dist/lambda.zip by default; the interaction entry is interaction.handler in the same zip)."
  type        = string
  default     = null
}

variable "lambda_runtime" {
  description = "Lambda runtime identifier, as the notifier's."
  type        = string
  default     = "nodejs22.x"
  nullable    = false

  validation {
    condition     = can(regex("^nodejs(2[2-9]|[3-9][0-9])\\.x$", var.lambda_runtime))
    error_message = "lambda_runtime must be a Node.js runtime from nodejs22.x on: the bundle targets Node.js 22."
  }
}

variable "lambda_architecture" {
  description = "Instruction set of the function: arm64 or x86_64."
  type        = string
  default     = "arm64"
  nullable    = false

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "lambda_memory_size" {
  description = "Memory of the interaction function in MB (it answers Slack within 3 s; 256 MB gives it the CPU for a fast cold start)."
  type        = number
  default     = 256
  nullable    = false

  validation {
    condition     = var.lambda_memory_size >= 128 && var.lambda_memory_size <= 10240
    error_message = "lambda_memory_size must be between 128 and 10240 MB."
  }
}

variable "lambda_timeout" {
  description = "Timeout of the interaction function in seconds. Slack is answered at once; the action and the reply through response_url run within this."
  type        = number
  default     = 15
  nullable    = false

  validation {
    condition     = var.lambda_timeout >= 3 && var.lambda_timeout <= 60
    error_message = "lambda_timeout must be between 3 and 60 seconds."
  }
}

variable "lambda_reserved_concurrent_executions" {
  description = "Concurrency cap of the public endpoint, so a flood of (refused) requests cannot take the account's Lambda concurrency. -1: unreserved."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.lambda_reserved_concurrent_executions == -1 || (var.lambda_reserved_concurrent_executions >= 1 && var.lambda_reserved_concurrent_executions <= 1000)
    error_message = "lambda_reserved_concurrent_executions must be -1 or between 1 and 1000."
  }
}

variable "lambda_log_level" {
  description = "Log level of the function: DEBUG, INFO, WARN or ERROR. Every action writes an audit line at INFO or WARN."
  type        = string
  default     = "INFO"
  nullable    = false

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.lambda_log_level)
    error_message = "lambda_log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the endpoint's metrics (refusals, actions, response times)."
  type        = string
  default     = "GuardDutyNotify"
  nullable    = false
}

variable "cloudwatch_log_group_retention_in_days" {
  description = "Retention of the function's log group (the audit trail of every action)."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_log_group_retention_in_days)
    error_message = "cloudwatch_log_group_retention_in_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "iam_role_path" {
  description = "Path of the function's IAM role."
  type        = string
  default     = "/"
  nullable    = false
}

variable "iam_role_permissions_boundary" {
  description = "ARN of a permissions boundary for the function's role."
  type        = string
  default     = null
}

variable "slack_app_name" {
  description = "Display name of the Slack app in the manifest this module outputs."
  type        = string
  default     = "GuardDuty Notify"
  nullable    = false

  validation {
    condition     = length(var.slack_app_name) >= 1 && length(var.slack_app_name) <= 35
    error_message = "slack_app_name must be 1-35 characters (Slack's limit for an app name)."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
