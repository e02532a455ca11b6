# `make demo` and its browser test.
#
#   make demo-deps     what `make demo` needs: npm packages and the moto venv
#   make browser-deps  Debian's chromium (+ an emoji font) for the gallery test, only when missing
#   make demo-test     run the demo, then check its gallery in headless Chromium
#                      (screenshots in demo/out/screenshots/), on the Node.js the
#                      function deploys on (mk/node.mk)
#
# The demo itself is `node scripts/demo.mjs` (the Makefile's `demo` target):
# it replays GuardDuty findings through the committed bundle into local
# receivers, prints a per-channel summary and writes demo/out/index.html.

CHROMIUM ?= /usr/bin/chromium
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
export CHROMIUM

.PHONY: demo-deps browser-deps demo-test

demo-deps: node-deps python-deps

# apt-get only when something is missing, so repeated runs are offline and instant.
# The emoji font is for faithful screenshots (Teams cards mark severity with 🔴 🟠 🟡 🔵).
browser-deps:
	@if [ -x "$(CHROMIUM)" ] && [ -f "$(EMOJI_FONT)" ]; then \
	  echo "browser-deps: $$($(CHROMIUM) --version 2>/dev/null | head -1)"; \
	else \
	  echo "browser-deps: installing Debian's chromium and fonts-noto-color-emoji (apt-get)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq; \
	  apt-get install -y -qq --no-install-recommends chromium fonts-noto-color-emoji >/dev/null; \
	  $(CHROMIUM) --version; \
	fi

demo-test: demo-deps browser-deps lambda-node
	$(ON_LAMBDA_NODE) npx vitest run --config handler/test/demo/vitest.config.ts
