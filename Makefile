# Two entry points for a newcomer: `make demo` (run the whole pipeline locally) and
# `make test` (everything CI checks). Both set up what they need on first use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint unit integration kafka-up kafka-down bench bench-watchlists eval screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "signalfire needs Python 3.11+ (found %s)" % sys.version.split()[0]'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install signalfire with its dev tools

demo: setup  ## local broker + worker + example watchlist + sample articles, then show the alerts
	$(BIN)/python deploy/demo/run.py

K8S_MANIFESTS := $(filter-out deploy/k8s/kustomization.yaml,$(wildcard deploy/k8s/*.yaml))

lint: setup  ## ruff (lint and format), mypy --strict, schema drift, Kubernetes manifests
	$(BIN)/ruff check services tests deploy bench
	$(BIN)/ruff format --check services tests deploy bench
	$(BIN)/mypy
	$(BIN)/signalfire schemas --check
	$(BIN)/kubernetes-validate --strict --quiet -k 1.28.0 $(K8S_MANIFESTS)
	$(BIN)/kubernetes-validate --strict --quiet -k 1.37.0 $(K8S_MANIFESTS)

unit: setup
	$(BIN)/pytest -q tests/unit tests/stream

integration: setup  ## real broker (started by deploy/local-kafka/up), real SMTP and HTTP
	$(BIN)/pytest -q tests/integration

test: setup lint  ## what CI runs: lint, then every test (unit and integration)
	$(BIN)/pytest -q -ra

faults: setup  ## the whole fault-injection suite (kill -9 x20, broker restart, outages, 10k poison, codecs): ~15 min
	$(BIN)/python -m tests.faults --json .local/faults.json

kafka-up:
	deploy/local-kafka/up

kafka-down:
	deploy/local-kafka/down

eval: setup  ## analysis metrics on the dev set and the real corpora
	$(BIN)/signalfire eval tests/data/dev.jsonl --dod tests/data/dod-contracts-2018.jsonl --dvids tests/data/dvids-news.jsonl

screenshots: setup  ## e-mail alert and digest PNGs in docs/screenshots (needs Debian's chromium)
	$(BIN)/python deploy/screenshots.py

bench: setup
	$(BIN)/python bench/analyze_bench.py

bench-watchlists: setup  ## 1k/10k/100k-entity watchlists (YAML, CSV, JSONL): check, start-up, RSS, cost
	$(BIN)/python bench/watchlist_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
