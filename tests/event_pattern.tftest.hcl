# The EventBridge pattern: numeric severity floor and finding-type filters.
# modules/event-pattern is pure (no provider), so these are plan-only runs.

run "default_floor_is_low" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  assert {
    condition     = jsondecode(output.json) == { source = ["aws.guardduty"], "detail-type" = ["GuardDuty Finding"], detail = { severity = [{ numeric = [">=", 1] }] } }
    error_message = "Default: every GuardDuty finding, severity >= 1: ${output.json}"
  }
}

run "band_medium" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    min_severity = "MEDIUM"
  }

  assert {
    condition     = jsondecode(output.json).detail.severity == [{ numeric = [">=", 4] }]
    error_message = "MEDIUM is severity >= 4."
  }
}

run "band_high_lowercase" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    min_severity = "high"
  }

  assert {
    condition     = jsondecode(output.json).detail.severity == [{ numeric = [">=", 7] }]
    error_message = "high (any case) is severity >= 7."
  }
}

run "band_critical" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    min_severity = "CRITICAL"
  }

  assert {
    condition     = jsondecode(output.json).detail.severity == [{ numeric = [">=", 9] }] && output.min_severity == 9
    error_message = "CRITICAL is severity >= 9."
  }
}

run "number" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    min_severity = 5.5
  }

  assert {
    condition     = jsondecode(output.json).detail.severity == [{ numeric = [">=", 5.5] }] && strcontains(output.json, ",5.5]")
    error_message = "A number is used as is, as a JSON number: ${output.json}"
  }
}

run "zero" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    min_severity = "0"
  }

  assert {
    condition     = jsondecode(output.json).detail.severity == [{ numeric = [">=", 0] }]
    error_message = "0 matches every finding."
  }
}

run "include_prefixes" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    finding_types_include = ["UnauthorizedAccess:", "CryptoCurrency:EC2/"]
  }

  assert {
    condition     = jsondecode(output.json).detail.type == [{ prefix = "UnauthorizedAccess:" }, { prefix = "CryptoCurrency:EC2/" }]
    error_message = "Included prefixes become EventBridge prefix matchers (ORed)."
  }
}

run "exclude_one_prefix" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    finding_types_exclude = ["Recon:"]
  }

  assert {
    condition     = jsondecode(output.json).detail.type == [{ "anything-but" = { prefix = "Recon:" } }]
    error_message = "One excluded prefix becomes anything-but/prefix."
  }
}

run "exclude_several_prefixes" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    finding_types_exclude = ["Recon:", "Policy:IAMUser/"]
  }

  assert {
    condition     = jsondecode(output.json).detail.type == [{ "anything-but" = { wildcard = ["Recon:*", "Policy:IAMUser/*"] } }]
    error_message = "Several excluded prefixes become one anything-but/wildcard list."
  }
}

run "include_and_exclude_rejected" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    finding_types_include = ["UnauthorizedAccess:"]
    finding_types_exclude = ["Recon:"]
  }

  expect_failures = [var.finding_types_exclude]
}

run "unknown_band_rejected" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    min_severity = "SEVERE"
  }

  expect_failures = [var.min_severity]
}

run "out_of_range_rejected" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    min_severity = 10.5
  }

  expect_failures = [var.min_severity]
}

run "wildcard_in_prefix_rejected" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    finding_types_include = ["Recon:*"]
  }

  expect_failures = [var.finding_types_include]
}

################################################################################
# GuardDuty's other signals. Their patterns are also evaluated by EventBridge
# (moto's matcher, through TestEventPattern) against real-shaped events in
# make tf-pattern-test; these runs pin their shape.
################################################################################

