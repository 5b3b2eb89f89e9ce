"""GET /docs: Swagger UI from the service's own static files, never from a CDN.

/docs and /schema answer errors as JSON:API documents, like every other route.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.conftest import errors_of


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
