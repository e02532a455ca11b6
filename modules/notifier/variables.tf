################################################################################
# General
################################################################################

variable "name" {
  description = "Name of every resource the module creates (function, queues, rule, role, alarms, dashboard), and the prefix of the config secret's default name."
  type        = string
  default     = "guardduty-notify"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters of letters, digits, hyphens and underscores (it names a Lambda function, SQS queues and IAM roles)."
  }
}

variable "tags" {
  description = "Tags added to every resource that supports them."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key that encrypts the queues, the config secret, the log group, the function's environment and the state table. Its key policy must let events.amazonaws.com and logs.<region>.amazonaws.com use it (see the multi-channel example). null uses AWS managed encryption (SQS-managed SSE, the aws/secretsmanager key)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias."
  }
}

################################################################################
# EventBridge rule
################################################################################

variable "create_event_rule" {
  description = "Create the EventBridge rule on the default bus that sends GuardDuty findings to the queue. Set false to feed the queue yourself."
  type        = bool
  default     = true
  nullable    = false
}

variable "min_severity" {
  description = "Lowest GuardDuty severity sent to the function, filtered by EventBridge: LOW, MEDIUM, HIGH or CRITICAL (the band's floor: 1, 4, 7, 9), or a number from 0 to 10. Per-channel minimums in the config secret apply on top."
  type        = string
  default     = "LOW"
  nullable    = false

  validation {
    condition = contains(["LOW", "MEDIUM", "HIGH", "CRITICAL"], upper(var.min_severity)) || (
      can(tonumber(var.min_severity)) && try(tonumber(var.min_severity) >= 0 && tonumber(var.min_severity) <= 10, false)
    )
    error_message = "min_severity must be LOW, MEDIUM, HIGH, CRITICAL or a number from 0 to 10."
  }
}

variable "finding_types_include" {
  description = "Finding type prefixes EventBridge sends on (for example \"UnauthorizedAccess:\", \"CryptoCurrency:EC2/\"). Empty sends every type."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.finding_types_include : can(regex("^[A-Za-z0-9:/._!-]{1,128}$", p))])
    error_message = "finding_types_include entries must be 1-128 characters of letters, digits and : / . _ ! - (no wildcards)."
  }
}

variable "finding_types_exclude" {
  description = "Finding type prefixes EventBridge drops (for example \"Recon:\", \"Policy:\"). Cannot be combined with finding_types_include: EventBridge ORs the matchers of one field."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.finding_types_exclude : can(regex("^[A-Za-z0-9:/._!-]{1,128}$", p))])
    error_message = "finding_types_exclude entries must be 1-128 characters of letters, digits and : / . _ ! - (no wildcards)."
  }

  validation {
    condition     = length(var.finding_types_exclude) == 0 || length(var.finding_types_include) == 0
    error_message = "Set finding_types_include or finding_types_exclude, not both: an EventBridge pattern cannot AND two matchers on detail.type. Use the per-channel include/exclude rules in the config secret for finer routing."
  }
}

variable "notify_on_api_activity" {
  description = "Send GuardDuty API calls delivered by CloudTrail to the function (a rule \"<name>-api-activity\"): archive/unarchive (archive sync) and the calls that disable or weaken GuardDuty (tamper alerts). Needs a CloudTrail trail logging management events in this account and region (an organization trail counts). Reading calls (Get..., List...) are never sent."
  type        = bool
  default     = true
  nullable    = false
}

variable "notify_on_malware_scan_results" {
  description = "Send Malware Protection for S3 object scan results to the function (a rule \"<name>-malware-scan\"): THREATS_FOUND and objects that could not be scanned; NO_THREATS_FOUND only with notify_on_clean_malware_scan_results."
  type        = bool
  default     = true
  nullable    = false
}

variable "notify_on_clean_malware_scan_results" {
  description = "Also send NO_THREATS_FOUND scan results to the function (channels stay silent about them unless they ask). false drops them at EventBridge, which costs nothing, instead of paying an SQS request and an invocation share for every clean object."
  type        = bool
  default     = false
  nullable    = false
}

variable "notify_on_coverage" {
  description = "Send GuardDuty coverage events to the function (a rule \"<name>-coverage\"): Malware Protection plan status Warning/Error and post-scan action failures, Runtime Monitoring Unhealthy/Healthy."
  type        = bool
  default     = true
  nullable    = false
}

################################################################################
# Lambda function
################################################################################

