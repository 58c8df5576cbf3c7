# 苏州楼宇经济智慧平台 — the two commands a newcomer needs are `make run` and `make test`.
# Both set up everything they need on a fresh machine.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck pytest postgres bench clean-data tools console console-test screenshots

# The web console: built (npm ci, vite build) when its sources changed since the last build.
CONSOLE_SOURCES := $(shell find console/src -type f 2>/dev/null) console/index.html \
	console/package.json console/package-lock.json console/vite.config.ts console/tsconfig.json
CONSOLE_BUILT := console/dist/index.html
CONSOLE_DEPS := console/node_modules/.package-lock.json

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the declared dependencies change.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt --config-settings editable_mode=compat -e '.[dev]'
	touch $(STAMP)

## run: the whole stack in the foreground (embedded SQLite + bundled broker unless configured)
run: $(STAMP) $(CONSOLE_BUILT)
	$(BIN)/sbe run

# npm ci, pinned by the lock file (if npm trips over an optional native package, the guide's
# remedy: reinstall vite at its pinned version).
$(CONSOLE_DEPS): console/package.json console/package-lock.json
	cd console && (npm ci --no-audit --no-fund --loglevel=error || npm i -D -E vite@8.3.8 --no-audit --no-fund --loglevel=error)
	touch $(CONSOLE_DEPS)

$(CONSOLE_BUILT): $(CONSOLE_DEPS) $(CONSOLE_SOURCES)
	cd console && npm run --silent build

## console: build the web console (console/dist), served by the gateway at /
console: $(CONSOLE_BUILT)

## console-test: the console's type check (in its build), its API types current with its OpenAPI
## document, and its unit tests (Vitest)
console-test: $(CONSOLE_BUILT)
	cd console && npm run --silent api:check && npx vitest run

## tools: operational tools the tests and benchmarks use, from Debian's packages
## (promtool and prometheus from `prometheus`, wrk, Chromium and the Noto CJK fonts for the
## console's browser tests); installed when missing and root
tools:
	@missing=""; \
	command -v promtool >/dev/null 2>&1 || missing="$$missing prometheus"; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $$missing >/dev/null; }; \
	  else echo "missing:$$missing (not root): the tests that need them are skipped"; fi; \
	fi

## screenshots: the console guide's pictures (docs/console/*.png) taken again on the
## demonstration city (PostgreSQL, the bundled broker, Chromium; about two minutes)
screenshots: $(STAMP) $(CONSOLE_BUILT) tools
	$(BIN)/python -m tests.console.screenshots

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

## postgres: the tests need PostgreSQL on 127.0.0.1:5432; start the local cluster if it is down
postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start 2>/dev/null || true

## pytest: two test processes, each test file whole in one of them (its module fixtures start
## once), in collection order (the `slow` files first); then the tests marked `alone`, which
## judge latency under load, with nothing beside them
pytest: $(STAMP) tools postgres $(CONSOLE_BUILT)
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not alone"
	$(BIN)/pytest -m alone

## test: ruff, mypy and every test (unit, integration against PostgreSQL + broker, end to end)
test: lint typecheck console-test pytest

## bench: the benchmarks under benchmarks/, each printing its ratios
bench: $(STAMP) tools postgres
	$(BIN)/python -m benchmarks.http
	$(BIN)/python -m benchmarks.ingest
	$(BIN)/python -m benchmarks.evaluation
	$(BIN)/python -m benchmarks.city

clean-data:
	rm -rf .sbe
