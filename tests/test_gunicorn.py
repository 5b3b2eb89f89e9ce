"""What gunicorn answers itself, before Django sees the request, is JSON:API too."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.live_server import PRODUCTION_ENVIRONMENT, gunicorn

SECRET = "RefreshTokenThatMustNeverBeLogged"


@pytest.fixture(scope="module")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gunicorn-log") / "server.log"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, server_log) -> Iterator[str]:
    # Requests refused by gunicorn never reach the application or its database.
    database = tmp_path_factory.mktemp("gunicorn") / "unused.sqlite3"
    environment = {**PRODUCTION_ENVIRONMENT, "DATABASE_URL": f"sqlite:///{database}"}
    with gunicorn(environment, log=server_log) as url:
        yield url


def send_raw(base_url: str, request: bytes) -> bytes:
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


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


@pytest.mark.parametrize(
    "request_bytes",
    [
        f"GET /refresh-tokens/{SECRET}\x01 HTTP/1.1\r\nHost: localhost\r\n\r\n",
        f"GET /customers HTTP/1.1\r\nHost: localhost\r\nAuthorization Bearer {SECRET}\r\n\r\n",
        f"DELETE /refresh-tokens/{SECRET}\r\n\r\n",
        f"GET /refresh-tokens/{SECRET} HTTP/9.9\r\nHost: localhost\r\n\r\n",
    ],
    ids=["request line", "header", "HTTP/0.9 line", "version"],
)
def test_requests_gunicorn_refuses_leave_no_secret_in_its_log(base_url, server_log, request_bytes):
    answer = send_raw(base_url, request_bytes.encode("latin-1"))
    time.sleep(0.5)  # the worker writes its line after answering

    assert answer.startswith(b"HTTP/1.1 400")
    logged = server_log.read_text()
    assert "Invalid request from ip=" in logged
    assert SECRET not in logged


def test_a_chunked_body_is_refused_with_411_over_http(base_url):
    body = b'{"data":{"type":"access-tokens","attributes":{}}}'
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    head = (
        "POST /access-tokens HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        "Content-Type: application/vnd.api+json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )

    answer = send_raw(base_url, head.encode() + chunked)

    assert answer.startswith(b"HTTP/1.1 411")
    assert b'"status":"411"' in answer