variable "lambda_zip_path" {
  description = "Path of the function's deployment package. null uses the bundle committed with this module (handler/dist/lambda.zip)."
  type        = string
  default     = null

  validation {
    condition     = var.lambda_zip_path == null || endswith(coalesce(var.lambda_zip_path, "-"), ".zip")
    error_message = "lambda_zip_path must point to a .zip file."
  }
}

variable "lambda_runtime" {
  description = "Lambda runtime identifier: nodejs22.x (the bundle targets Node.js 22; the tests run on it) or a later Node.js major the AWS provider knows (hashicorp/aws 5.100.0 refuses nodejs24.x)."
  type        = string
  default     = "nodejs22.x"
  nullable    = false

  validation {
    condition     = can(regex("^nodejs(2[2-9]|[3-9][0-9])\\.x$", var.lambda_runtime))
    error_message = "lambda_runtime must be a Node.js runtime from nodejs22.x on: the bundle targets Node.js 22 (Node.js 20 reached its end of life on 2026-04-30)."
  }
}

variable "lambda_architecture" {
  description = "Instruction set of the function: arm64 (cheaper) or x86_64. The bundle is plain JavaScript and runs on both."
  type        = string
  default     = "arm64"
  nullable    = false

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "lambda_memory_size" {
  description = "Memory of the function in MB (CPU scales with it)."
  type        = number
  default     = 256
  nullable    = false

  validation {
    condition     = var.lambda_memory_size >= 128 && var.lambda_memory_size <= 10240 && floor(var.lambda_memory_size) == var.lambda_memory_size
    error_message = "lambda_memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "lambda_timeout" {
  description = "Timeout of one invocation in seconds. The queue's visibility timeout is derived from it (6 x timeout + batching window, the AWS guidance for SQS event sources)."
  type        = number
  default     = 120
  nullable    = false

  validation {
    condition     = var.lambda_timeout >= 1 && var.lambda_timeout <= 900 && floor(var.lambda_timeout) == var.lambda_timeout
    error_message = "lambda_timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "lambda_reserved_concurrent_executions" {
  description = "Concurrency reserved for the function; -1 leaves it unreserved. To cap how many copies the queue starts, prefer event_source_maximum_concurrency, which does not throttle."
  type        = number
  default     = -1
  nullable    = false

  validation {
    condition     = var.lambda_reserved_concurrent_executions >= -1 && floor(var.lambda_reserved_concurrent_executions) == var.lambda_reserved_concurrent_executions
    error_message = "lambda_reserved_concurrent_executions must be -1 (unreserved) or a whole number from 0."
  }
}

variable "lambda_tracing_mode" {
  description = "X-Ray tracing mode of the function: PassThrough or Active."
  type        = string
  default     = "PassThrough"
  nullable    = false

  validation {
    condition     = contains(["PassThrough", "Active"], var.lambda_tracing_mode)
    error_message = "lambda_tracing_mode must be PassThrough or Active."
  }
}

variable "lambda_log_level" {
  description = "Log level of the function (GDN_LOG_LEVEL): DEBUG, INFO, WARN or ERROR."
  type        = string
  default     = "INFO"
  nullable    = false

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.lambda_log_level)
    error_message = "lambda_log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "lambda_subnet_ids" {
  description = "Subnets to run the function in. Empty runs it outside a VPC. In a VPC the function needs a route to the internet (webhooks) and to Secrets Manager, SQS, SNS and Organizations."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.lambda_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "lambda_subnet_ids entries must be subnet ids (subnet-...)."
  }
}

variable "lambda_security_group_ids" {
  description = "Security groups of the function when lambda_subnet_ids is set."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.lambda_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "lambda_security_group_ids entries must be security group ids (sg-...)."
  }

  validation {
    condition     = (length(var.lambda_subnet_ids) == 0) == (length(var.lambda_security_group_ids) == 0)
    error_message = "Set lambda_subnet_ids and lambda_security_group_ids together (both empty runs the function outside a VPC)."
  }
}

variable "config_refresh_seconds" {
  description = "How long the function caches the config secret before reading it again, in seconds (GDN_CONFIG_REFRESH_SECONDS); rotated webhooks apply within this time."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.config_refresh_seconds >= 0 && var.config_refresh_seconds <= 86400 && floor(var.config_refresh_seconds) == var.config_refresh_seconds
    error_message = "config_refresh_seconds must be a whole number from 0 to 86400."
  }
}

