# Builds the EventBridge patterns for what GuardDuty puts on the bus: findings,
# and the other signals (API activity via CloudTrail, Malware Protection for S3
# scan results, coverage). Pure: no resources, no provider, so the notifier and
# the region forwarders share one definition.

locals {
  severity_floors = {
    LOW      = 1
    MEDIUM   = 4
    HIGH     = 7
    CRITICAL = 9
  }

  min_severity = contains(keys(local.severity_floors), upper(var.min_severity)) ? local.severity_floors[upper(var.min_severity)] : tonumber(var.min_severity)

  # One excluded prefix uses the documented anything-but/prefix form; several
  # use anything-but with a list of wildcards ("Recon:*"), because
  # anything-but/prefix takes a single string. Each branch is JSON so the
  # conditional's results share one type.
  type_matchers_json = (
    length(var.finding_types_include) > 0 ? jsonencode([for p in var.finding_types_include : { prefix = p }]) :
    length(var.finding_types_exclude) == 1 ? jsonencode([{ "anything-but" = { prefix = var.finding_types_exclude[0] } }]) :
    length(var.finding_types_exclude) > 1 ? jsonencode([{ "anything-but" = { wildcard = [for p in var.finding_types_exclude : "${p}*"] } }]) :
    ""
  )

  detail = merge(
    { severity = [{ numeric = [">=", local.min_severity] }] },
    { for k, v in { type = local.type_matchers_json } : k => jsondecode(v) if v != "" },
  )

  pattern = {
    source        = ["aws.guardduty"]
    "detail-type" = ["GuardDuty Finding"]
    detail        = local.detail
  }

  ##############################################################################
  # GuardDuty API calls, delivered by CloudTrail (a trail logging management
  # events, an organization trail included). The calls that change what
  # GuardDuty sees or reports, by name: EventBridge never receives Get*/List*
  # (read-only) calls on an ENABLED rule, and naming the calls keeps every
  # other write (tagging, invitations, sample findings) off the queue.
  ##############################################################################

  api_activity_event_names = [
    # Archive sync: the finding's lifecycle (resolve the incident, note it in chat).
    "ArchiveFindings",
    "UnarchiveFindings",
    # Blinding the detector or its protection plans.
    "DeleteDetector",
    "UpdateDetector",
    "UpdateMemberDetectors", # the administrator's UpdateDetector for member accounts
    "UpdateMalwareScanSettings",
    # Suppression rules and trusted IP lists: findings stop.
    "CreateFilter",
    "UpdateFilter",
    "CreateIPSet",
    "UpdateIPSet",
    # Threat intelligence lists: detections stop.
    "DeleteThreatIntelSet",
    "UpdateThreatIntelSet",
    # Accounts leaving the administrator's view.
    "DeleteMembers",
    "DisassociateMembers",
    "StopMonitoringMembers",
    "DisassociateFromAdministratorAccount",
    "DisassociateFromMasterAccount", # deprecated name of the same call, still served
    # Findings no longer exported; organization auto-enable; the administrator itself.
    "DeletePublishingDestination",
    "UpdateOrganizationConfiguration",
    "DisableOrganizationAdminAccount",
    # Malware Protection for S3 plans: deleted, or narrowed to fewer objects.
    "DeleteMalwareProtectionPlan",
    "UpdateMalwareProtectionPlan",
  ]

  api_activity_pattern = {
    source        = ["aws.guardduty"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["guardduty.amazonaws.com"]
      eventName   = local.api_activity_event_names
    }
  }

  ##############################################################################
  # Malware Protection for S3: one event per scanned object. Clean results are
  # dropped here unless asked for: EventBridge filtering is free, while every
  # event on the queue costs an SQS request and a share of an invocation, and
  # an upload bucket scans millions of clean objects. Everything else passes:
  # THREATS_FOUND, and the objects GuardDuty could not scan (UNSUPPORTED, e.g.
  # a password-protected archive; ACCESS_DENIED; FAILED), or whose result is
  # missing, since an unscanned object is news too.
  ##############################################################################

  malware_scan_result_pattern = merge(
    {
      source        = ["aws.guardduty"]
      "detail-type" = ["GuardDuty Malware Protection Object Scan Result"]
    },
    var.include_clean_malware_scan_results ? {} : {
      detail = {
        scanResultDetails = {
          scanResultStatus = [{ "anything-but" = ["NO_THREATS_FOUND"] }, { exists = false }]
        }
      }
    },
  )

  ##############################################################################
  # Coverage: a Malware Protection plan that cannot scan or tag, and Runtime
  # Monitoring agents losing (Unhealthy) or regaining (Healthy) coverage.
  # Detail-types as listed in the EventBridge reference for aws.guardduty.
  ##############################################################################

  coverage_detail_types = [
    "GuardDuty Malware Protection Post Scan Action Failed",
    "GuardDuty Malware Protection Resource Status Warning",
    "GuardDuty Malware Protection Resource Status Error",
    "GuardDuty Runtime Protection Unhealthy",
    "GuardDuty Runtime Protection Healthy",
  ]

  coverage_pattern = {
    source        = ["aws.guardduty"]
    "detail-type" = local.coverage_detail_types
  }

  # jsonencode of an empty object is "{}", which EventBridge rejects as a
  # matcher: drop an empty detail.
  signal_patterns = {
    api-activity = local.api_activity_pattern
    malware-scan = { for k, v in local.malware_scan_result_pattern : k => v if v != {} }
    coverage     = local.coverage_pattern
  }

  signals_enabled = {
    api-activity = var.api_activity
    malware-scan = var.malware_scan_results
    coverage     = var.coverage
  }
}
