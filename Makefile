# ComplianceLog — build, test and run. CI calls `make test` (see .ci/run).

SHELL := /bin/bash
PYTHON ?= python3
DEB_PACKAGES := librdkafka-dev liblz4-dev libsnappy-dev libzstd-dev zlib1g-dev kcat pkg-config
# kafka-python needs python-snappy, lz4 and zstandard for those codecs.
# The [avro,json,schemaregistry] extras bring the Schema Registry serializers the registry tests use.
PY_PACKAGES := confluent-kafka[avro,json,schemaregistry] kafka-python pytest python-snappy lz4 zstandard
PY_IMPORTS := confluent_kafka, confluent_kafka.schema_registry.avro, confluent_kafka.schema_registry.json_schema, kafka, pytest, snappy, lz4.frame, zstandard
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: deps build test run clean

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

clean:
	rm -rf .build ./data Tests/Conformance/__pycache__ Tests/Conformance/.pytest_cache