variable "max_requeues" {
  description = "How many times the function re-queues one (finding, channel) delivery that failed before sending it to the dead-letter queue (GDN_MAX_REQUEUES)."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition     = var.max_requeues >= 0 && var.max_requeues <= 50 && floor(var.max_requeues) == var.max_requeues
    error_message = "max_requeues must be a whole number from 0 to 50."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the function's metrics (GDN_METRICS_NAMESPACE); give each deployment in one account and region its own."
  type        = string
  default     = "GuardDutyNotify"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 characters of letters, digits and . _ / # : - and must not start with AWS/."
  }
}

################################################################################
# IAM
################################################################################

variable "create_iam_role" {
  description = "Create the function's IAM role with a least-privilege inline policy. Set false and pass iam_role_arn to bring your own."
  type        = bool
  default     = true
  nullable    = false
}

variable "iam_role_arn" {
  description = "ARN of an existing IAM role for the function, used when create_iam_role is false. It needs the permissions listed in the module README."
  type        = string
  default     = null

  validation {
    condition     = var.iam_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.iam_role_arn))
    error_message = "iam_role_arn must be an IAM role ARN."
  }

  validation {
    condition     = var.create_iam_role || var.iam_role_arn != null
    error_message = "iam_role_arn is required when create_iam_role is false."
  }
}

variable "iam_role_path" {
  description = "Path of the IAM roles the module creates."
  type        = string
  default     = "/"
  nullable    = false

  validation {
    condition     = can(regex("^/([\\x21-\\x7E]+/)?$", var.iam_role_path)) && length(var.iam_role_path) <= 512
    error_message = "iam_role_path must start and end with a slash (for example / or /security/)."
  }
}

variable "iam_role_permissions_boundary" {
  description = "ARN of a managed policy set as the permissions boundary of the IAM roles the module creates."
  type        = string
  default     = null

  validation {
    condition     = var.iam_role_permissions_boundary == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.iam_role_permissions_boundary))
    error_message = "iam_role_permissions_boundary must be an IAM managed policy ARN."
  }
}

variable "allowed_sns_topic_arns" {
  description = "SNS topics the function may publish to (the ARNs used by \"sns\" channels in the config). None by default."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for t in var.allowed_sns_topic_arns : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$", t))])
    error_message = "allowed_sns_topic_arns entries must be SNS topic ARNs (no wildcards)."
  }
}

variable "enable_account_name_lookup" {
  description = "Let the function call organizations:DescribeAccount to name the accounts in findings (when the config has no static name for them). Needs the function's account to be the management account or a delegated administrator for Organizations."
  type        = bool
  default     = true
  nullable    = false
}

################################################################################
# CloudWatch Logs
################################################################################

variable "create_log_group" {
  description = "Create the function's log group (/aws/lambda/<name>) with retention and encryption. Set false if it already exists; the function then also gets logs:CreateLogGroup on that one group."
  type        = bool
  default     = true
  nullable    = false
}

variable "cloudwatch_log_group_retention_in_days" {
  description = "Retention of the function's log group in days (0 keeps logs forever)."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_log_group_retention_in_days)
    error_message = "cloudwatch_log_group_retention_in_days must be one of the values CloudWatch Logs accepts: 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

################################################################################
# SQS queue, dead-letter queue and event source mapping
################################################################################

variable "event_source_batch_size" {
  description = "Largest number of findings handed to one invocation. Above a channel's digest threshold (10 by default for chat and email) a burst becomes one digest message instead of one message per finding, so keep this above it."
  type        = number
  default     = 100
  nullable    = false

  validation {
    condition     = var.event_source_batch_size >= 1 && var.event_source_batch_size <= 10000 && floor(var.event_source_batch_size) == var.event_source_batch_size
    error_message = "event_source_batch_size must be a whole number from 1 to 10000."
  }
}

variable "event_source_maximum_batching_window_in_seconds" {
  description = "How long the event source waits to fill a batch, in seconds (0 invokes as soon as messages arrive). Lambda requires at least 1 when event_source_batch_size is above 10. The default adds at most 10 s to a notification, next to GuardDuty's own ~5 minutes to publish a finding."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.event_source_maximum_batching_window_in_seconds >= 0 && var.event_source_maximum_batching_window_in_seconds <= 300 && floor(var.event_source_maximum_batching_window_in_seconds) == var.event_source_maximum_batching_window_in_seconds
    error_message = "event_source_maximum_batching_window_in_seconds must be a whole number from 0 to 300."
  }

  validation {
    condition     = var.event_source_batch_size <= 10 || var.event_source_maximum_batching_window_in_seconds >= 1
    error_message = "event_source_maximum_batching_window_in_seconds must be at least 1 when event_source_batch_size is above 10."
  }
}

