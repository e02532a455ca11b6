# guardduty-notify — everything a fresh machine needs, installed from the package
# registries, idempotently, with caches outside the repo.
#
#   make demo    see every channel's message for a set of findings (no AWS account)
#   make test    all tests: TypeScript unit + integration, bundle freshness,
#                Terraform/OpenTofu checks, end to end against an emulated AWS
#   make bundle  rebuild the committed Lambda bundle (handler/dist/)
#   make bench   performance figures
#   make lint    Biome format + lint check (make format applies the fixes)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

GDN_CACHE ?= $(HOME)/.cache/guardduty-notify
export GDN_CACHE
PYTHON ?= python3
VENV := $(GDN_CACHE)/venv-moto
MOTO_SERVER := $(VENV)/bin/moto_server
export MOTO_SERVER

NODE_STAMP := node_modules/.gdn-installed
VENV_STAMP := $(VENV)/.gdn-installed

.PHONY: help deps node-deps python-deps bundle bundle-check typecheck lint format test test-ts demo bench clean

help:
	@grep -E '^#   make' $(MAKEFILE_LIST) | sed 's/^#   //'

## Dependencies ----------------------------------------------------------------

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-deps: $(NODE_STAMP)

$(VENV_STAMP): tests/python/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
	@touch $@

python-deps: $(VENV_STAMP)

deps: node-deps python-deps

## Build -----------------------------------------------------------------------

bundle: node-deps
	node scripts/bundle.mjs

bundle-check: node-deps
	node scripts/bundle.mjs --check

typecheck: node-deps
	npx tsc --noEmit -p tsconfig.json

# Biome formats and lints the TypeScript/JavaScript/JSON tree (biome.json: 120 columns,
# the recommended rules; test-only relaxations are listed there with their reason).
lint: node-deps
	npx biome check .

format: node-deps
	npx biome check --write .

## Tests -----------------------------------------------------------------------

# The suites run on the Node.js the function deploys on (mk/node.mk), not the machine's.
test-ts: node-deps python-deps lambda-node
	$(ON_LAMBDA_NODE) npx vitest run

test: typecheck lint bundle-check test-ts demo-test tf-check e2e
	@echo "make test: all suites passed"

## Try it ----------------------------------------------------------------------

demo: demo-deps
	node scripts/demo.mjs

bench: node-deps
	$(LAMBDA_NODE) scripts/bench.mjs

clean:
	rm -rf demo/out

-include mk/*.mk
