"""§11.6 over real processes: gunicorn, Celery workers on Redis, an SMTP server, a receiver.

The mail server is down while customers register; a worker is killed (SIGKILL) in the middle
of a delivery. Nothing committed is lost, nothing is sent twice that needs not be, and every
webhook is verified with the ``standardwebhooks`` library.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings
from django.db import connection

from events.models import new_webhook_secret
from tests.events.live import (
    QUICK_OUTBOX,
    SmtpSink,
    empty_broker,
    rabbitmq_is_up,
    server_python,
    wait_until,
    worker,
)
from tests.events.receiver import Receiver
from tests.live_server import SERVICE_ENVIRONMENT, gunicorn, migrated_sqlite_database

pytestmark = pytest.mark.django_db(transaction=True)

JSON_API = {"Content-Type": "application/vnd.api+json"}
PASSWORD = "a long enough passphrase for tests"


@pytest.fixture
def server_database(tmp_path) -> str:
    """A migrated database the server and the workers share: its DATABASE_URL.

    On PostgreSQL pytest-django's test database, its rows committed (``transaction=True``);
    on SQLite a fresh file, with the database cache in it.
    """
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ["DATABASE_URL"])
        return urlunsplit(url._replace(path="/" + settings.DATABASES["default"]["NAME"]))
    return migrated_sqlite_database(tmp_path / "workers.sqlite3", SERVICE_ENVIRONMENT)


@pytest.fixture
def environment(server_database, monkeypatch) -> dict[str, str]:
    """What the web server and the workers share: the database, the broker, quick retries."""
    if connection.vendor != "postgresql":
        monkeypatch.delenv("CACHE_URL", raising=False)  # the SQLite file holds the cache table
    empty_broker()
    return {**SERVICE_ENVIRONMENT, **QUICK_OUTBOX, "DATABASE_URL": server_database}


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    yield sink
    sink.stop()


def register(base_url: str, email: str) -> requests.Response:
    attributes = {
        "salutation": "Ms",
        "firstName": "Mail",
        "lastName": "Tester",
        "email": email,
        "password": PASSWORD,
        "confirmPassword": PASSWORD,
        "acceptedTerms": True,
    }
    body = {"data": {"type": "customers", "attributes": attributes}}
    response = requests.post(f"{base_url}/customers", json=body, headers=JSON_API, timeout=30)
    assert response.status_code == 201, response.text
    return response


def test_confirmation_mails_wait_for_the_mail_server_and_arrive_once(environment, smtp, tmp_path):
    environment["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp.port}"
    emails = [f"waiting{n}@example.com" for n in range(6)]

    with worker(environment, tmp_path) as running, gunicorn(environment) as base_url:
        for email in emails:
            register(base_url, email)
        wait_until(
            lambda: server_python(environment, PENDING_MAILS) == len(emails),
            30,
            "every mail tried and still waiting",
            running.tail,
        )
        smtp.start()
        wait_until(lambda: len(smtp.recipients()) >= len(emails), 60, "every mail", running.tail)
        time.sleep(8)  # a sweep, a requeue and a lease later: still none twice

    assert sorted(smtp.recipients()) == sorted(emails)
    assert all("customer-confirmation?key=" in body for _, body in smtp.messages)


@pytest.mark.skipif(not rabbitmq_is_up(), reason="no RabbitMQ on 127.0.0.1:5672")
def test_rabbitmq_works_as_the_broker_by_configuration(environment, smtp, tmp_path):
    environment["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp.port}"
    environment["CELERY_BROKER_URL"] = "amqp://guest:guest@127.0.0.1:5672//"
    environment["CELERY_QUEUE"] = "customer-accounts-tests"
    smtp.start()

    with worker(environment, tmp_path) as running, gunicorn(environment) as base_url:
        register(base_url, "rabbit@example.com")
        wait_until(lambda: smtp.recipients(), 60, "the mail", running.tail)

    assert smtp.recipients() == ["rabbit@example.com"]


PENDING_MAILS = (
    "import json; from events.models import OutgoingMail; "
    "print(json.dumps(OutgoingMail.objects.filter(status='pending', attempts__gte=1)"
    ".exclude(last_error='').count()))"
)


def test_a_worker_killed_mid_delivery_loses_no_event(environment, tmp_path):
    environment["REQUIRE_EMAIL_CONFIRMATION"] = "0"
    environment["EMAIL_URL"] = "dummymail://"
    receiver = Receiver(
        secret=new_webhook_secret(), behaviour=lambda message_id, number: (200, 0.3)
    )
    server_python(
        environment,
        "from events.models import WebhookEndpoint; WebhookEndpoint.objects.create("
        f"url={receiver.url!r}, secret={receiver.secret!r}, event_types=['customer.updated'])",
    )
    names = [f"v{n}" for n in range(1, 9)]
    try:
        with gunicorn(environment) as base_url:
            customers = [log_in(base_url, f"killed{n}@example.com") for n in range(2)]
            with worker(environment, tmp_path) as running:
                for name in names:
                    for reference, token in customers:
                        rename(base_url, reference, token, name)
                wait_until(
                    lambda: len(receiver.accepted()) >= 3 and receiver.in_flight > 0,
                    30,
                    "deliveries under way",
                    running.tail,
                )
                running.kill()
                delivered_before_the_kill = len(receiver.accepted())
                running.start()
                wait_until(
                    lambda: all(
                        first_accepted(receiver, reference) == names for reference, _ in customers
                    ),
                    90,
                    "every event delivered after the restart",
                    running.tail,
                )
    finally:
        receiver.stop()

    assert delivered_before_the_kill < 2 * len(names)
    assert receiver.refused == []
    for reference, _ in customers:
        assert_received_in_order(receiver, reference, names)


def log_in(base_url: str, email: str) -> tuple[str, str]:
    reference = register(base_url, email).json()["data"]["id"]
    body = {
        "data": {"type": "access-tokens", "attributes": {"username": email, "password": PASSWORD}}
    }
    response = requests.post(f"{base_url}/access-tokens", json=body, headers=JSON_API, timeout=30)
    assert response.status_code == 201, response.text
    return reference, response.json()["data"]["attributes"]["accessToken"]


def rename(base_url: str, reference: str, token: str, name: str) -> None:
    body = {"data": {"type": "customers", "attributes": {"firstName": name}}}
    response = requests.patch(
        f"{base_url}/customers/{reference}",
        data=json.dumps(body),
        headers={**JSON_API, "Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text


def first_accepted(receiver: Receiver, reference: str) -> list[str]:
    """The customer's names in the order each was first accepted."""
    seen: list[str] = []
    for item in receiver.accepted():
        name = item.data["firstName"]
        if item.data["customerReference"] == reference and name not in seen:
            seen.append(name)
    return seen


def assert_received_in_order(receiver: Receiver, reference: str, names: list[str]) -> None:
    """No event reached the receiver before every earlier one of the customer was accepted."""
    accepted: set[str] = set()
    for item in receiver.received:
        if item.data["customerReference"] != reference:
            continue
        name = item.data["firstName"]
        assert set(names[: names.index(name)]) <= accepted, (name, sorted(accepted))
        if 200 <= item.status < 300:
            accepted.add(name)
