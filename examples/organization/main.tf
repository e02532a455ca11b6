# Run in the GuardDuty delegated-administrator account, which receives the
# findings of every member account in each region. The notifier runs in one
# central region; every other region forwards its findings to the central
# region's default event bus. Providers cannot be created in a loop, so each
# forwarding region has a provider alias and a module block.

provider "aws" {
  region = var.central_region
}

provider "aws" {
  alias  = "us_west_2"
  region = "us-west-2"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}

module "guardduty_notify" {
  source = "../.."

  name         = var.name
  min_severity = var.min_severity

  # One IAM role (IAM is global) shared by the forwarders below.
  create_forwarder_iam_role = true

  # The config is set out of band, so no credential ever passes through
  # Terraform: the module creates an empty secret, and you put the value:
  #   aws secretsmanager put-secret-value --secret-id guardduty-notify/config \
  #     --secret-string file://config.json
  # Until then the function fails its batches and findings wait in the queue.
  config_secret_recovery_window_in_days = 7
}

module "forward_us_west_2" {
  source    = "../../modules/region-forwarder"
  providers = { aws = aws.us_west_2 }

  name                 = var.name
  min_severity         = var.min_severity
  target_event_bus_arn = module.guardduty_notify.event_bus_arn
  create_iam_role      = false
  iam_role_arn         = module.guardduty_notify.forwarder_iam_role_arn
}

module "forward_eu_west_1" {
  source    = "../../modules/region-forwarder"
  providers = { aws = aws.eu_west_1 }

  name                 = var.name
  min_severity         = var.min_severity
  target_event_bus_arn = module.guardduty_notify.event_bus_arn
  create_iam_role      = false
  iam_role_arn         = module.guardduty_notify.forwarder_iam_role_arn
}
