# 苏州楼宇经济智慧平台 — the two commands a newcomer needs are `make run` and `make test`.
# Both set up everything they need on a fresh machine.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck pytest postgres bench clean-data tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the declared dependencies change.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt --config-settings editable_mode=compat -e '.[dev]'
	touch $(STAMP)

## run: the whole stack in the foreground (embedded SQLite + bundled broker unless configured)
run: $(STAMP)
	$(BIN)/sbe run

## tools: operational tools the tests and benchmarks use, from Debian's packages
## (promtool and prometheus from `prometheus`, and wrk); installed when missing and root
tools:
	@missing=""; \
	command -v promtool >/dev/null 2>&1 || missing="$$missing prometheus"; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $$missing >/dev/null; }; \
	  else echo "missing:$$missing (not root): the tests that need them are skipped"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

## postgres: the tests need PostgreSQL on 127.0.0.1:5432; start the local cluster if it is down
postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start 2>/dev/null || true

pytest: $(STAMP) tools postgres
	$(BIN)/pytest

## test: ruff, mypy and every test (unit, integration against PostgreSQL + broker, end to end)
test: lint typecheck pytest

## bench: the benchmarks under benchmarks/, each printing its ratios
bench: $(STAMP) tools postgres
	$(BIN)/python benchmarks/gateway.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/evaluation.py

clean-data:
	rm -rf .sbe
