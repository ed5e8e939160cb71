# scmi-check: common tasks. `make help` lists them.
SWIFT ?= swift

.PHONY: help build check prove test stress bench clean generate findings verify-generated

help:
	@echo "make check   - check every variant of the transport spec (release build)"
	@echo "make test    - run the test suite"
	@echo "make stress  - real-thread stress of the channel implementation"
	@echo "make prove   - the full proof of the fixed variant (every reachable state; minutes)"
	@echo "make bench   - engine benchmarks; writes its section of BENCHMARKS.md (under 30 minutes)"
	@echo "make build   - debug build"
	@echo "make clean   - remove build products"
	@echo "make generate - regenerate the tests in Generated/ from the recorded traces (no search)"
	@echo "make findings - search every recorded finding again and rewrite Generated/ (exhaustive; minutes)"
	@echo "make verify-generated - fail when Generated/ is stale or a recorded trace no longer shows its finding"

build:
	$(SWIFT) build

check:
	$(SWIFT) run -c release scmi-check

prove:
	$(SWIFT) run -c release scmi-check check --variant fixed --exhaustive

test:
	$(SWIFT) test --disable-swift-testing

bench:
	$(SWIFT) build -c release --product scmi-check
	$(SWIFT) build -c release --product scmi-bench
	.build/release/scmi-bench

stress:
	$(SWIFT) run -c release scmi-stress --variant fixed --threads 2 --seconds 20
	$(SWIFT) run -c release scmi-stress --variant v4 --threads 2 --seconds 20 || true

clean:
	rm -rf .build

generate:
	$(SWIFT) run -c release scmi-check generate

findings:
	$(SWIFT) run -c release scmi-check generate --search

verify-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(SWIFT) run -c release scmi-check generate --quiet --traces Generated/Traces --output "$$tmp" && \
	if diff -r "$$tmp" Generated; then echo "Generated/ is up to date"; \
	else echo "Generated/ is stale: run 'make generate'"; exit 1; fi
