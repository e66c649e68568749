# The two front-door commands work on a fresh clone with only Python 3.11+:
#   make run    the whole stack on SQLite (gateway on http://127.0.0.1:8000)
#   make test   the test suite (SQLite; TEST_DATABASE_URL=postgresql+psycopg://… for PostgreSQL)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format check migrate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m tools.run

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# alembic check for every environment against the configured databases
check: $(STAMP)
	$(PY) -m tools.migrations check

migrate: $(STAMP)
	$(PY) -m tools.migrations upgrade

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf var
