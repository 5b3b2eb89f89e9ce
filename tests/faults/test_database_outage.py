"""PostgreSQL stopped and started while requests run: JSON:API 503s, no half-written rows,
and the service recovers by itself without a restart."""

from __future__ import annotations

import json
import os
import threading
import time

import psycopg
import pytest

from bench.servers import AppServer, PrivatePostgres, postgres_binaries

JSON_API = {"Content-Type": "application/vnd.api+json"}
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(os.geteuid() != 0, reason="starts PostgreSQL as the postgres user"),
    pytest.mark.skipif(postgres_binaries() is None, reason="PostgreSQL binaries not installed"),
]


def registration(email: str) -> bytes:
    attributes = {
        "salutation": "Ms",
        "firstName": "Load",
        "lastName": "Test",
        "email": email,
        "password": PASSWORD,
        "confirmPassword": PASSWORD,
        "acceptedTerms": True,
    }
    return json.dumps({"data": {"type": "customers", "attributes": attributes}}).encode()


def log_in(app: AppServer, email: str) -> str:
    body = json.dumps(
        {"data": {"type": "access-tokens", "attributes": {"username": email, "password": PASSWORD}}}
    ).encode()
    status, _, answer = app.request("POST", "/access-tokens", body, JSON_API)
    assert status == 201, answer
    return json.loads(answer)["data"]["attributes"]["accessToken"]


@pytest.fixture
def outage_stack():
    database = PrivatePostgres()
    database.create()
    app = AppServer(
        DATABASE_URL=database.url,
        CACHE_URL="locmemcache://",
        REQUIRE_EMAIL_CONFIRMATION="0",
        REGISTRATION_RATE="100000/h",
        REGISTRATION_ATTEMPT_RATE="100000/h",
        DATABASE_CONN_MAX_AGE="600",
    )
    try:
        app.manage("migrate", "--noinput")
        app.start()
        yield database, app
    finally:
        app.stop()
        database.destroy()


def test_database_outage_answers_503_and_recovers_without_a_restart(outage_stack):
    database, app = outage_stack
    status, _, body = app.request("POST", "/customers", registration("owner@example.com"), JSON_API)
    reference = json.loads(body)["data"]["id"]
    auth = {"Authorization": f"Bearer {log_in(app, 'owner@example.com')}"}
    answers: list[tuple[str, int, bytes, str | None]] = []
    done = threading.Event()

    def traffic() -> None:
        for n in range(100_000):
            if done.is_set():
                return
            email = f"load{n}@example.com"
            status, _, body = app.request("POST", "/customers", registration(email), JSON_API)
            answers.append(("register", status, body, email))
            status, _, body = app.get(f"/customers/{reference}", auth)
            answers.append(("read", status, body, None))

    worker = threading.Thread(target=traffic)
    worker.start()
    time.sleep(2)
    database.stop()
    time.sleep(3)
    database.start()
    recovered_after = None
    started = time.monotonic()
    while time.monotonic() - started < 20:
        if app.get(f"/customers/{reference}", auth)[0] == 200:
            recovered_after = time.monotonic() - started
            break
        time.sleep(0.2)
    time.sleep(1)
    done.set()
    worker.join(timeout=60)

    statuses = [status for _, status, _, _ in answers]
    print(
        f"database outage: {len(answers)} requests, {statuses.count(503)} answered 503, "
        f"recovered {recovered_after:.2f} s after PostgreSQL came back"
    )
    assert recovered_after is not None, "the service did not recover by itself"
    assert set(statuses) <= {200, 201, 503}, sorted(set(statuses))
    assert 503 in statuses
    for _, status, body, _ in answers:
        if status == 503:
            assert json.loads(body)["errors"][0]["status"] == "503"
    assert answers[-1][1] in (200, 201)

    with psycopg.connect(database.url) as connection:
        rows = dict(connection.execute("SELECT email, customer_reference FROM customers_customer"))
    assert all(reference for reference in rows.values()), "a customer without its reference"
    created = [email for kind, status, _, email in answers if kind == "register" and status == 201]
    assert set(created) <= set(rows)
