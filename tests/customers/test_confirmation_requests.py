"""§11.5: POST /customer-confirmation-requests, a new confirmation mail without enumeration."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Customer
from events.models import OutgoingMail
from tests.conftest import document, error_codes
from tests.customers.test_confirmation import confirm, log_in
from tests.customers.test_registration import registration
from tests.factories import CustomerFactory

URL = "/customer-confirmation-requests"
KEY_IN_LINK = re.compile(r"customer-confirmation\?key=([A-Za-z0-9_-]+)")


@pytest.fixture
def registration_key(api, mailoutbox, django_capture_on_commit_callbacks) -> str:
    """Anna registered; the key of her confirmation mail."""
    with django_capture_on_commit_callbacks(execute=True):
        api.send("POST", "/customers", registration())
    return KEY_IN_LINK.search(mailoutbox[0].body).group(1)


@pytest.fixture
def ask(api, mailoutbox, django_capture_on_commit_callbacks):
    """Request a confirmation mail for ``email``; answers the response."""

    def request(email: str, **extra):
        body = document("customer-confirmation-requests", {"email": email})
        with django_capture_on_commit_callbacks(execute=True):
            return api.send("POST", URL, body, **extra)

    return request


def test_an_unconfirmed_account_gets_a_new_key_and_the_older_one_stops_working(
    api,
    registration_key,
    ask,
    mailoutbox,
):
    mailoutbox.clear()

    response = ask("ANNA@example.com")

    assert response.status_code == 204
    (message,) = mailoutbox
    assert message.to == ["anna@example.com"]
    new_key = KEY_IN_LINK.search(message.body).group(1)
    assert new_key != registration_key
    assert error_codes(confirm(api, registration_key)) == [
        ("/data/attributes/registrationKey", "423")
    ]
    assert confirm(api, new_key).status_code == 204
    assert log_in(api).status_code == 201


@pytest.mark.parametrize("account", ["confirmed", "unknown", "anonymized"])
def test_other_addresses_answer_204_alike_and_get_no_mail(ask, mailoutbox, account):
    customer = CustomerFactory(email="known@example.com")
    if account == "anonymized":
        from customers.services import anonymize_customer

        anonymize_customer(customer=customer)
    email = "nobody@example.com" if account == "unknown" else "known@example.com"

    response = ask(email)

    assert response.status_code == 204
    assert mailoutbox == []
    assert Customer.objects.get(pk=customer.pk).registration_key_digest is None


def test_the_request_does_the_same_work_for_every_address(db, api):
    CustomerFactory(email="confirmed@example.com")
    CustomerFactory(email="unconfirmed@example.com", confirmed_at=None)
    counts = {}
    for email in ("confirmed@example.com", "unconfirmed@example.com", "nobody@example.com"):
        body = document("customer-confirmation-requests", {"email": email})
        with CaptureQueriesContext(connection) as queries:
            assert api.send("POST", URL, body).status_code == 204
        # The rate limits' counters live in the database cache here; their work is alike too.
        counts[email] = [
            re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"])
            for q in queries
            if "service_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]

    assert counts["confirmed@example.com"] == counts["unconfirmed@example.com"]
    assert counts["unconfirmed@example.com"] == counts["nobody@example.com"]
    assert not any("customers_customer" in sql for sql in counts["nobody@example.com"])
    assert set(OutgoingMail.objects.values_list("renderer", flat=True)) == {
        "customers.services.confirmation_key_email"
    }


def test_requests_are_throttled_like_forgotten_password(db, ask, settings, mailoutbox):
    settings.PASSWORD_RESET_RATE = "2/h"

    answers = [ask(f"someone-{n}@example.com") for n in range(3)]

    assert [answer.status_code for answer in answers] == [204, 204, 429]
    assert error_codes(answers[2]) == [("", "429")]
    assert int(answers[2]["Retry-After"]) > 0


def test_requests_are_throttled_per_email_too(db, ask, settings):
    settings.PASSWORD_RESET_RATE = "2/h"

    answers = [
        ask("victim@example.com", REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(3)
    ]

    assert answers == [204, 204, 429]


def test_an_invalid_email_answers_422_code_901(db, ask):
    assert error_codes(ask("not an address")) == [("/data/attributes/email", "901")]
