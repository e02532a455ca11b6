variable "name" {
  description = "Name of the forwarding rule (\"<name>-forward\") and, in the rule's region, of its IAM role (\"<name>-forward-<region>\"). Use the notifier's name."
  type        = string
  default     = "guardduty-notify"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters of letters, digits, hyphens and underscores."
  }
}

variable "tags" {
  description = "Tags added to every resource that supports them."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "target_event_bus_arn" {
  description = "ARN of the central region's default event bus, where the notifier's rule runs (the root module's event_bus_arn output)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]+$", var.target_event_bus_arn))
    error_message = "target_event_bus_arn must be an EventBridge event bus ARN."
  }
}

variable "create_rule" {
  description = "Create the forwarding rule in this provider's region. false creates only the IAM role (create_iam_role), shared by the forwarders of every region: its trust then accepts the \"<name>-forward\" rule of any region in this account."
  type        = bool
  default     = true
  nullable    = false
}

variable "min_severity" {
  description = "Lowest GuardDuty severity forwarded: LOW, MEDIUM, HIGH, CRITICAL or a number from 0 to 10. Use the notifier's value."
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
  description = "Finding type prefixes forwarded. Empty forwards every type. Use the notifier's value."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.finding_types_include : can(regex("^[A-Za-z0-9:/._!-]{1,128}$", p))])
    error_message = "finding_types_include entries must be 1-128 characters of letters, digits and : / . _ ! - (no wildcards)."
  }
}

variable "finding_types_exclude" {
  description = "Finding type prefixes not forwarded. Cannot be combined with finding_types_include. Use the notifier's value."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.finding_types_exclude : can(regex("^[A-Za-z0-9:/._!-]{1,128}$", p))])
    error_message = "finding_types_exclude entries must be 1-128 characters of letters, digits and : / . _ ! - (no wildcards)."
  }

  validation {
    condition     = length(var.finding_types_exclude) == 0 || length(var.finding_types_include) == 0
    error_message = "Set finding_types_include or finding_types_exclude, not both."
  }
}

variable "notify_on_api_activity" {
  description = "Forward GuardDuty API calls delivered by CloudTrail (rule \"<name>-forward-api-activity\"). Use the notifier's value."
  type        = bool
  default     = true
  nullable    = false
}

variable "notify_on_malware_scan_results" {
  description = "Forward Malware Protection for S3 object scan results (rule \"<name>-forward-malware-scan\"). Use the notifier's value."
  type        = bool
  default     = true
  nullable    = false
}

variable "notify_on_clean_malware_scan_results" {
  description = "Forward NO_THREATS_FOUND scan results too. Use the notifier's value."
  type        = bool
  default     = false
  nullable    = false
}

variable "notify_on_coverage" {
  description = "Forward GuardDuty coverage events (rule \"<name>-forward-coverage\"). Use the notifier's value."
  type        = bool
  default     = true
  nullable    = false
}

variable "create_iam_role" {
  description = "Create the IAM role EventBridge assumes to put events on the central bus. Set false and pass iam_role_arn to use a shared role (for example the root module's forwarder_iam_role_arn)."
  type        = bool
  default     = true
  nullable    = false
}

variable "iam_role_arn" {
  description = "ARN of an existing role allowed to call events:PutEvents on target_event_bus_arn, used when create_iam_role is false."
  type        = string
  default     = null

  validation {
    condition     = var.iam_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.iam_role_arn))
    error_message = "iam_role_arn must be an IAM role ARN."
  }

  validation {
    condition     = var.create_iam_role || var.iam_role_arn != null || !var.create_rule
    error_message = "iam_role_arn is required when create_iam_role is false."
  }
}

variable "iam_role_path" {
  description = "Path of the IAM role the module creates."
  type        = string
  default     = "/"
  nullable    = false

  validation {
    condition     = can(regex("^/([\\x21-\\x7E]+/)?$", var.iam_role_path)) && length(var.iam_role_path) <= 512
    error_message = "iam_role_path must start and end with a slash (for example / or /security/)."
  }
}

variable "iam_role_permissions_boundary" {
  description = "ARN of a managed policy set as the permissions boundary of the IAM role the module creates."
  type        = string
  default     = null

  validation {
    condition     = var.iam_role_permissions_boundary == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.iam_role_permissions_boundary))
    error_message = "iam_role_permissions_boundary must be an IAM managed policy ARN."
  }
}
