# Reliability and speed, as numbers (issue 7).
#
#   make chaos   the fault suite (handler/test/chaos: faults, floods, hostile input),
#                then the whole-suite tally; the same tests also run in `make test`
#   make bench   performance figures, printed and written to bench/results.json
#
# The bench recipe itself lives in the Makefile; its burst and peak-RSS runs play
# the SQS event source mapping over a moto queue, hence the extra prerequisite here.
# Both run on the Node.js the function deploys on (mk/node.mk).

CHAOS_TALLY ?= $(GDN_CACHE)/chaos-tally.jsonl

.PHONY: chaos

chaos: node-deps python-deps lambda-node
	@mkdir -p "$(dir $(CHAOS_TALLY))" && rm -f "$(CHAOS_TALLY)" "$(CHAOS_TALLY).interactions"
	@status=0; GDN_CHAOS_KILL=1 GDN_CHAOS_TALLY="$(CHAOS_TALLY)" $(ON_LAMBDA_NODE) npx vitest run handler/test/chaos || status=$$?; \
	  npx tsx scripts/chaos/print-tally.ts "$(CHAOS_TALLY)"; exit $$status

bench: python-deps lambda-node
