PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install serve prod worker test bench soak lint format migrate

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

# Development server: debug on, mails printed to the console.
serve: export DEBUG ?= 1
serve: migrate
	@echo "Create a staff account for /admin/ with: $(BIN)/python manage.py createsuperuser"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production server: needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CACHE_URL (see README).
prod: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn -c config/gunicorn.py config.wsgi:application

# A Celery worker with the outbox's periodic sweep (beat): needs CELERY_BROKER_URL, e.g.
# redis://127.0.0.1:6379/2, and the web servers' DATABASE_URL and EMAIL_URL (see README).
worker: install
	@test -n "$$CELERY_BROKER_URL" || (echo "Set CELERY_BROKER_URL (see README)." >&2; exit 1)
	$(BIN)/celery -A config worker --beat --loglevel $(or $(LOG_LEVEL),INFO)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Throughput and latency under gunicorn + PostgreSQL + Redis on loopback (see README).
bench: install
	bash .ci/start-services
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/events.py

# Minutes of mixed traffic (SOAK_SECONDS, SOAK_CUSTOMERS): no 5xx, consistent data, flat memory.
soak: install
	bash .ci/start-services
	$(BIN)/python bench/soak.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
