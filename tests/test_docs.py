"""GET /docs: Swagger UI from the service's own static files, never from a CDN."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import requests
from django.core.management import call_command
from django.test import Client, override_settings

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
        page = requests.get(f"{base_url}/docs", timeout=10)
        assets = [url for url in static_urls(page.text) if url.startswith("/static/")]
        answers = {url: requests.get(base_url + url, timeout=10).status_code for url in assets}

    assert page.status_code == 200
    assert len(assets) >= 3
    assert answers == dict.fromkeys(assets, 200)
