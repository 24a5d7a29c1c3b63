# Kopdes: `make run` sets everything up and serves the app; `make test` runs the whole test suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
-include .env
export

.PHONY: run setup test test-postgres lint bench messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	$(PY) manage.py compile_catalogue

run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py demo
	@# Map outlines of Paser, read from the shared data folder when it is beside the project (never copied in).
	@if [ -d ../shared/data/wilayah/paser ]; then $(PY) manage.py load_boundaries ../shared/data/wilayah/paser; fi
	@# The task worker runs beside the server (emails, reminders, the reporting periods) and stops with it.
	$(PY) manage.py open_report_periods
	@echo "Kopdes runs on http://127.0.0.1:8000 with its task worker (Ctrl+C stops both)"
	$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

bench: setup
	@for f in bench/[!_]*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

messages: setup
	$(PY) manage.py makemessages -l id --no-obsolete --add-location file -i node_modules -i .venv
	$(PY) manage.py compile_catalogue

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
