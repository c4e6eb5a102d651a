# Two commands for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install worker beat lint

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed

# Embedded default: SQLite file, tasks in-process, mail printed to this terminal.
run: export DEBUG ?= true
run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_seeds
	$(BIN)/python manage.py create_organiser organiser \
		--organisation "Workers' Movement of Kazakhstan" \
		--organisation "International Metalworkers' Federation"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(BIN)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: $(BIN)/.installed
	$(BIN)/celery -A config worker --loglevel=INFO

beat: $(BIN)/.installed
	$(BIN)/celery -A config beat --loglevel=INFO

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
