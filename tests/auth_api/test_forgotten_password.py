"""§5: ``POST /customer-forgotten-password``."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from auth_api.models import RestorePasswordKey
from customers.services import anonymize_customer
from operations.keys import key_digest
from tests.conftest import document, error_codes, errors_of
from tests.factories import CustomerFactory

URL = "/customer-forgotten-password"
KEY_IN_LINK = re.compile(r"customer-restore-password\?key=([A-Za-z0-9_-]+)")


def forgotten(client, email: str, **extra):
    return client.send(
        "POST", URL, document("customer-forgotten-password", {"email": email}), **extra
    )


def mailed_key(message) -> str:
    return KEY_IN_LINK.search(message.body).group(1)


def test_forgotten_password_of_known_email_mails_a_restore_link(
    api, customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = forgotten(api, customer.email.upper())

    assert response.status_code == 204
    assert response.content == b""
    assert [message.to for message in mailoutbox] == [[customer.email]]
    message = mailoutbox[0]
    key = mailed_key(message)
    assert len(key) >= 43
    html, media_type = message.alternatives[0]
    assert media_type == "text/html"
    assert f"http://127.0.0.1:8000/customer-restore-password?key={key}" in html
    stored = RestorePasswordKey.objects.get(customer=customer)
    assert stored.key_digest == key_digest(key)
    assert key not in str(stored)


def test_forgotten_password_of_unknown_email_answers_the_same_and_mails_nothing(
    api, customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = forgotten(api, customer.email)
        unknown = forgotten(api, "nobody@example.com")

    assert (unknown.status_code, unknown.content) == (known.status_code, known.content)
    unknown_headers, known_headers = dict(unknown.headers), dict(known.headers)
    assert unknown_headers.pop("X-Request-ID") != known_headers.pop("X-Request-ID")
    assert unknown_headers == known_headers
    assert len(mailoutbox) == 1
    assert RestorePasswordKey.objects.count() == 1


def request_statements(client, email: str, client_ip: str) -> list[str]:
    """The request's SQL statements, with the values they carry left out."""
    with CaptureQueriesContext(connection) as queries:
        assert forgotten(client, email, REMOTE_ADDR=client_ip).status_code == 204
    values = re.compile(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b")
    return [values.sub("?", query["sql"]) for query in queries.captured_queries]


def test_forgotten_password_does_the_same_work_for_known_and_unknown_emails(
    api, customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as known_work:
        known = request_statements(api, customer.email, "198.51.100.1")
    with django_capture_on_commit_callbacks() as unknown_work:
        unknown = request_statements(api, "nobody@example.com", "198.51.100.2")

    assert known == unknown
    assert not [sql for sql in known if "customers_customer" in sql or "restorepassword" in sql]
    assert (len(known_work), len(unknown_work)) == (1, 1)
    for work in (*known_work, *unknown_work):
        work()
    assert [message.to for message in mailoutbox] == [[customer.email]]


@pytest.mark.parametrize("anonymized", [False, True])
def test_forgotten_password_of_inactive_account_mails_nothing(
    api, mailoutbox, django_capture_on_commit_callbacks, anonymized
):
    customer = CustomerFactory(is_active=anonymized)
    email = customer.email
    if anonymized:
        anonymize_customer(customer=customer)

    with django_capture_on_commit_callbacks(execute=True):
        response = forgotten(api, email)

    assert response.status_code == 204
    assert mailoutbox == []
    assert not RestorePasswordKey.objects.exists()


def test_forgotten_password_replaces_older_keys(
    api, customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        forgotten(api, customer.email)
        forgotten(api, customer.email)

    assert len(mailoutbox) == 2
    newest = mailed_key(mailoutbox[1])
    assert list(RestorePasswordKey.objects.values_list("key_digest", flat=True)) == [
        key_digest(newest)
    ]


@pytest.mark.parametrize(
    ("email", "code"),
    [("not-an-email", "901"), (42, "901"), (None, "901"), ("a" * 95 + "@x.com", "901")],
)
def test_forgotten_password_with_invalid_email_answers_422(api, mailoutbox, email, code):
    response = forgotten(api, email)

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/email", code)]
    assert mailoutbox == []


def test_forgotten_password_without_document_answers_400_code_900(api):
    response = api.send("POST", URL, {"email": "a@example.com"})

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]


def test_forgotten_password_is_throttled_per_client_ip(api, settings, mailoutbox):
    settings.PASSWORD_RESET_RATE = "2/h"
    forgotten(api, "one@example.com")
    forgotten(api, "two@example.com")

    refused = forgotten(api, "three@example.com")
    elsewhere = forgotten(api, "three@example.com", REMOTE_ADDR="10.0.0.2")

    assert refused.status_code == 429
    assert error_codes(refused) == [("", "429")]
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert errors_of(refused)[0]["detail"] == (
        f"Too many requests. Retry after {refused['Retry-After']} seconds."
    )
    assert elsewhere.status_code == 204


def test_forgotten_password_is_throttled_per_email(
    api, customer, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_RATE = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        forgotten(api, customer.email, REMOTE_ADDR="10.0.0.1")
        forgotten(api, customer.email, REMOTE_ADDR="10.0.0.2")
        refused = forgotten(api, customer.email.upper(), REMOTE_ADDR="10.0.0.3")

    assert refused.status_code == 429
    assert error_codes(refused) == [("", "429")]
    assert len(mailoutbox) == 2
