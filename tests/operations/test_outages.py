"""When PostgreSQL or Redis are away: JSON:API 503s, limits that fail open, nothing half-written."""

import shutil
import socket
import subprocess
import time

import pytest
from django.db import OperationalError

from customers.models import Customer
from tests.conftest import document, errors_of
from tests.customers.test_registration import registration


def test_a_lost_database_connection_answers_json_api_503(customer_api, customer, monkeypatch):
    def lose_connection(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("customers.services.update_customer", lose_connection)

    response = customer_api.send(
        "PATCH", f"/customers/{customer.customer_reference}", document("customers", {})
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert errors_of(response) == [
        {"status": "503", "detail": "The service is temporarily unavailable."}
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def private_redis():
    """A Redis server of this test's own, which the test may stop."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield server, f"redis://127.0.0.1:{port}/0"
    server.kill()
    server.wait()


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }


def test_with_redis_stopped_the_api_answers_and_limits_fail_open(
    api, private_redis, settings, caplog, django_capture_on_commit_callbacks
):
    server, location = private_redis
    settings.CACHES = redis_cache(location)
    settings.REGISTRATION_RATE = "1/4h"
    assert api.get("/health").status_code == 200

    server.kill()
    server.wait()
    with django_capture_on_commit_callbacks(execute=True):
        first = api.send("POST", "/customers", registration(email="a1@example.com"))
        second = api.send("POST", "/customers", registration(email="a2@example.com"))
    health = api.get("/health")

    assert (first.status_code, second.status_code) == (201, 201)
    assert Customer.objects.count() == 2
    assert "Rate-limit counter for registration unavailable" in caplog.text
    assert health.status_code == 503
    assert health.json()["checks"]["cache"] == "unavailable"
