# Two commands for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test score-appeals install install-runtime install-clients lock worker beat lint messages compilemessages

# Development: the runtime lock plus the test and lint tools (requirements-dev.txt).
$(BIN)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed compilemessages
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: the browser tests' accessibility checks need it (apt-get install npm)"; fi

# Production: the runtime lock only (requirements.txt), no test tools.
install-runtime:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt
	$(MAKE) compilemessages BIN=$(BIN)

# Published API clients (OSDI clients, openapi-python-client) that tests/clients drive, in their own
# virtualenv: other people's code, with its own pins (requirements-clients.txt).
install-clients:
	$(PYTHON) -m venv .venv-clients
	.venv-clients/bin/pip install --quiet -r requirements-clients.txt

# After changing dependencies in pyproject.toml: pin them again (pip-tools keeps existing pins;
# `make lock PIP_COMPILE_ARGS=--upgrade-package=NAME` moves one).
PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS)
lock: $(BIN)/.installed
	$(PIP_COMPILE) --output-file=requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra=dev --constraint=requirements.txt --output-file=requirements-dev.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file=requirements-clients.txt requirements-clients.in

# Embedded default: SQLite file, tasks in-process, mail printed to this terminal.
# Writes .env (DEBUG on, a generated SECRET_KEY, SITE_URL at this address) on first use, so every
# manage.py command works afterwards with nothing set. `make run PORT=8001` serves elsewhere.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(BIN)/.installed
	$(BIN)/python config/dev_env.py --site-url http://$(HOST):$(PORT)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_seeds
	$(BIN)/python manage.py create_organiser organiser \
		--organisation "Workers' Movement of Kazakhstan" \
		--organisation "International Metalworkers' Federation"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(BIN)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Appeal import scored on real appeals (../shared/appeals-dev beside the checkout); fails below its floors.
score-appeals: $(BIN)/.installed
	@if [ -d ../shared/appeals-dev ]; then $(BIN)/python manage.py score_appeals --cases ../shared/appeals-dev; \
	elif [ -n "$$CI" ]; then echo "score-appeals: ../shared/appeals-dev is missing beside the clone" >&2; exit 1; \
	else echo "score-appeals: skipped, ../shared/appeals-dev is not beside this checkout (CI has it)"; fi

worker: $(BIN)/.installed
	$(BIN)/celery -A config worker --loglevel=INFO

beat: $(BIN)/.installed
	$(BIN)/celery -A config beat --loglevel=INFO

# The interface's languages (config/settings.py LANGUAGES, English being the msgids). Catalogues are
# campaigns/locale/<lang>/LC_MESSAGES/django.po, committed; the compiled .mo files are not (they are
# built from the .po by every install, so a merge never has a binary to reconcile). Needs GNU gettext
# (apt-get install gettext). After adding or changing a string: `make messages`, translate what is
# new in each .po (tests/i18n/test_catalogues.py fails on anything left untranslated or fuzzy).
LANGS := es fr de pt ru tr
MESSAGES_IGNORE := --ignore='.*' --ignore=node_modules --ignore=tests --ignore=benchmarks --ignore=staticfiles \
	--ignore=media --ignore=seeds --ignore=deploy --ignore=docs --ignore=artifacts --ignore=build
messages: $(BIN)/.installed
	ENV_FILE= SECRET_KEY=makemessages-only-key-0123456789-abcdefghijklmnop $(BIN)/python manage.py makemessages \
		$(addprefix --locale=,$(LANGS)) --domain=django --add-location=file --no-wrap --no-obsolete $(MESSAGES_IGNORE)
	@# The extraction's timestamp would make every run a change (and every rebase a conflict) in every catalogue.
	sed -i '/^"POT-Creation-Date: /d' campaigns/locale/*/LC_MESSAGES/django.po
	$(MAKE) compilemessages

compilemessages:
	ENV_FILE= SECRET_KEY=compilemessages-only-key-0123456789-abcdefghijklmn $(BIN)/python manage.py compilemessages \
		--ignore='.*' --ignore=node_modules --verbosity 0

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
