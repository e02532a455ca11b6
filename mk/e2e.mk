# End to end against an emulated AWS (issue 10). Included by the Makefile.
#
#   make e2e    apply examples/multi-channel and examples/slack-minimal to moto
#               on Terraform and OpenTofu, put GuardDuty findings on the bus,
#               and GuardDuty API calls (as CloudTrail delivers them) on the bus,
#               run the deployed bundle as the Lambda service would, check every
#               (event, channel) delivery, post to a Slack app channel through
#               the Slack Web API stand-in and click Archive on its parent
#               through the interaction endpoint (multi-channel) signed and
#               unsigned (the signed click edits that parent), plan clean
#               after apply, destroy clean
#
# Knobs: E2E_ENGINES (terraform tofu), E2E_EXAMPLES (multi-channel slack-minimal),
# E2E_JOBS (runs at a time; each has its own moto), E2E_KEEP=1 (keep the temp
# directory with every log, state and the function's output).
#
# The harness and the function's code run on the Node.js the function deploys on
# (mk/node.mk); the run fails if the deployed runtime is another major.
# Tools come from the other targets: the moto venv (python-deps), npm packages
# (node-deps), and from mk/terraform.mk the CLI config with the provider mirror
# and OpenTofu. mk/terraform.mk is included after this file, so its variables
# ($(TOFU), $(TF_CLI_CONFIG), $(TERRAFORM)) are used in recipes only, where they
# are expanded late; e2e-tools builds them through a sub-make for the same reason.

E2E_ENGINES ?= terraform tofu
E2E_EXAMPLES ?= multi-channel slack-minimal
E2E_JOBS ?= 4
E2E_KEEP ?=

.PHONY: e2e e2e-tools

e2e-tools: node-deps python-deps
	@$(MAKE) --no-print-directory tf-cli-config $(TOFU)

e2e: e2e-tools lambda-node
	npx tsc -p tests/e2e/tsconfig.json
	MOTO_PYTHON=$(VENV)/bin/python $(ON_LAMBDA_NODE) \
	E2E_TERRAFORM=$(TERRAFORM) E2E_TOFU=$(TOFU) E2E_CLI_CONFIG=$(TF_CLI_CONFIG) \
	E2E_ENGINES="$(E2E_ENGINES)" E2E_EXAMPLES="$(E2E_EXAMPLES)" E2E_JOBS=$(E2E_JOBS) E2E_KEEP=$(E2E_KEEP) \
	npx tsx tests/e2e/run.ts
