# The two commands: `make demo` and `make test`. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
EARLYHELP := $(VENV)/bin/earlyhelp
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
DEMO_ENV := DJANGO_SETTINGS_MODULE=earlyhelp.settings.local

.PHONY: help install static demo demo-data serve test lint typecheck test-sqlite test-postgres \
        system-deps postgres bench bench-casework clean audit audit-report

help:
	@echo "make demo   install, migrate var/earlyhelp.sqlite3, load synthetic data, serve :8000"
	@echo "make test   install, lint, type-check, run the suite on SQLite and on PostgreSQL"
	@echo "make audit  strict dependency audit (needs the vulnerability services)"
	@echo "make bench  intake-search benchmark on PostgreSQL with 1,000,000 synthetic people"
	@echo "make bench-casework  family page, timeline and caseload with 10,000,000 case notes"

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed node_modules/.installed static

static: node_modules/.installed
	scripts/build-static.sh

demo: install
	mkdir -p var
	$(DEMO_ENV) $(EARLYHELP) migrate --no-input
	$(DEMO_ENV) $(EARLYHELP) createcachetable
	$(DEMO_ENV) $(EARLYHELP) loaddemo
	$(DEMO_ENV) $(EARLYHELP) runserver 127.0.0.1:8000

# Debian's chromium for the browser journeys (never a downloaded browser build).
system-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "Starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	  for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/lint-imports --no-cache

typecheck: install
	$(VENV)/bin/mypy

test-sqlite: install system-deps
	$(VENV)/bin/pytest -q -p no:cacheprovider

test-postgres: install system-deps postgres
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q -p no:cacheprovider

# Known vulnerabilities in the Python and npm dependencies (allow-list:
# security/audit-allowlist.txt). Strict: fails on any known vulnerability, and fails when the
# vulnerability services cannot be reached (an audit that could not look is not a pass). Run it
# before every release, where the services answer (see SECURITY.md).
audit: install
	$(PY) scripts/audit.py

# The same audit inside `make test`: known vulnerabilities still fail, but a machine that
# reaches the package indexes and not the vulnerability services gets a loud NOT CHECKED
# banner and the tests go on.
audit-report: install
	$(PY) scripts/audit.py --unreachable=warn

# The two databases' suites run side by side (one per core): each run has its own test
# database, private-files folder and browser, so they share nothing but the CPU. Each suite's
# output is printed whole when it ends.
test: lint typecheck audit-report
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

bench: install postgres
	$(PY) bench/search.py --database-url $(PG_URL)

bench-casework: install postgres
	$(PY) bench/casework.py --database-url $(PG_URL)

clean:
	rm -rf $(VENV) node_modules var src/earlyhelp/static_build test-artifacts
