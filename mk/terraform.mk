# Terraform module checks, on Terraform and OpenTofu. Included by the Makefile.
#
#   make tf-check        everything below (what CI runs)
#   make tf-tools        CLI config (provider mirror), tofu, tflint, Python venv
#   make tf-fmt-check    fmt -check -recursive, both engines
#   make tf-validate     init + validate: root, modules/*, examples/*, both engines
#   make tf-test         tests/*.tftest.hcl (mocked provider), both engines
#   make tf-pattern-test the event patterns evaluated by EventBridge (moto's TestEventPattern)
#                        against real-shaped GuardDuty events, both engines
#   make tf-lint         tflint (bundled terraform ruleset) + checkov + pass-through drift
#   make tf-docs         regenerate the inputs/outputs reference in the READMEs
#   make tf-docs-check   fail when a generated reference is stale
#   make tf-cdktf-test   cdktf get + synth of examples/cdktf, offline
#   make tf-fmt          rewrite HCL formatting, both engines agree
#   make tf-clean        drop the staged copies (tools stay cached)
#
# Nothing is written to the checkout: tools, venv, CLI config, staged copies
# and TF_DATA_DIRs live under $(GDN_CACHE), with versioned paths so a version
# bump rebuilds. The engines run side by side, each on its own copy.

TF_MK_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

GDN_CACHE ?= $(HOME)/.cache/guardduty-notify
TF_PROVIDER_MIRROR ?= /opt/tf-plugins
TERRAFORM ?= terraform
GO ?= go
PYTHON ?= python3
NPM ?= npm

# Versions come from the tools modules, the single place they are pinned.
TOFU_VERSION := $(shell sed -n 's|^require github.com/opentofu/opentofu v||p' $(TF_MK_ROOT)/tools/opentofu/go.mod)
TFLINT_VERSION := $(shell sed -n 's|^require github.com/terraform-linters/tflint v||p' $(TF_MK_ROOT)/tools/tflint/go.mod)
TF_PY_LOCK := $(TF_MK_ROOT)/scripts/tf/requirements.txt
TF_PY_HASH := $(shell sha256sum $(TF_PY_LOCK) 2>/dev/null | cut -c1-12)
CDKTF_VERSION := 0.21.0

TOFU := $(GDN_CACHE)/tofu/$(TOFU_VERSION)/tofu
TFLINT := $(GDN_CACHE)/tflint/$(TFLINT_VERSION)/tflint
TF_VENV := $(GDN_CACHE)/venv/tf-$(TF_PY_HASH)
TF_CLI_CONFIG := $(GDN_CACHE)/tf/cli.tfrc
TF_STAGE := $(GDN_CACHE)/tf/stage
CDKTF_HOME := $(GDN_CACHE)/cdktf/$(CDKTF_VERSION)

# Root module, every submodule, every example that is a Terraform root module.
TF_DIRS := . $(patsubst $(TF_MK_ROOT)/%/,%,$(sort $(dir $(wildcard $(TF_MK_ROOT)/modules/*/*.tf $(TF_MK_ROOT)/examples/*/*.tf))))
# Both engines by default; TF_ENGINES=terraform skips OpenTofu (and its build).
TF_ENGINES ?= terraform tofu
TF_ENGINE_BINS = $(if $(filter terraform,$(TF_ENGINES)),terraform=$(TERRAFORM)) $(if $(filter tofu,$(TF_ENGINES)),tofu=$(TOFU))
TF_ENGINE_DEPS = $(if $(filter tofu,$(TF_ENGINES)),$(TOFU))

# The generated reference of the root module goes into README.md once it has
# the markers, into docs/terraform.md until then.
TF_ROOT_DOC = README.md

.PHONY: tf-check tf-tools tf-cli-config tf-fmt tf-fmt-check tf-validate tf-test tf-validate-test tf-pattern-test \
        tf-lint tf-docs tf-docs-check tf-cdktf-test tf-clean

tf-%: export TF_CLI_CONFIG_FILE := $(TF_CLI_CONFIG)
tf-%: export CHECKPOINT_DISABLE := 1
tf-%: export TF_IN_AUTOMATION := 1

tf-check: tf-fmt-check tf-validate-test tf-pattern-test tf-lint tf-docs-check tf-cdktf-test
	@echo "tf-check: all Terraform checks passed ($(TF_ENGINES))"

tf-tools: tf-cli-config $(TOFU) $(TFLINT) $(TF_VENV)/.installed

tf-cli-config:
	@$(TF_MK_ROOT)/scripts/tf/cli-config.sh $(TF_CLI_CONFIG) $(TF_PROVIDER_MIRROR)

# OpenTofu and tflint from the Go module proxy (no binary downloads here).
# The -X flag marks the build as the release, not "-dev".
$(TOFU): | $(TF_MK_ROOT)/tools/opentofu/go.mod
	@command -v $(GO) >/dev/null || { echo "tf-tools: Go is needed to build OpenTofu $(TOFU_VERSION) (https://go.dev/dl/)" >&2; exit 1; }
	@echo "tf-tools: building OpenTofu $(TOFU_VERSION) (first time only, ~4 min on 2 cores)"
	@mkdir -p $(@D)
	cd $(TF_MK_ROOT)/tools/opentofu && $(GO) build -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
	  -o $@.tmp github.com/opentofu/opentofu/cmd/tofu
	@mv $@.tmp $@

