# newswire — the two commands a newcomer needs are `make run` and `make test`.
# Every target sets up what it needs itself (a virtualenv in .venv) on a machine with Python 3.11+.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run run-once demo airflow-sample test test-unit lint typecheck clean dashboards superset-install

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "newswire needs Python 3.11+"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install newswire with its dev tools

run: $(STAMP)  ## start Airflow locally with the DAGs on the embedded database; waits for the first ingest
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/newswire airflow

run-once: $(STAMP)  ## every pipeline stage once, no Airflow (embedded database or NEWSWIRE_DATABASE_URL)
	$(BIN)/newswire run

airflow-sample: $(STAMP)  ## like `run`, but the DAGs ingest the bundled sample corpus (offline)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/newswire airflow --sample

demo: $(STAMP)  ## offline demo: replay the bundled sample corpus through the whole pipeline
	$(BIN)/newswire demo

# Apache Superset lives in its own environment (its pins clash with Airflow's); the stamp makes
# reruns instant until dashboards/requirements.txt changes.
SUPERSET_VENV  := .venv-superset
SUPERSET_STAMP := $(SUPERSET_VENV)/.installed

$(SUPERSET_STAMP): dashboards/requirements.txt
	test -x $(SUPERSET_VENV)/bin/python || $(PYTHON) -m venv $(SUPERSET_VENV)
	$(SUPERSET_VENV)/bin/python -m pip install --quiet --upgrade pip uv
	$(SUPERSET_VENV)/bin/uv pip install --python $(SUPERSET_VENV)/bin/python --quiet -r dashboards/requirements.txt
	touch $(SUPERSET_STAMP)

superset-install: $(SUPERSET_STAMP)  ## install Apache Superset into .venv-superset (cached)

dashboards: $(STAMP) $(SUPERSET_STAMP)  ## Superset on 127.0.0.1:8088 with the newswire dashboard; Ctrl-C stops
	$(BIN)/python dashboards/superset.py

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)  ## mypy (strict) over the package
	$(BIN)/mypy

test: $(STAMP)  ## the whole suite: lint, types, then every test against a real PostgreSQL
	$(BIN)/ruff check .
	$(BIN)/mypy
	@# CI (root, Debian): Debian's docker-compose validates docker-compose.yml in the suite; elsewhere
	@# that one test says it is skipped when docker-compose is missing
	@if [ "$$CI" = true ] && ! command -v docker-compose >/dev/null && [ "$$(id -u)" = 0 ] \
	    && command -v apt-get >/dev/null; then \
	  apt-get update -qq >/dev/null && apt-get install -y -qq docker-compose >/dev/null \
	    || echo "docker-compose could not be installed: the compose validation test will skip"; \
	fi
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest

test-unit: $(STAMP)  ## the fast layer only: pure cores, no database, no network (under a minute)
	$(BIN)/python -m pytest tests/unit -q -m "not slow"

clean:  ## remove the virtualenv and local data (the embedded database too)
	rm -rf $(VENV) $(SUPERSET_VENV) var .pytest_cache .mypy_cache .ruff_cache