variable "event_source_maximum_concurrency" {
  description = "Most concurrent invocations the queue starts (2-1000); null leaves it to Lambda."
  type        = number
  default     = null

  validation {
    condition     = var.event_source_maximum_concurrency == null || try(var.event_source_maximum_concurrency >= 2 && var.event_source_maximum_concurrency <= 1000 && floor(var.event_source_maximum_concurrency) == var.event_source_maximum_concurrency, false)
    error_message = "event_source_maximum_concurrency must be null or a whole number from 2 to 1000."
  }
}

variable "queue_message_retention_seconds" {
  description = "How long the queue keeps a finding that was not processed, in seconds (60 to 1209600)."
  type        = number
  default     = 345600
  nullable    = false

  validation {
    condition     = var.queue_message_retention_seconds >= 60 && var.queue_message_retention_seconds <= 1209600 && floor(var.queue_message_retention_seconds) == var.queue_message_retention_seconds
    error_message = "queue_message_retention_seconds must be a whole number from 60 to 1209600 (14 days)."
  }
}

variable "dlq_message_retention_seconds" {
  description = "How long the dead-letter queue keeps messages, in seconds. SQS keeps a message's original enqueue time when it moves to the dead-letter queue, so this must not be shorter than queue_message_retention_seconds."
  type        = number
  default     = 1209600
  nullable    = false

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600 && floor(var.dlq_message_retention_seconds) == var.dlq_message_retention_seconds
    error_message = "dlq_message_retention_seconds must be a whole number from 60 to 1209600 (14 days)."
  }

  validation {
    condition     = var.dlq_message_retention_seconds >= var.queue_message_retention_seconds
    error_message = "dlq_message_retention_seconds must be at least queue_message_retention_seconds, or messages expire on arrival in the dead-letter queue."
  }
}

variable "dlq_max_receive_count" {
  description = "How many times a message may be received without being deleted (the function failed the whole batch, for example because the config is invalid) before SQS moves it to the dead-letter queue."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.dlq_max_receive_count >= 1 && var.dlq_max_receive_count <= 1000 && floor(var.dlq_max_receive_count) == var.dlq_max_receive_count
    error_message = "dlq_max_receive_count must be a whole number from 1 to 1000."
  }
}

################################################################################
# Config secret
################################################################################

variable "existing_secret_arn" {
  description = "ARN of an existing Secrets Manager secret holding the config JSON. When set, the module creates no secret. If the secret uses a KMS key other than kms_key_arn, that key's policy must let the function decrypt."
  type        = string
  default     = null

  validation {
    condition     = var.existing_secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$", var.existing_secret_arn))
    error_message = "existing_secret_arn must be a full Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)."
  }
}

variable "config_json" {
  description = "The config JSON (channels, webhooks, keys). Written to the secret through the write-only secret_string_wo argument, so it is never stored in state or shown in a plan; takes effect when config_json_version changes. null leaves the secret's value to be set out of band."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = var.config_json == null || can(keys(jsondecode(coalesce(var.config_json, "{}"))))
    error_message = "config_json must be a JSON object (use jsonencode)."
  }
}

variable "config_json_version" {
  description = "Version of config_json. The module writes config_json to the secret when this is set and whenever it changes: bump it to push a new value. null means the module never writes the value."
  type        = number
  default     = null

  validation {
    condition     = var.config_json_version == null || try(var.config_json_version >= 1 && floor(var.config_json_version) == var.config_json_version, false)
    error_message = "config_json_version must be null or a whole number from 1."
  }

  validation {
    condition     = var.config_json_version == null || var.existing_secret_arn == null
    error_message = "config_json_version cannot be used with existing_secret_arn: the module writes values only to the secret it creates."
  }
}

variable "config_secret_name" {
  description = "Name of the config secret the module creates. null uses \"<name>/config\"."
  type        = string
  default     = null

  validation {
    condition     = var.config_secret_name == null || can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", coalesce(var.config_secret_name, "-")))
    error_message = "config_secret_name must be 1-512 characters of letters, digits and / _ + = . @ -."
  }
}

variable "config_secret_recovery_window_in_days" {
  description = "Days Secrets Manager keeps the config secret after deletion: 0 deletes it at once, otherwise 7 to 30."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.config_secret_recovery_window_in_days == 0 || (var.config_secret_recovery_window_in_days >= 7 && var.config_secret_recovery_window_in_days <= 30)
    error_message = "config_secret_recovery_window_in_days must be 0 or from 7 to 30."
  }
}

