# Kopdes: `make run` sets everything up and serves the app; `make test` runs the whole test suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make run PORT=8010` serves on another port
PORT ?= 8000
-include .env
export

.PHONY: run setup test test-postgres lint bench messages reset clean

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
	@# Map outlines of Paser, carried in the repository (data/wilayah/paser, MIT notice beside them).
	@$(PY) manage.py load_boundaries data/wilayah/paser \
	  || echo "WARNING: Paser's outlines were not loaded (see the error above): the map shows no kecamatan or villages."
	@# The task worker runs beside the server (emails, reminders, the reporting periods) and stops with it.
	$(PY) manage.py open_report_periods
	@echo "Kopdes runs on http://127.0.0.1:$(PORT) with its task worker (Ctrl+C stops both)"
	$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint --check kopdes/templates && $(VENV)/bin/djlint --lint kopdes/templates
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pylint kopdes  # duplicate code only (pyproject.toml [tool.pylint])
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

bench: setup
	@for f in bench/[!_]*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

messages: setup
	$(PY) manage.py makemessages -l id --no-obsolete --add-location file -i node_modules -i .venv
	$(PY) manage.py compile_catalogue

# Start over: the local SQLite database (the demo story, everything typed) and uploaded files go;
# the next `make run` builds the demo again. Asks first; `make reset YES=1` does not ask.
reset:
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "DATABASE_URL is set: reset only removes the local SQLite database; drop that database yourself."; exit 1; fi
	@if [ "$(YES)" != "1" ]; then read -r -p "Remove db.sqlite3 and media/ (all local data)? [y/N] " answer; \
	  case "$$answer" in [yY]*) ;; *) echo "Nothing removed."; exit 1;; esac; fi
	rm -rf db.sqlite3 media
	@echo "Removed. \`make run\` creates a fresh database with the demo data."

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
