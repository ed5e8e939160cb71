# scmi-check: common tasks. `make help` lists them.
SWIFT ?= swift

.PHONY: help build check test stress clean

help:
	@echo "make check   - check every variant of the transport spec (release build)"
	@echo "make test    - run the test suite"
	@echo "make stress  - real-thread stress of the channel implementation"
	@echo "make build   - debug build"
	@echo "make clean   - remove build products"

build:
	$(SWIFT) build

check:
	$(SWIFT) run -c release scmi-check

test:
	$(SWIFT) test --disable-swift-testing

stress:
	$(SWIFT) run -c release scmi-stress --variant fixed --threads 2 --seconds 20
	$(SWIFT) run -c release scmi-stress --variant v4 --threads 2 --seconds 20 || true

clean:
	rm -rf .build