################################################################################
# State table
################################################################################

variable "create_state_table" {
  description = "Create the DynamoDB state table (\"<name>-state\": on-demand, point-in-time recovery, TTL) the function uses for idempotent delivery across redeliveries, exact escalations across containers, message references and finding lifecycle. false (and no existing_state_table_arn) keeps the stateless behaviour: a redelivered message may be sent again, escalations are known per warm container only."
  type        = bool
  default     = true
  nullable    = false
}

variable "existing_state_table_arn" {
  description = "ARN of an existing DynamoDB table to use as the state table instead of creating one (string partition key \"pk\", string sort key \"sk\", TTL on \"expiresAt\"). If it is encrypted with a KMS key other than kms_key_arn, that key's policy must let the function's role use it through DynamoDB."
  type        = string
  default     = null

  validation {
    condition     = var.existing_state_table_arn == null || can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$", var.existing_state_table_arn))
    error_message = "existing_state_table_arn must be a DynamoDB table ARN (arn:<partition>:dynamodb:<region>:<account>:table/<name>)."
  }
}

variable "state_ttl_days" {
  description = "Days after its last update that a state item expires (DynamoDB TTL on expiresAt, GDN_STATE_TTL_DAYS). The default, 90, is GuardDuty's own finding retention: an update of an older finding is treated as new."
  type        = number
  default     = 90
  nullable    = false

  validation {
    condition     = var.state_ttl_days >= 1 && var.state_ttl_days <= 3650 && floor(var.state_ttl_days) == var.state_ttl_days
    error_message = "state_ttl_days must be a whole number of days from 1 to 3650."
  }
}

variable "state_table_deletion_protection" {
  description = "Turn on DynamoDB deletion protection for the state table the module creates. false (default) lets terraform destroy remove it like every other resource of the module; the table is a cache of delivery state, and point-in-time recovery keeps a restorable backup of a deleted table for 35 days. true makes a destroy fail until it is set back to false and applied."
  type        = bool
  default     = false
  nullable    = false
}

################################################################################
# Alarms and dashboard
################################################################################

variable "create_alarms" {
  description = "Create CloudWatch alarms: messages in the dead-letter queue, function errors, and findings waiting in the queue longer than alarm_queue_age_threshold_seconds."
  type        = bool
  default     = true
  nullable    = false
}

variable "alarm_actions" {
  description = "ARNs notified when an alarm fires (for example an SNS topic)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.alarm_actions : startswith(a, "arn:")])
    error_message = "alarm_actions entries must be ARNs."
  }
}

variable "ok_actions" {
  description = "ARNs notified when an alarm returns to OK."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.ok_actions : startswith(a, "arn:")])
    error_message = "ok_actions entries must be ARNs."
  }
}

variable "alarm_queue_age_threshold_seconds" {
  description = "Age in seconds of the oldest queued finding above which the queue-age alarm fires (a stuck pipeline: bad config, failing function)."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.alarm_queue_age_threshold_seconds >= 60
    error_message = "alarm_queue_age_threshold_seconds must be at least 60."
  }
}

variable "create_dashboard" {
  description = "Create a CloudWatch dashboard: findings by severity and threat purpose, deliveries, failures, retries, suppressions and dead letters per channel, queue age, dead-letter depth, function errors and throttles."
  type        = bool
  default     = false
  nullable    = false
}

variable "create_report_schedule" {
  description = "Schedule the weekly report and heartbeat (EventBridge Scheduler invokes the function with {\"guarddutyNotify\":\"report\"}). The config's reports section names the channels that receive it; without one the report event sends nothing."
  type        = bool
  default     = true
  nullable    = false
}

variable "report_schedule_expression" {
  description = "When the report runs: an EventBridge Scheduler cron() or rate() expression, in report_timezone. Default: Mondays at 08:00."
  type        = string
  default     = "cron(0 8 ? * MON *)"
  nullable    = false

  validation {
    condition     = can(regex("^(cron\\(.+\\)|rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\))$", var.report_schedule_expression))
    error_message = "report_schedule_expression must be cron(...) or rate(N unit), as EventBridge Scheduler takes them."
  }
}

variable "report_timezone" {
  description = "IANA time zone of report_schedule_expression (e.g. Europe/Berlin)."
  type        = string
  default     = "UTC"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$", var.report_timezone))
    error_message = "report_timezone must be an IANA time zone name such as UTC or Europe/Berlin."
  }
}
