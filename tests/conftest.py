"""Fixtures shared by every test: API clients, customers and their tokens."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from auth_api.services import TokenPair, issue_tokens
from customers.models import Customer
from tests.factories import CustomerFactory
from tests.live_server import SERVICE_ENVIRONMENT, LiveService, gunicorn, migrated_sqlite_database

JSON_API = "application/vnd.api+json"
T = TypeVar("T")


def document(resource_type: str, attributes: dict | None = None, **members) -> dict:
    """A JSON:API request document with one resource object."""
    return {"data": {"type": resource_type, "attributes": attributes or {}, **members}}


class Api(APIClient):
    """An API client that sends JSON:API documents and reads them back."""

    def send(self, method: str, url: str, body=None, *, content_type: str = JSON_API, **extra):
        payload = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        return getattr(self, method.lower())(url, data=payload, content_type=content_type, **extra)

    def authenticate(self, access_token: str) -> Api:
        self.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
        return self


def errors_of(response) -> list[dict]:
    assert response["Content-Type"].startswith(JSON_API), response["Content-Type"]
    return response.json()["errors"]


def error_codes(response) -> list[tuple[str, str | None]]:
    """``(pointer, code)`` for each error, pointer '' when the error has no source."""
    return [
        (error.get("source", {}).get("pointer", ""), error.get("code"))
        for error in errors_of(response)
    ]


def all_at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run each call on a thread and database connection of its own, all let go together;
    answers their results in the order of ``calls`` (an exception in one is raised here)."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        start.wait()
        try:
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture(autouse=True)
def _empty_document_cache():
    """Tests reuse customer ids (SQLite reuses rolled-back rows' ids), so no document survives."""
    caches["documents"].clear()


@pytest.fixture
def api(db) -> Api:
    """An anonymous client; rate-limit counters start at zero."""
    cache.clear()
    return Api()


@pytest.fixture
def customer(db) -> Customer:
    return CustomerFactory()


@pytest.fixture
def tokens(customer) -> TokenPair:
    return issue_tokens(customer)


@pytest.fixture
def customer_api(api, tokens) -> Api:
    """A client logged in as ``customer`` with a bearer token."""
    return api.authenticate(tokens.access_token)


@pytest.fixture
def mailoutbox(db, mailoutbox) -> list:
    """pytest-django's outbox, fetched after the database is set up.

    Django's test case setup (run by ``db``) replaces ``mail.outbox`` with a new list, so an
    outbox fetched before it stays empty and assertions on it could never fail.
    """
    return mailoutbox


@pytest.fixture
def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def old_connections_kept():
    """Django closes connections it thinks stale at each request's start and end; the test's
    own (in its transaction) is one of them, so it is kept, as Django's test client keeps it."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@contextmanager
def running_service(
    folder: Path, django_db_blocker, log: Path | None = None, **overrides: str
) -> Iterator[LiveService]:
    """gunicorn with the production settings (and ``overrides``) on the test database.

    On PostgreSQL it serves pytest-django's test database, whose rows are deleted afterwards;
    on SQLite a fresh file of its own, with the database cache in it. The tests using it are
    marked ``django_db``, or pytest-django creates no test database: the marker's own
    transaction in this process touches nothing the server writes.
    """
    mail = folder / "mail"
    mail.mkdir()
    # django-environ reads the path after "filemail://" without its first slash.
    environment = {**SERVICE_ENVIRONMENT, "EMAIL_URL": f"filemail:///{mail}", **overrides}
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ["DATABASE_URL"])
        name = settings.DATABASES["default"]["NAME"]
        environment["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))
    else:
        environment["CACHE_URL"] = "dbcache://service_cache"
        environment["DATABASE_URL"] = migrated_sqlite_database(folder / "live.sqlite3", environment)
    try:
        with gunicorn(environment, log=log) as base_url:
            yield LiveService(base_url, mail, environment)
    finally:
        if connection.vendor == "postgresql":
            with django_db_blocker.unblock():
                call_command("flush", interactive=False, verbosity=0)
                # A teardown may run in another context (Playwright's greenlets) whose connection
                # Django would not close; left open, it keeps the test database from being dropped.
                connection.close()


@pytest.fixture(scope="module")
def live_service(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[LiveService]:
    """gunicorn with the production settings, shared by the tests of one module."""
    with running_service(tmp_path_factory.mktemp("live"), django_db_blocker) as service:
        yield service


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
