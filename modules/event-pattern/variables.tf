variable "min_severity" {
  description = "Lowest GuardDuty severity that matches: LOW, MEDIUM, HIGH or CRITICAL (the band's floor: 1, 4, 7, 9), or a number from 0 to 10."
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
  description = "Finding type prefixes to match (for example \"UnauthorizedAccess:\", \"CryptoCurrency:EC2/\"). Empty matches every type."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.finding_types_include : can(regex("^[A-Za-z0-9:/._!-]{1,128}$", p))])
    error_message = "finding_types_include entries must be 1-128 characters of letters, digits and : / . _ ! - (no wildcards)."
  }
}

variable "finding_types_exclude" {
  description = "Finding type prefixes to drop (for example \"Recon:\", \"Policy:\"). Cannot be combined with finding_types_include: EventBridge ORs the matchers of one field."
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

variable "api_activity" {
  description = "Include the pattern of GuardDuty API calls delivered by CloudTrail (archive/unarchive, and the calls that disable or weaken GuardDuty) in signal_patterns."
  type        = bool
  default     = true
  nullable    = false
}

variable "malware_scan_results" {
  description = "Include the pattern of Malware Protection for S3 object scan results in signal_patterns."
  type        = bool
  default     = true
  nullable    = false
}

variable "include_clean_malware_scan_results" {
  description = "Match NO_THREATS_FOUND scan results too. false (default) drops them at EventBridge, where filtering costs nothing; every other result (THREATS_FOUND, and objects that could not be scanned) matches."
  type        = bool
  default     = false
  nullable    = false
}

variable "coverage" {
  description = "Include the pattern of coverage events (Malware Protection plan status and post-scan action failures, Runtime Monitoring healthy/unhealthy) in signal_patterns."
  type        = bool
  default     = true
  nullable    = false
}
