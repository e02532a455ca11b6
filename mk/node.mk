# The Node.js the function deploys on, for everything here that runs the function's code.
#
#   make lambda-node   fetch it into the cache (first time only; the suites below do it themselves)
#
# The module's default runtime is nodejs22.x (variables.tf: hashicorp/aws 5.100.0 refuses
# nodejs24.x), so test-ts, chaos, demo-test, e2e and bench run on Node.js 22: the exact version
# below, from the npm registry's node-linux-<arch> package (integrity-checked by npm), unpacked
# into the cache once. Versions differ where it matters here (Node 22's binary alone is ~10 MB
# more resident than Node 20's; the AWS SDK warns on Node 20), so tests and figures must come
# from the deployed major. handler/test/artefacts/lambda-node.test.ts fails when this major, the
# default runtime and the bundle's esbuild target disagree, or when a suite run by make is not
# running on this binary. The tools (tsc, Biome, esbuild, npm) run on the machine's Node.js.

LAMBDA_NODE_VERSION ?= 22.23.3
LAMBDA_NODE_ARCH := $(subst x86_64,x64,$(subst aarch64,arm64,$(shell uname -m)))
LAMBDA_NODE_DIR := $(GDN_CACHE)/node/$(LAMBDA_NODE_VERSION)-$(LAMBDA_NODE_ARCH)
LAMBDA_NODE := $(LAMBDA_NODE_DIR)/bin/node

# Prefix for a recipe line: its bin directory first on PATH, so npx, tsx, vitest and its workers,
# and every child process started with process.execPath or as `node`, run on it.
ON_LAMBDA_NODE = PATH="$(LAMBDA_NODE_DIR)/bin:$$PATH" GDN_LAMBDA_NODE="$(LAMBDA_NODE)"

.PHONY: lambda-node

lambda-node: $(LAMBDA_NODE)

$(LAMBDA_NODE):
	@echo "lambda-node: fetching Node.js $(LAMBDA_NODE_VERSION) ($(LAMBDA_NODE_ARCH)) from the npm registry (first time only)"
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent "node-linux-$(LAMBDA_NODE_ARCH)@$(LAMBDA_NODE_VERSION)" >/dev/null && tar xzf node-linux-*.tgz) && \
	  rm -rf "$(LAMBDA_NODE_DIR)" && mkdir -p "$(LAMBDA_NODE_DIR)" && cp -R "$$tmp/package/." "$(LAMBDA_NODE_DIR)/" && \
	  test "$$("$(LAMBDA_NODE)" --version)" = "v$(LAMBDA_NODE_VERSION)"
