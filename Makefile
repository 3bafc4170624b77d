# Two commands for a newcomer: `make run` and `make test`. Everything else
# here is what those two need, made once and reused.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
# Reflex would download bun from a host that may be unreachable; a pinned bun
# from the npm registry works everywhere npm does.
BUN_VERSION := 1.4.5
PORT ?= 3000
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
SERVERS ?= 2

export PORT
export REFLEX_USE_SYSTEM_BUN := 1
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(PATH)

.PHONY: run test test-unit test-browser test-postgres test-cluster cluster setup migrate bun clean

## make run: set up what is missing, migrate the database, build and serve at http://localhost:$(PORT)
run: setup migrate
	exec $(BIN)/reflex run --env prod --single-port

## make test: the whole suite (ruff and mypy, unit tests, then browser journeys in Chromium)
test: test-unit test-browser

test-unit: $(VENV)/.installed-test
	$(BIN)/ruff check meso_journal tests benchmarks cluster
	$(BIN)/ruff format --check meso_journal tests benchmarks cluster
	$(BIN)/mypy
	$(BIN)/pytest tests/unit

# Browser tests run in their own pytest process (Playwright's sync API and
# asyncio-based plugins do not share a process well).
test-browser: $(VENV)/.installed-test bun
	$(BIN)/pytest tests/browser

## make test-postgres: the unit suite again, on PostgreSQL (POSTGRES_URL)
test-postgres: $(VENV)/.installed-test
	MESO_TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/pytest tests/unit

## make test-cluster: the cluster's faults, and the account, log, photo and sharing
## journeys through two servers behind nginx (PostgreSQL at POSTGRES_URL, redis-server, nginx)
test-cluster: $(VENV)/.installed-test bun
	MESO_TEST_CLUSTER=$(POSTGRES_URL) $(BIN)/pytest tests/browser/test_cluster.py \
		tests/browser/test_accounts_journey.py tests/browser/test_treatment_log.py \
		tests/browser/test_photos.py tests/browser/test_sharing.py

## make cluster: SERVERS app servers behind nginx at http://localhost:8080, on PostgreSQL, Redis
## and the database photo store (README, "Running on more than one machine")
cluster: setup
	$(BIN)/python -m cluster --servers $(SERVERS)

setup: $(VENV)/.installed bun

migrate: $(VENV)/.installed
	$(BIN)/alembic upgrade head

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Meso Journal needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

bun:
	@if command -v bun >/dev/null 2>&1 && bun --version 2>/dev/null | grep -q '^1\.'; then \
		true; \
	else \
		echo "Installing bun $(BUN_VERSION) into $(TOOLS)/"; \
		npm install --prefix $(TOOLS) --no-save --no-audit --no-fund --loglevel=error bun@$(BUN_VERSION); \
	fi

clean:
	rm -rf $(VENV) $(TOOLS) .web .states
