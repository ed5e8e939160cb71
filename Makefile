# scmi-check: common tasks. `make help` lists them.
SWIFT ?= swift

.PHONY: help build check prove prove-shutdown test stress bench bench-long clean generate findings verify-generated release-build findings-docs verify-findings ci-setup review

help:
	@echo "make check   - check every variant of the transport spec (release build)"
	@echo "make test    - run the test suite"
	@echo "make stress  - real-thread stress of the channel implementation (fixed with chan_free and add_sgs failures injected)"
	@echo "make prove   - the full proof of the fixed variant (every reachable state; minutes)"
	@echo "make prove-shutdown - the proof of fixed with CPUs as contexts and chan_free racing the traffic, 2 x 2 (71 M states; about 20 minutes, 3 GiB)"
	@echo "make bench   - engine benchmarks; writes its section of BENCHMARKS.md (under 30 minutes)"
	@echo "make bench-long - fixed under sc and lkmm-nolb side by side, and the 3x3 target; writes its own section of BENCHMARKS.md (20 to 50 minutes)"
	@echo "make build   - debug build"
	@echo "make clean   - remove build products"
	@echo "make generate - regenerate the tests in Generated/ from the recorded traces (no search)"
	@echo "make findings - search every recorded finding again and rewrite Generated/ (exhaustive; about 40 minutes)"
	@echo "make verify-generated - fail when Generated/ is stale or a recorded trace no longer shows its finding"
	@echo "make findings-docs - regenerate docs/findings/ (race reports of the upstream findings, from the recorded traces)"
	@echo "make verify-findings - fail when docs/findings/ is stale"
	@echo "make review  - the spec review of a pull request: .review/comment.md (verdicts, diagrams, changes against .review/baseline/results.jsonl), annotations, traces"

build:
	$(SWIFT) build

check:
	$(SWIFT) run -c release scmi-check

prove:
	$(SWIFT) run -c release scmi-check check --variant fixed --exhaustive

prove-shutdown:
	$(SWIFT) run -c release scmi-check check --variant fixed --contexts on --shutdown on --exhaustive

test:
	$(SWIFT) test --disable-swift-testing

bench:
	$(SWIFT) build -c release --product scmi-check
	$(SWIFT) build -c release --product scmi-bench
	.build/release/scmi-bench

bench-long:
	$(SWIFT) build -c release --product scmi-check
	$(SWIFT) build -c release --product scmi-bench
	.build/release/scmi-bench --long

# fixed must stay clean with chan_free racing the traffic and add_sgs failing; upstream and v4
# show what the stress finds (allowed to fail).
stress:
	$(SWIFT) run -c release $(SWIFT_FLAGS) scmi-stress --variant fixed --threads 2 --seconds 20 --transfers 100000000 --shutdown --inject-add-sgs-failures 5
	$(SWIFT) run -c release $(SWIFT_FLAGS) scmi-stress --variant upstream --threads 2 --seconds 20 --transfers 100000000 --shutdown --inject-add-sgs-failures 5 || true
	$(SWIFT) run -c release $(SWIFT_FLAGS) scmi-stress --variant v4 --threads 2 --seconds 20 || true

clean:
	rm -rf .build

generate: release-build
	$(RELEASE_BIN) generate

findings: release-build
	$(RELEASE_BIN) generate --search

verify-generated: release-build
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(RELEASE_BIN) generate --quiet --traces Generated/Traces --output "$$tmp" && \
	if diff -r "$$tmp" Generated; then echo "Generated/ is up to date"; \
	else echo "Generated/ is stale: run 'make generate'"; exit 1; fi

# The race reports of docs/findings/: the upstream finding each reports on, and its file name.
FINDINGS := exactly-once-delivery:stale-rx-len no-double-free:three-releases no-leak-at-quiescence:poll-timeout-after-release
# Extra flags for the release builds below and make stress's (e.g. SWIFT_FLAGS="--scratch-path .build-x -j 1").
SWIFT_FLAGS ?=
RELEASE_BIN = $$($(SWIFT) build -c release $(SWIFT_FLAGS) --show-bin-path)/scmi-check

release-build:
	@$(SWIFT) build -c release $(SWIFT_FLAGS) --product scmi-check >&2

findings-docs: release-build
	@for f in $(FINDINGS); do inv=$${f%%:*}; name=$${f##*:}; \
	  $(RELEASE_BIN) report --variant upstream --invariant $$inv --format markdown > docs/findings/$$name.md || exit 1; \
	  echo "docs/findings/$$name.md"; done

verify-findings: release-build
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for f in $(FINDINGS); do inv=$${f%%:*}; name=$${f##*:}; \
	  $(RELEASE_BIN) report --variant upstream --invariant $$inv --format markdown > "$$tmp/$$name.md" || exit 1; done && \
	if diff -r -x README.md "$$tmp" docs/findings; then echo "docs/findings/ is up to date"; \
	else echo "docs/findings/ is stale: run 'make findings-docs'"; exit 1; fi

# Spec review (the workflow in .github/workflows/spec-review.yml runs these, and so does .ci/run).
REVIEW_DIR ?= .review
REVIEW_BASELINE ?= $(REVIEW_DIR)/baseline/results.jsonl

ci-setup:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists z3; then \
	  export DEBIAN_FRONTEND=noninteractive; apt-get update && apt-get install -y --no-install-recommends libz3-dev pkg-config; fi

review: release-build
	@mkdir -p $(REVIEW_DIR) && bin=$(RELEASE_BIN) && \
	baseline=$$([ -f "$(REVIEW_BASELINE)" ] && echo "--baseline $(REVIEW_BASELINE)"); \
	$$bin check --quiet --format markdown $$baseline --json-output $(REVIEW_DIR)/results.jsonl \
	  --annotations-output $(REVIEW_DIR)/annotations.txt > $(REVIEW_DIR)/comment.md; status=$$?; \
	cat $(REVIEW_DIR)/annotations.txt; \
	mkdir -p $(REVIEW_DIR)/traces && cp Generated/Traces/*.json $(REVIEW_DIR)/traces/; \
	echo "$(REVIEW_DIR)/comment.md, $(REVIEW_DIR)/results.jsonl, $(REVIEW_DIR)/traces/ written (check exit status $$status)"; exit $$status
