"""What gunicorn answers itself, before Django sees the request, is JSON:API too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.live_server import PRODUCTION_ENVIRONMENT, gunicorn


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    # Requests refused by gunicorn never reach the application or its database.
    database = tmp_path_factory.mktemp("gunicorn") / "unused.sqlite3"
    with gunicorn({**PRODUCTION_ENVIRONMENT, "DATABASE_URL": f"sqlite:///{database}"}) as url:
        yield url


@pytest.mark.parametrize(
    ("request_options", "status"),
    [
        ({"params": {"include": "x" * 5000}}, 414),
        ({"headers": {f"X-Header-{n}": "1" for n in range(120)}}, 431),
    ],
)
def test_requests_gunicorn_refuses_get_a_json_api_error_document(base_url, request_options, status):
    response = requests.get(f"{base_url}/customers", timeout=10, **request_options)

    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/vnd.api+json"
    assert response.json() == {"errors": [{"status": str(status), "detail": response.reason}]}
