"""GET /docs: Swagger UI from the service's own static files, never from a CDN."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings


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
