"""GET /docs: Swagger UI from the service's own static files, never from a CDN.

/docs and /schema answer errors as JSON:API documents, like every other route.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.core.management import call_command
from django.test import Client, override_settings
from oauthlib.oauth2 import WebApplicationClient

from tests.auth_api.test_oauth2 import HTTPS, form_fields, token_request
from tests.conftest import Api, errors_of
from tests.factories import CustomerFactory
from tests.live_server import PRODUCTION_ENVIRONMENT, ROOT, gunicorn


def static_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)


@pytest.fixture
def docs(api) -> str:
    response = api.get("/docs", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_docs_load_swagger_ui_from_the_sidecar_package(docs):
    urls = static_urls(docs)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in urls
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in urls
    assert not [url for url in urls if url.startswith(("http:", "https:", "//"))]
    assert '"/schema"' in docs


def test_collected_static_files_are_served_by_the_app_server(db, docs, tmp_path):
    with override_settings(STATIC_ROOT=tmp_path):
        call_command("collectstatic", "--noinput", verbosity=0)
        client = Client()  # loads the middleware, and so WhiteNoise's file list, anew
        local = [url for url in static_urls(docs) if url.startswith("/static/")]
        assert len(local) >= 3
        for url in local:
            response = client.get(url)
            assert response.status_code == 200, url
            assert b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/docs", "GET, HEAD"),
        ("POST", "/docs", "GET, HEAD"),
        ("DELETE", "/schema", "GET, HEAD, OPTIONS"),
    ],
)
@pytest.mark.parametrize("accept", ["application/vnd.api+json", "text/html"])
def test_other_methods_answer_a_json_api_405_with_allow(api, method, path, allow, accept):
    response = api.generic(method, path, HTTP_ACCEPT=accept)

    assert response.status_code == 405
    assert response["Allow"] == allow
    assert errors_of(response) == [{"status": "405", "detail": f'Method "{method}" not allowed.'}]


@pytest.mark.parametrize("path", ["/docs", "/schema"])
def test_a_bad_token_answers_a_json_api_401(api, path):
    response = api.get(path, HTTP_AUTHORIZATION="Bearer unknown", HTTP_ACCEPT="text/html")

    assert response.status_code == 401
    assert errors_of(response)[0]["code"] == "001"


def test_docs_and_every_asset_answer_200_from_gunicorn_after_migrate_alone(tmp_path):
    environment = {
        **PRODUCTION_ENVIRONMENT,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "locmemcache://",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr

    with gunicorn(environment) as base_url:
        docs = requests.get(f"{base_url}/docs", timeout=10)
        # Swagger UI's OAuth2 callback: a redirect to the sidecar's page, which loads a script.
        callback = requests.get(f"{base_url}/oauth2-redirect.html?code=c&state=s", timeout=10)
        assets = [urljoin(docs.url, url) for url in static_urls(docs.text)]
        assets += [urljoin(callback.url, url) for url in static_urls(callback.text)]
        answers = {url: requests.get(url, timeout=10).status_code for url in assets}

    assert (docs.status_code, callback.status_code) == (200, 200)
    assert callback.url.startswith(f"{base_url}/static/")
    assert callback.url.endswith("/oauth2-redirect.html?code=c&state=s")
    assert len(assets) >= 5
    assert answers == dict.fromkeys(assets, 200)


SWAGGER_UI_REDIRECT_URI = "https://testserver/oauth2-redirect.html"


def test_swagger_ui_registered_as_documented_gets_tokens_through_its_redirect_page(api):
    """Swagger UI's OAuth2 flow: its redirect URI is /oauth2-redirect.html next to /docs."""
    output = StringIO()
    call_command(
        "create_oauth_client",
        "Swagger UI",
        "--redirect-uri",
        SWAGGER_UI_REDIRECT_URI,
        stdout=output,
    )
    oauth = WebApplicationClient(output.getvalue().removeprefix("client_id: ").strip())
    verifier = oauth.create_code_verifier(64)
    browser = Api(**HTTPS)
    browser.force_login(CustomerFactory())
    consent = browser.get(
        oauth.prepare_request_uri(
            "https://testserver/oauth/authorize/",
            redirect_uri=SWAGGER_UI_REDIRECT_URI,
            scope=["customer"],
            state="swagger-state",
            code_challenge=oauth.create_code_challenge(verifier, "S256"),
            code_challenge_method="S256",
        )
    )
    approved = browser.post(
        "/oauth/authorize/", {**form_fields(consent.content.decode()), "allow": "Authorize"}
    )
    callback = urlsplit(approved["Location"])
    page = browser.get(f"{callback.path}?{callback.query}")
    oauth.parse_request_uri_response(approved["Location"], state="swagger-state")
    tokens = token_request(
        api,
        oauth.prepare_request_body(
            code=oauth.code,
            redirect_uri=SWAGGER_UI_REDIRECT_URI,
            code_verifier=verifier,
            include_client_id=True,
        ),
    )

    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == SWAGGER_UI_REDIRECT_URI
    assert page.status_code == 302
    assert page["Location"] == (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/oauth2-redirect.html?" + callback.query
    )
    assert tokens.status_code == 200
    assert tokens.json()["access_token"]
