# Arbodossier — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test test-fast lint fmt messages bench clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	touch $@

install: $(VENV)/.installed

# Embedded SQLite, demo data and demo logins, a worker and the scheduler; DEBUG on for local use only.
run: export DEBUG ?= 1
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@# The worker and the scheduler run beside the development server; Ctrl-C stops all three.
	trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT; \
	$(PY) manage.py worker --queue-name '*' & \
	$(PY) manage.py scheduler & \
	$(PY) manage.py runserver $(HOST)

# SQLite by default; PostgreSQL when DATABASE_URL is set (CI does).
test: export SECRET_KEY ?= test-only-secret-key-not-for-production
test: export ALLOW_DERIVED_KEYS ?= 1
test: export DEBUG := 0
test: install
	mkdir -p var/static
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(VENV)/bin/mypy arbo config
	$(VENV)/bin/lint-imports  # the layers of docs/architecture.md ([tool.importlinter] in pyproject.toml)

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# msgids are Dutch, so only English needs a catalog. Fill in every new msgstr (no fuzzy) before
# committing django.po and django.mo: tests/test_i18n.py fails on untranslated entries.
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	msgfmt --check --statistics -o /dev/null locale/en/LC_MESSAGES/django.po
	DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv

bench: install
	DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 $(PY) bench/run.py

clean:
	rm -rf $(VENV) var
