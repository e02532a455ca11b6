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
