PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install serve prod worker test bench soak lint format migrate messages

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

# Development settings for runserver and every manage.py command alike: written once, if absent.
.env:
	umask 077 && $(PYTHON) -c 'import secrets; print("DEBUG=1\nSECRET_KEY=" + secrets.token_urlsafe(50))' > $@.new
	mv $@.new $@

# Development server: debug on, mails printed to the console, their links at this HOST:PORT.
serve: export DEBUG ?= 1
serve: export CUSTOMER_CONFIRMATION_URL ?= http://$(HOST):$(PORT)/customer-confirmation?key={key}
serve: export PASSWORD_RESTORE_URL ?= http://$(HOST):$(PORT)/customer-restore-password?key={key}
serve: .env migrate
	@echo "Create a staff account for /admin/ with: $(BIN)/python manage.py createsuperuser"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production server: needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CACHE_URL (see README);
# a development .env is never read.
prod: export ENV_FILE ?=
prod: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
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

# The e-mails' translations: collect the texts into locale/*/LC_MESSAGES/django.po, translate,
# then compile; the compiled .mo files are committed, so running the service needs no gettext.
messages: install
	$(BIN)/python manage.py makemessages --all --no-location -i bench -i clients -i tests
	$(BIN)/python manage.py compilemessages --ignore $(VENV)