$(TFLINT): | $(TF_MK_ROOT)/tools/tflint/go.mod
	@command -v $(GO) >/dev/null || { echo "tf-tools: Go is needed to build tflint $(TFLINT_VERSION) (https://go.dev/dl/)" >&2; exit 1; }
	@echo "tf-tools: building tflint $(TFLINT_VERSION) (first time only, ~1.5 min on 2 cores)"
	@mkdir -p $(@D)
	cd $(TF_MK_ROOT)/tools/tflint && $(GO) build -ldflags "-s -w" -o $@.tmp github.com/terraform-linters/tflint
	@mv $@.tmp $@

# checkov, pinned with hashes; the venv path carries the lock file's hash.
$(TF_VENV)/.installed: $(TF_PY_LOCK)
	@rm -rf $(TF_VENV)
	$(PYTHON) -m venv $(TF_VENV)
	$(TF_VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r $(TF_PY_LOCK)
	@touch $@

tf-fmt: tf-cli-config $(TF_ENGINE_DEPS)
	cd $(TF_MK_ROOT) && for pair in $(TF_ENGINE_BINS); do $${pair#*=} fmt -recursive . || exit 1; done

tf-fmt-check: tf-cli-config $(TF_ENGINE_DEPS)
	@cd $(TF_MK_ROOT) && for pair in $(TF_ENGINE_BINS); do \
	  out=$$($${pair#*=} fmt -check -recursive -list=true .) || { echo "$${pair%%=*} fmt: not formatted (run make tf-fmt):"; echo "$$out"; exit 1; }; \
	done && echo "tf-fmt-check: formatted ($(TF_ENGINES))"

tf-validate: tf-cli-config $(TF_ENGINE_DEPS)
	@TF_ENGINE_BINS="$(TF_ENGINE_BINS)" TF_STAGE_DIR=$(TF_STAGE) $(TF_MK_ROOT)/scripts/tf/engines.sh validate $(TF_DIRS)

tf-test: tf-cli-config $(TF_ENGINE_DEPS)
	@TF_ENGINE_BINS="$(TF_ENGINE_BINS)" TF_STAGE_DIR=$(TF_STAGE) $(TF_MK_ROOT)/scripts/tf/engines.sh test .

# validate and test in one pass: every directory initialised once per engine.
tf-validate-test: tf-cli-config $(TF_ENGINE_DEPS)
	@TF_ENGINE_BINS="$(TF_ENGINE_BINS)" TF_STAGE_DIR=$(TF_STAGE) $(TF_MK_ROOT)/scripts/tf/engines.sh validate,test $(TF_DIRS)

# modules/event-pattern applied (it has no provider) and its patterns put to
# EventBridge's TestEventPattern on moto (harness/moto_launcher.py serves it
# with moto's own matcher) with events of every family: tests/e2e/patterns.ts.
tf-pattern-test: node-deps python-deps $(TF_ENGINE_DEPS)
	@cd $(TF_MK_ROOT) && MOTO_PYTHON=$(GDN_CACHE)/venv-moto/bin/python E2E_TERRAFORM=$(TERRAFORM) E2E_TOFU=$(TOFU) \
	  TF_PATTERN_ENGINES="$(TF_ENGINES)" npx tsx tests/e2e/patterns.ts

tf-lint: $(TFLINT) $(TF_VENV)/.installed
	@cd $(TF_MK_ROOT) && for d in $(TF_DIRS); do \
	  $(TFLINT) --chdir "$$d" --config "$(TF_MK_ROOT)/.tflint.hcl" --no-color || { echo "tflint: $$d FAILED"; exit 1; }; \
	done && echo "tflint: $(words $(TF_DIRS)) directories clean"
	@cd $(TF_MK_ROOT) && $(PYTHON) scripts/tf/tfdocs.py --same-variables . modules/notifier
	@cd $(TF_MK_ROOT) && $(TF_VENV)/bin/checkov --config-file .checkov.yml

tf-docs:
	@cd $(TF_MK_ROOT) && $(PYTHON) scripts/tf/tfdocs.py . $(TF_ROOT_DOC) && \
	  for d in $(filter-out .,$(TF_DIRS)); do $(PYTHON) scripts/tf/tfdocs.py "$$d" || exit 1; done

tf-docs-check:
	@cd $(TF_MK_ROOT) && $(PYTHON) scripts/tf/tfdocs.py --check . $(TF_ROOT_DOC) && \
	  for d in $(filter-out .,$(TF_DIRS)); do $(PYTHON) scripts/tf/tfdocs.py --check "$$d" || exit 1; done && \
	  echo "tf-docs-check: $(TF_ROOT_DOC) and $(words $(filter-out .,$(TF_DIRS))) module/example READMEs up to date"

# CDK for Terraform (deprecated by HashiCorp on 2025-12-10; 0.21.0 is the last
# release): the CLI and libraries go to the cache, never to package.json.
$(CDKTF_HOME)/.installed: $(TF_MK_ROOT)/examples/cdktf/package.json $(TF_MK_ROOT)/examples/cdktf/package-lock.json
	@mkdir -p $(CDKTF_HOME)
	cp $^ $(CDKTF_HOME)/
	cd $(CDKTF_HOME) && $(NPM) ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

tf-cdktf-test: tf-cli-config $(CDKTF_HOME)/.installed
	@cd $(TF_MK_ROOT)/examples/cdktf && CDKTF_HOME=$(CDKTF_HOME) TERRAFORM_BINARY_NAME=$(TERRAFORM) \
	  node --test --test-reporter=spec synth.test.mjs

tf-clean:
	rm -rf $(TF_STAGE)
