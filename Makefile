# Samverka: `make run` serves the app with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test check bench install install-test demo clean python-version

python-version:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "Samverka needs Python 3.12 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.12 (with pyenv, the .python-version file selects it) or run: make PYTHON=python3.12 ..."; \
	  exit 1; }

$(BIN)/python: | python-version
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	@mkdir -p var
	$(BIN)/samverka migrate --noinput
	$(BIN)/samverka demo
	$(BIN)/samverka collectstatic --noinput --verbosity 0
	@echo "Samverka on http://$(HOST):$(PORT)/  (a task worker runs beside it; Ctrl-C stops both)"
	@trap 'kill 0' EXIT; \
	  $(BIN)/samverka db_worker --queue-name default & \
	  $(BIN)/gunicorn --config config/gunicorn.conf.py config.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile -

demo: install
	$(BIN)/samverka migrate --noinput
	$(BIN)/samverka demo

test: install-test
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

check: install-test
	$(BIN)/ruff check samverka config bench tests conftest.py
	$(BIN)/ruff format --check samverka config bench tests conftest.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy samverka
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/samverka makemigrations --check --dry-run
	SECRET_KEY=$$(printf 'x%.0s' {1..60})-check-only DJANGO_SETTINGS_MODULE=config.settings.prod $(BIN)/samverka check --deploy --fail-level WARNING
	$(BIN)/bandit -q -r samverka -x '*/tests/*,*/migrations/*'

bench: install-test
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.import_bench --rows 1000000
	$(BIN)/python -m bench.catalogue_bench
	$(BIN)/python -m bench.partnership_bench
	$(BIN)/python -m bench.vouchers_bench
	$(BIN)/python -m bench.memory_bench
	$(BIN)/python -m bench.report

clean:
	rm -rf $(VENV) var/static