run "signals_default" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  assert {
    condition     = keys(output.signal_patterns) == ["api-activity", "coverage", "malware-scan"]
    error_message = "Every signal family is on by default: ${jsonencode(keys(output.signal_patterns))}"
  }
  assert {
    condition     = output.signal_patterns["api-activity"] == output.api_activity_json && output.signal_patterns["malware-scan"] == output.malware_scan_results_json && output.signal_patterns["coverage"] == output.coverage_json
    error_message = "signal_patterns carries the same patterns as the per-family outputs."
  }
}

run "api_activity_names_the_calls" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  assert {
    condition = jsondecode(output.api_activity_json) == {
      source        = ["aws.guardduty"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["guardduty.amazonaws.com"]
        eventName = [
          "ArchiveFindings", "UnarchiveFindings",
          "DeleteDetector", "UpdateDetector", "UpdateMemberDetectors", "UpdateMalwareScanSettings",
          "CreateFilter", "UpdateFilter", "CreateIPSet", "UpdateIPSet",
          "DeleteThreatIntelSet", "UpdateThreatIntelSet",
          "DeleteMembers", "DisassociateMembers", "StopMonitoringMembers",
          "DisassociateFromAdministratorAccount", "DisassociateFromMasterAccount",
          "DeletePublishingDestination", "UpdateOrganizationConfiguration", "DisableOrganizationAdminAccount",
          "DeleteMalwareProtectionPlan", "UpdateMalwareProtectionPlan",
        ]
      }
    }
    error_message = "The API-activity pattern: exactly the GuardDuty calls that archive or change what GuardDuty sees: ${output.api_activity_json}"
  }
  assert {
    condition     = alltrue([for n in output.api_activity_event_names : !can(regex("^(Get|List|Describe)", n))])
    error_message = "No reading call (Get*, List*, Describe*) is ever matched."
  }
  assert {
    condition     = length(distinct(output.api_activity_event_names)) == length(output.api_activity_event_names) && !contains(output.api_activity_event_names, "DeleteFilter") && !contains(output.api_activity_event_names, "DeleteIPSet")
    error_message = "Names appear once; deleting a suppression rule or a trusted IP list (which restores findings) is not matched."
  }
}

run "malware_scan_drops_clean_results_by_default" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  assert {
    condition = jsondecode(output.malware_scan_results_json) == {
      source        = ["aws.guardduty"]
      "detail-type" = ["GuardDuty Malware Protection Object Scan Result"]
      detail        = { scanResultDetails = { scanResultStatus = [{ "anything-but" = ["NO_THREATS_FOUND"] }, { exists = false }] } }
    }
    error_message = "By default every scan result but NO_THREATS_FOUND matches (a result without a status too): ${output.malware_scan_results_json}"
  }
}

run "malware_scan_with_clean_results" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    include_clean_malware_scan_results = true
  }

  assert {
    condition     = jsondecode(output.malware_scan_results_json) == { source = ["aws.guardduty"], "detail-type" = ["GuardDuty Malware Protection Object Scan Result"] }
    error_message = "With clean results, every scan result matches (no detail filter): ${output.malware_scan_results_json}"
  }
}

run "coverage_detail_types" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  assert {
    condition = jsondecode(output.coverage_json) == {
      source = ["aws.guardduty"]
      "detail-type" = [
        "GuardDuty Malware Protection Post Scan Action Failed",
        "GuardDuty Malware Protection Resource Status Warning",
        "GuardDuty Malware Protection Resource Status Error",
        "GuardDuty Runtime Protection Unhealthy",
        "GuardDuty Runtime Protection Healthy",
      ]
    }
    error_message = "Coverage: the five detail-types of the EventBridge reference for aws.guardduty: ${output.coverage_json}"
  }
}

run "signals_turned_off" {
  command = plan

  module {
    source = "./modules/event-pattern"
  }

  variables {
    api_activity         = false
    malware_scan_results = false
    coverage             = false
  }

  assert {
    condition     = output.signal_patterns == {} && jsondecode(output.json)["detail-type"] == ["GuardDuty Finding"]
    error_message = "With every family off, only the findings pattern remains."
  }
}
