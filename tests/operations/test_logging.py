"""JSON access logs with request ids; no password, key or token ever reaches a log line."""

import io
import json
import logging
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operations.logging import (
    JsonFormatter,
    RequestContextFilter,
    ServerLogFilter,
    redact_path,
    redact_segments,
)
from tests.conftest import document
from tests.customers.test_registration import PASSWORD, registration


@pytest.fixture
def log_output():
    """Everything logged during the test, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous_level)


def log_lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_writes_one_json_access_line(api, log_output):
    response = api.get("/health/live", HTTP_X_REQUEST_ID="req-123")

    access = [line for line in log_lines(log_output) if line["logger"] == "operations.access"]
    assert response["X-Request-ID"] == "req-123"
    assert len(access) == 1
    line = access[0]
    assert (line["method"], line["path"], line["status"], line["request_id"]) == (
        "GET",
        "/health/live",
        200,
        "req-123",
    )
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"


@pytest.mark.parametrize("sent", ["", "bad id with spaces", "x" * 65, "<script>"])
def test_unusable_request_ids_are_replaced(api, sent):
    response = api.get("/health/live", HTTP_X_REQUEST_ID=sent)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_whole_journey_logs_no_secret(
    api, log_output, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api.send("POST", "/customers", registration())
    key = re.search(r"key=([A-Za-z0-9_-]+)", mailoutbox[0].body).group(1)
    api.send(
        "POST",
        "/customer-confirmation",
        document("customer-confirmation", {"registrationKey": key}),
    )
    login = api.send(
        "POST",
        "/access-tokens",
        document("access-tokens", {"username": "anna@example.com", "password": PASSWORD}),
    ).json()["data"]["attributes"]
    failed = "a wrong password guess"
    api.send(
        "POST",
        "/access-tokens",
        document("access-tokens", {"username": "anna@example.com", "password": failed}),
    )
    api.authenticate(login["accessToken"])
    refreshed = api.send(
        "POST",
        "/refresh-tokens",
        document("refresh-tokens", {"refreshToken": login["refreshToken"]}),
    ).json()["data"]["attributes"]
    api.authenticate(refreshed["accessToken"])
    api.delete(f"/refresh-tokens/{refreshed['refreshToken']}")
    api.get(f"/customers/DE--1?access_token={refreshed['accessToken']}")

    output = log_output.getvalue()
    assert "/refresh-tokens/[redacted]" in output
    for secret in (
        PASSWORD,
        failed,
        key,
        login["accessToken"],
        login["refreshToken"],
        refreshed["accessToken"],
        refreshed["refreshToken"],
    ):
        assert secret not in output


def test_server_errors_are_logged_with_the_request_id_and_a_redacted_path(
    customer_api, log_output, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("auth_api.services.revoke_refresh_token", fail)

    response = customer_api.delete("/refresh-tokens/secret-refresh-token-value")

    lines = log_lines(log_output)
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert response.status_code == 500
    assert errors
    assert all(line["request_id"] == response["X-Request-ID"] for line in errors)
    assert "RuntimeError: boom" in errors[0]["exception"]
    assert "secret-refresh-token-value" not in log_output.getvalue()


TOKEN = "Xq3v9J0b8Kc2nR7sT1uV4wY6zA5dE_fG-hI8jK0lM2n"


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/refresh-tokens/abc.def", "/refresh-tokens/[redacted]"),
        ("/refresh-tokens/mine", "/refresh-tokens/mine"),
        ("/refresh-tokens", "/refresh-tokens"),
        ("/customers/DE--1", "/customers/DE--1"),
        ("//refresh-tokens/abc.def", "//refresh-tokens/[redacted]"),
        ("/refresh-tokens//abc.def", "/refresh-tokens//[redacted]"),
        ("/Refresh-Tokens/abc.def", "/Refresh-Tokens/[redacted]"),
        ("/refresh-tokens/mine/abc.def", "/refresh-tokens/mine/[redacted]"),
        ("/refresh%2Dtokens/abc.def", "/refresh%2Dtokens/[redacted]"),
        ("/refresh-tokens/abc/def/", "/refresh-tokens/[redacted]/[redacted]/"),
        ("/customer-restore-password/abc.def", "/customer-restore-password/[redacted]"),
        (f"/customers/{TOKEN}", "/customers/[redacted]"),
        (f"/x/{TOKEN}.json", "/x/[redacted]"),
        (
            "/customers/DE--1/addresses/2cce4b7f-3a20-4dbf-b259-67ba7086a34a",
            "/customers/DE--1/addresses/2cce4b7f-3a20-4dbf-b259-67ba7086a34a",
        ),
    ],
)
def test_redact_path(path, logged):
    assert redact_path(path) == logged


LONG_S = "\u017f"  # casefolds to "s"
SEGMENT_PARTS = st.sampled_from(
    [
        "refresh-tokens",
        "Refresh%2DTokens",
        "token",
        "mine",
        "customers",
        "DE--1",
        TOKEN,
        "%2F",
        LONG_S,
    ],
)


@given(st.lists(st.one_of(SEGMENT_PARTS, st.text(max_size=40)), max_size=6))
def test_redact_paths_shortcut_agrees_with_judging_each_segment(parts):
    path = "/" + "/".join(parts)
    assert redact_path(path) == redact_segments(path)


def gunicorn_line(message: str, *args: str) -> logging.LogRecord:
    return logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1, message, args, None)


def test_gunicorns_error_lines_keep_no_secret_of_the_request():
    token = "a" * 43
    records = [
        gunicorn_line(
            "Error handling request %s %s", "DELETE", f"/refresh-tokens/{token}?key={token}"
        ),
        gunicorn_line(
            f"Invalid request from ip=10.0.0.1: Invalid HTTP Header: 'Authorization {token}'"
        ),
        gunicorn_line("Error handling request %s", f"/REFRESH-TOKENS/{token.upper()}"),
        gunicorn_line("Error handling request (no URI read)"),
    ]

    for record in records:
        assert ServerLogFilter().filter(record)

    messages = [record.getMessage() for record in records]
    assert messages == [
        "Error handling request DELETE /refresh-tokens/[redacted]",
        "Invalid request from ip=10.0.0.1: Invalid HTTP Header: [redacted]",
        "Error handling request /REFRESH-TOKENS/[redacted]",
        "Error handling request (no URI read)",
    ]
