# The two commands a newcomer needs: `make run` and `make test`. `make help` lists the rest.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HOST PORT

.DEFAULT_GOAL := help
.PHONY: help install messages run serve migrate seed seed-europe test golden browser screenshots contract bench lint openapi clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed messages ## create .venv, install the package and its tools, compile the message catalogues

PO_FILES := $(wildcard registry/locale/*/LC_MESSAGES/registry.po)
MO_FILES := $(PO_FILES:.po=.mo)

messages: $(MO_FILES) ## compile the gettext catalogues (registry/locale/*/LC_MESSAGES/registry.po)

registry/locale/%/LC_MESSAGES/registry.mo: registry/locale/%/LC_MESSAGES/registry.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -i $< -o $@ --statistics

run: install ## start the database (embedded unless DATABASE_URL), migrate, seed, serve on $(HOST):$(PORT)
	$(PY) -m registry serve --host $(HOST) --port $(PORT)

migrate: install ## apply pending migrations and changed function files; upgrades a pre-baseline database
	$(PY) -m registry migrate

seed: install ## load the seed data (idempotent)
	$(PY) -m registry seed

seed-europe: install ## load every Eurostat LAU unit (~99,000 in 34 countries), idempotent
	$(PY) -m registry seed-europe

AXE := .browser/node_modules/axe-core/axe.min.js

browser: ## Debian's chromium and axe-core (into .browser/, from npm) for the browser tests, when missing
	@command -v chromium >/dev/null || ( command -v apt-get >/dev/null && \
	  ( apt-get install -y -qq chromium || ( apt-get update -qq && apt-get install -y -qq chromium ) ) >/dev/null 2>&1 ) || \
	  echo "chromium is not installed and could not be: the browser tests cannot run"
	@test -f $(AXE) || npm install --silent --no-audit --no-fund --prefix .browser axe-core@4.10.3 >/dev/null || \
	  echo "axe-core could not be installed from npm: the browser tests cannot run"

screenshots: install browser ## screenshots of every page in English and Slovenian into docs/screenshots/
	$(PY) -m tests.screenshots

test: install browser ## static checks (make lint), then the test suite (browser tests too) on a throwaway database
	$(PY) -m ruff check registry bench tests scripts
	$(PY) -m mypy registry
	REGISTRY_REQUIRE_BROWSER=1 $(PY) -m pytest -q

golden: install ## rewrite tests/golden/ from the API's answers (tests/test_golden.py); review the diff before committing
	UPDATE_GOLDEN=1 $(PY) -m pytest -q -p no:cacheprovider tests/test_golden.py

contract: install ## schemathesis over every operation, EXAMPLES (150) each: cases, server errors, answers off the document
	SCHEMATHESIS_MAX_EXAMPLES=$(or $(EXAMPLES),150) $(PY) -m pytest -q -p no:warnings tests/test_openapi_contract.py

bench: install ## benchmark the API against direct SQL on synthetic European data; writes bench/RESULTS.md
	@command -v wrk >/dev/null || ( command -v apt-get >/dev/null && \
	  ( apt-get install -y -qq wrk || ( apt-get update -qq && apt-get install -y -qq wrk ) ) >/dev/null 2>&1 ) || \
	  echo "wrk is not installed and could not be: bench/load.py generates the load instead"
	$(PY) bench/run.py

lint: install ## static checks: ruff (pycodestyle, pyflakes, isort, bugbear, pyupgrade) and mypy
	$(PY) -m ruff check registry bench tests scripts
	$(PY) -m mypy registry

openapi: install ## write the OpenAPI document to openapi.json
	$(PY) -m registry openapi > openapi.json

clean: ## remove the virtualenv
	rm -rf $(VENV) .pytest_cache .browser
