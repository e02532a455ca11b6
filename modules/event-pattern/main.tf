# Builds the EventBridge pattern for GuardDuty findings. Pure: no resources,
# no provider, so the notifier and the region forwarders share one definition.

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
}
