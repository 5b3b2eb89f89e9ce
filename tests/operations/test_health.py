"""GET /health and /health/live."""

import pytest
from django.db import OperationalError, connection
from django.test import Client


def test_health_answers_200_when_database_and_cache_answer(api):
    response = api.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_health_answers_503_when_the_cache_is_down(api, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }

    response = api.get("/health")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}


def test_health_answers_503_when_the_database_is_down(api, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        response = api.get("/health")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_liveness_touches_nothing(api, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = api.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", ["/health", "/health/live"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_health_answers_other_methods_405_as_json_api(db, path, method):
    browser = Client(enforce_csrf_checks=True)

    response = browser.generic(method, path)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/vnd.api+json"
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["errors"][0]["status"] == "405"
