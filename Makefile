# Two commands do all the set-up: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := core/static/vendor
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint test-sqlite test-postgres install assets chromium fonts worker migrate demo bench wrk clean

install: $(STAMP) assets

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)/htmx $(VENDOR)/pico $(VENDOR)/axe
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe/
	touch $@

# Browser tests drive Debian's Chromium (Playwright's own browser download is not possible here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# Every PDF uses one Noto font set (core/pdf.py): Latin, Greek, Cyrillic, Arabic, Hebrew,
# Devanagari, CJK and emoji. Installed only when fontconfig does not know them yet.
FONT_PACKAGES := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
fonts:
	@{ fc-list : family | grep -qx 'Noto Sans' && fc-list : family | grep -q 'Noto Sans CJK SC' \
	   && fc-list : family | grep -qx 'Noto Color Emoji'; } || { \
	  echo "Installing Debian's Noto fonts for the PDFs"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(FONT_PACKAGES) >/dev/null; }

migrate: install fonts
	$(BIN)/designing-clusters db upgrade

demo: migrate
	$(BIN)/designing-clusters demo

# The web app and the background worker (with its scheduler) on the embedded default:
# SQLite, an SQLite-backed broker, mail kept in the outbox, demo data.
# Links in mail point at the port actually served (unless BASE_URL is set in the environment).
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: fonts demo
	@echo "Designing Clusters on http://$(HOST):$(PORT) with its background worker (Ctrl+C stops both)"
	@trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; \
	$(BIN)/celery -A workers.app worker --beat --concurrency=1 --loglevel=warning & \
	$(BIN)/designing-clusters run --host $(HOST) --port $(PORT)

# The suite runs on SQLite and on PostgreSQL, side by side (tests/run_both_databases.sh);
# TEST_SERIAL=1 runs them one after the other.
test: install chromium fonts
	$(MAKE) --no-print-directory lint
	@if ! $(BIN)/python -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1',5432)))"; then \
	  echo "PostgreSQL is not reachable on 127.0.0.1:5432: skipping the PostgreSQL run."; \
	  $(MAKE) --no-print-directory test-sqlite; \
	elif [ -n "$(TEST_SERIAL)" ]; then \
	  $(MAKE) --no-print-directory test-sqlite && $(MAKE) --no-print-directory test-postgres; \
	else tests/run_both_databases.sh; fi

# Static checks first: ruff (rules and baseline in pyproject.toml) and mypy.
lint: install
	@echo "== ruff and mypy =="
	$(BIN)/ruff check core plugins engagements workers tests bench
	$(BIN)/mypy

test-sqlite:
	@echo "== test suite on SQLite =="
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== test suite on PostgreSQL =="
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS)

# Throughput is measured with wrk (Debian's package), installed here when missing.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the throughput benchmarks"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

bench: install wrk
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance
