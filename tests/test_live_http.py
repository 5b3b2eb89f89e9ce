"""What only a real server shows: CSRF, routing of unknown paths, real headers, real logs.

Django's test client skips CSRF checks and the server's own logging; these tests send real
HTTP to gunicorn with the production settings (tests/live_server.py), as a client or an
attacker would, and read what the server wrote to its log.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import running_service
from tests.live_server import PASSWORD, LiveService

pytestmark = pytest.mark.django_db

JSON_API = "application/vnd.api+json"


@pytest.fixture(scope="module")
def live(
    django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[tuple[LiveService, Path]]:
    """gunicorn logging everything to a file, with cookies a plain-http client sends back."""
    folder = tmp_path_factory.mktemp("live-http")
    log = folder / "server.log"
    overrides = {"LOG_LEVEL": "DEBUG", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0"}
    with running_service(folder, django_db_blocker, log=log, **overrides) as service:
        yield service, log


def is_json_api_error(response: requests.Response, status: int) -> bool:
    return (
        response.status_code == status
        and response.headers["Content-Type"].startswith(JSON_API)
        and response.json()["errors"][0]["status"] == str(status)
    )


UNKNOWN_PATHS = ["/no-such-resource", "/customers/DE--1/unknown", "/admin-x/", "/customers-x/"]


def test_any_method_on_an_unknown_url_answers_404_not_a_csrf_403(live):
    base_url = live[0].base_url
    session = requests.Session()
    session.cookies.set("sessionid", "anything")
    answers = {
        (method, path): session.request(method, base_url + path, data="{}", timeout=10)
        for method in ("POST", "PUT", "PATCH", "DELETE", "GET")
        for path in UNKNOWN_PATHS
    }

    wrong = {
        request: (response.status_code, response.text[:80])
        for request, response in answers.items()
        if not is_json_api_error(response, 404)
    }
    assert wrong == {}


def test_a_browser_session_still_needs_the_csrf_token_on_a_real_route(live):
    service = live[0]
    base_url = service.base_url
    reference = service.register_and_log_in("session@example.com").reference
    browser = requests.Session()
    login_page = browser.get(f"{base_url}/api-auth/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text)[1]
    browser.post(
        f"{base_url}/api-auth/login/",
        data={
            "username": "session@example.com",
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"{base_url}/api-auth/login/"},
        timeout=10,
    )
    body = '{"data": {"type": "customers", "attributes": {"firstName": "Forged"}}}'

    read = browser.get(f"{base_url}/customers/{reference}", headers={"Accept": JSON_API})
    forged = browser.patch(
        f"{base_url}/customers/{reference}", data=body, headers={"Content-Type": JSON_API}
    )

    assert read.status_code == 200
    assert is_json_api_error(forged, 403)
    assert read.json()["data"]["attributes"]["firstName"] == "Live"


def test_token_answers_say_no_store(live):
    service = live[0]
    base_url = service.base_url
    service.register_and_log_in("headers@example.com")
    body = {
        "data": {
            "type": "access-tokens",
            "attributes": {"username": "headers@example.com", "password": PASSWORD},
        }
    }

    login = requests.post(f"{base_url}/access-tokens", json=body, timeout=10)

    assert login.status_code == 201
    assert login.headers["Cache-Control"] == "no-store"


ODD_SHAPES = [
    "/refresh-tokens/{token}",
    "//refresh-tokens/{token}",
    "/refresh-tokens//{token}",
    "/Refresh-Tokens/{token}",
    "/REFRESH-TOKENS/{token}",
    "/refresh-tokens/mine/{token}",
    "/refresh%2Dtokens/{token}",
    "/refresh-tokens/{token}/",
    "/refresh-tokens/{token}.json",
    "/customers/{token}",
    "/customer-restore-password/{token}",
    "/customer-confirmation/{token}",
    "/oauth/token/{token}",
    "/{token}",
    "/refresh-tokens/{token}?refreshToken={token}",
]


def test_no_token_or_key_reaches_the_log_whatever_the_shape_of_the_url(live):
    service, log = live
    base_url = service.base_url
    access_token = service.register_and_log_in("logs@example.com").token
    mails = [path.read_text() for path in service.mail.iterdir()]
    key = re.search(r"key=([A-Za-z0-9_-]+)", next(m for m in mails if "logs@" in m))[1]
    login = requests.post(
        f"{base_url}/access-tokens",
        json={
            "data": {
                "type": "access-tokens",
                "attributes": {"username": "logs@example.com", "password": PASSWORD},
            }
        },
        timeout=10,
    ).json()["data"]["attributes"]
    secrets = {access_token, login["accessToken"], login["refreshToken"], key, PASSWORD}
    bearer = {"Authorization": f"Bearer {login['accessToken']}"}

    for shape in ODD_SHAPES:
        for secret in (login["refreshToken"], key):
            for method in ("GET", "DELETE", "POST", "PATCH"):
                url = base_url + shape.format(token=secret)
                response = requests.request(method, url, headers=bearer, data="{", timeout=10)
                assert response.status_code < 500, (method, shape, response.status_code)

    written = log.read_text()
    assert "operations.access" in written  # the log was written at all
    for secret in secrets:
        assert secret not in written
