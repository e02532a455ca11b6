# Reliability and speed, as numbers (issue 7).
#
#   make chaos   the fault suite (handler/test/chaos: faults, floods, hostile input),
#                then the whole-suite tally; the same tests also run in `make test`
#   make bench   performance figures, printed and written to bench/results.json
#
# The bench recipe itself lives in the Makefile; its burst and peak-RSS runs play
# the SQS event source mapping over a moto queue, hence the extra prerequisite here.
# It runs on the Node.js the function deploys on (nodejs22.x): the exact version is
# the npm registry's node-linux-<arch> package (integrity-checked by npm), unpacked
# into the cache once. Memory differs by version (Node 22's binary alone is ~10 MB
# more resident than Node 20's), so the figures must come from the deployed major.

CHAOS_TALLY ?= $(GDN_CACHE)/chaos-tally.jsonl

.PHONY: chaos

chaos: node-deps python-deps
	@mkdir -p "$(dir $(CHAOS_TALLY))" && rm -f "$(CHAOS_TALLY)"
	@status=0; GDN_CHAOS_TALLY="$(CHAOS_TALLY)" npx vitest run handler/test/chaos || status=$$?; \
	  npx tsx scripts/chaos/print-tally.ts "$(CHAOS_TALLY)"; exit $$status

LAMBDA_NODE_VERSION ?= 22.23.3
LAMBDA_NODE_ARCH := $(subst x86_64,x64,$(subst aarch64,arm64,$(shell uname -m)))
LAMBDA_NODE_DIR := $(GDN_CACHE)/node/$(LAMBDA_NODE_VERSION)-$(LAMBDA_NODE_ARCH)
LAMBDA_NODE := $(LAMBDA_NODE_DIR)/bin/node

$(LAMBDA_NODE):
	@echo "bench: fetching Node.js $(LAMBDA_NODE_VERSION) ($(LAMBDA_NODE_ARCH)) from the npm registry (first time only)"
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent "node-linux-$(LAMBDA_NODE_ARCH)@$(LAMBDA_NODE_VERSION)" >/dev/null && tar xzf node-linux-*.tgz) && \
	  rm -rf "$(LAMBDA_NODE_DIR)" && mkdir -p "$(LAMBDA_NODE_DIR)" && cp -R "$$tmp/package/." "$(LAMBDA_NODE_DIR)/" && \
	  test "$$("$(LAMBDA_NODE)" --version)" = "v$(LAMBDA_NODE_VERSION)"

bench: python-deps $(LAMBDA_NODE)
