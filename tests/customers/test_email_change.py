"""§11.5: changing the e-mail address, confirmed by a key mailed to the new address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from auth_api.services import issue_tokens
from customers.models import Customer, CustomerActivity
from customers.services import confirm_customer
from events.models import Event
from jsonapi.errors import ApiError, ErrorCode
from tests.conftest import Api, document, error_codes
from tests.factories import DEFAULT_PASSWORD, CustomerFactory

KEY_IN_LINK = re.compile(r"customer-confirmation\?key=([A-Za-z0-9_-]+)")


@pytest.fixture
def url(customer) -> str:
    return f"/customers/{customer.customer_reference}"


@pytest.fixture
def change_email(customer_api, url, mailoutbox, django_capture_on_commit_callbacks):
    """PATCH the e-mail; answers the response and the key mailed to the new address."""

    def change(email: str):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = customer_api.send("PATCH", url, document("customers", {"email": email}))
        keys = [KEY_IN_LINK.search(message.body) for message in mailoutbox]
        return response, next((found.group(1) for found in keys if found), None)

    return change


def confirm(key: str):
    body = document("customer-confirmation", {"registrationKey": key})
    return Api().send("POST", "/customer-confirmation", body)


def log_in(email: str, password: str = DEFAULT_PASSWORD) -> int:
    body = document("access-tokens", {"username": email, "password": password})
    return Api().send("POST", "/access-tokens", body).status_code


def stored(customer) -> Customer:
    return Customer.objects.get(pk=customer.pk)


def test_a_change_answers_200_with_the_email_unchanged_and_the_new_one_pending(
    customer, change_email
):
    old = customer.email

    response, key = change_email("new@example.com")

    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert (attributes["email"], attributes["pendingEmail"]) == (old, "new@example.com")
    assert (stored(customer).email, stored(customer).pending_email) == (old, "new@example.com")
    assert key is not None
    assert log_in(old) == 201
    assert log_in("new@example.com") == 401


def test_the_key_goes_to_the_new_address_and_a_notice_without_it_to_the_old_one(
    customer, change_email, mailoutbox
):
    _, key = change_email("new@example.com")

    to_new, to_old = sorted(mailoutbox, key=lambda message: message.to != ["new@example.com"])
    assert to_new.to == ["new@example.com"] and key in to_new.body
    assert to_old.to == [customer.email]
    assert key not in to_old.body and key not in str(to_old.alternatives)
    assert "new@example.com" in to_old.body


def test_confirming_the_key_makes_the_new_address_the_login(customer, change_email, url):
    old = customer.email
    _, key = change_email("New.Address@EXAMPLE.com")

    assert confirm(key).status_code == 204

    customer = stored(customer)
    assert (customer.email, customer.pending_email) == ("New.Address@EXAMPLE.com", None)
    assert customer.email_canonical == "new.address@example.com"
    assert log_in("new.address@example.com") == 201  # any spelling of the new mailbox
    assert log_in(old) == 401


def test_a_key_works_once(change_email):
    _, key = change_email("new@example.com")
    confirm(key)

    assert error_codes(confirm(key)) == [("/data/attributes/registrationKey", "423")]


def test_an_expired_key_answers_422_code_423_and_changes_nothing(customer, change_email):
    _, key = change_email("new@example.com")
    Customer.objects.filter(pk=customer.pk).update(
        email_change_expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert error_codes(confirm(key)) == [("/data/attributes/registrationKey", "423")]
    assert stored(customer).email == customer.email


def test_keys_expire_after_email_change_key_ttl(customer, change_email, settings):
    settings.EMAIL_CHANGE_KEY_TTL = 600
    before = timezone.now()

    change_email("new@example.com")

    expires = stored(customer).email_change_expires_at
    assert timedelta(seconds=599) < expires - before < timedelta(seconds=601)


def test_a_newer_change_replaces_the_older_one(customer, change_email):
    _, first_key = change_email("first@example.com")
    _, second_key = change_email("second@example.com")

    assert error_codes(confirm(first_key)) == [("/data/attributes/registrationKey", "423")]
    assert confirm(second_key).status_code == 204
    assert stored(customer).email == "second@example.com"


def test_changing_back_to_the_current_address_drops_the_pending_change(customer, change_email):
    _, key = change_email("new@example.com")

    response, no_key = change_email(customer.email.upper())

    assert response.json()["data"]["attributes"]["pendingEmail"] is None
    assert no_key is None
    assert confirm(key).status_code == 422
    assert stored(customer).email == customer.email.upper()


def test_a_taken_address_answers_422_code_400_when_requested(customer, change_email, mailoutbox):
    other = CustomerFactory()

    response, key = change_email(other.email.upper())

    assert error_codes(response) == [("/data/attributes/email", "400")]
    assert (key, mailoutbox, stored(customer).pending_email) == (None, [], None)


def test_an_address_taken_meanwhile_answers_422_code_400_when_confirmed(customer, change_email):
    _, key = change_email("wanted@example.com")
    CustomerFactory(email="WANTED@example.com")

    response = confirm(key)

    assert response.status_code == 422
    assert error_codes(response) == [("", "400")]
    assert stored(customer).email == customer.email


def test_the_constraint_decides_when_the_address_is_taken_after_the_check(
    customer, change_email, monkeypatch
):
    """The Python check passed (a registration commits between it and the UPDATE)."""
    from customers import services

    _, key = change_email("wanted@example.com")
    CustomerFactory(email="wanted@example.com")
    monkeypatch.setattr(services, "_check_email_available", lambda *args, **kwargs: None)

    with pytest.raises(ApiError) as refused:
        confirm_customer(registration_key=key)

    assert refused.value.error is ErrorCode.EMAIL_TAKEN
    assert stored(customer).email == customer.email
    assert connection.in_atomic_block  # the test's own transaction is still usable
    assert Customer.objects.filter(email_canonical="wanted@example.com").count() == 1


def test_the_change_records_its_events_and_activities(customer, change_email):
    _, key = change_email("new@example.com")
    confirm(key)

    events = Event.objects.filter(customer_reference=customer.customer_reference).order_by("id")
    assert [(event.event_type, event.data.get("changed")) for event in events] == [
        ("customer.updated", ["pendingEmail"]),
        ("customer.email_changed", None),
    ]
    assert events[1].data["email"] == "new@example.com"
    activities = CustomerActivity.objects.filter(customer=customer).order_by("created_at")
    assert [activity.activity_type for activity in activities] == [
        "email-change-requested",
        "email-changed",
    ]


def test_without_confirmation_the_email_changes_at_once(
    customer, change_email, settings, mailoutbox
):
    settings.EMAIL_CHANGE_CONFIRMATION = False

    response, key = change_email("new@example.com")

    attributes = response.json()["data"]["attributes"]
    assert (attributes["email"], attributes["pendingEmail"]) == ("new@example.com", None)
    assert (key, mailoutbox) == (None, [])
    assert log_in("new@example.com") == 201


def test_without_confirmation_a_taken_address_answers_422_code_400(
    customer, change_email, settings
):
    settings.EMAIL_CHANGE_CONFIRMATION = False
    other = CustomerFactory()

    response, _ = change_email(other.email)

    assert error_codes(response) == [("/data/attributes/email", "400")]
    assert stored(customer).email == customer.email


def test_pending_email_is_null_without_a_change(customer_api, url):
    assert customer_api.get(url).json()["data"]["attributes"]["pendingEmail"] is None


def test_both_mails_of_a_change_are_in_the_customers_language(customer, change_email, mailoutbox):
    customer.language_id = "de"
    customer.save(update_fields=["language_id"])

    change_email("neu@example.com")

    subjects = sorted(message.subject for message in mailoutbox)
    assert subjects == [
        "Bitte bestätigen Sie Ihre neue E-Mail-Adresse",
        "Ihre E-Mail-Adresse wird bald geändert",
    ]
    assert all("Hallo" in message.body for message in mailoutbox)


def test_a_customers_change_requests_are_limited_so_no_account_sends_mail_without_end(
    customer, change_email, mailoutbox, settings
):
    settings.PASSWORD_RESET_RATE = "2/h"
    assert change_email("first@example.com")[0].status_code == 200
    assert change_email("second@example.com")[0].status_code == 200

    refused, key = change_email("third@example.com")

    assert error_codes(refused) == [("", "429")]
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert (key, mailoutbox, stored(customer).pending_email) == (None, [], "second@example.com")


def test_taken_addresses_count_too_so_the_answer_cannot_probe_many_addresses(
    customer, change_email, settings
):
    settings.PASSWORD_RESET_RATE = "2/h"
    for taken in CustomerFactory.create_batch(2):
        assert error_codes(change_email(taken.email)[0]) == [("/data/attributes/email", "400")]

    probe = change_email(CustomerFactory().email)[0]

    assert error_codes(probe) == [("", "429")]


def test_one_address_gets_a_limited_number_of_change_mails_whoever_asks(
    customer, change_email, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_RATE = "1/h"
    assert change_email("victim@example.com")[0].status_code == 200
    other = CustomerFactory()
    other_api = Api().authenticate(issue_tokens(other).access_token)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        refused = other_api.send(
            "PATCH",
            f"/customers/{other.customer_reference}",
            document("customers", {"email": "VICTIM@example.com"}),
        )

    assert error_codes(refused) == [("", "429")]
    assert mailoutbox == []


def test_another_spelling_of_the_current_address_is_no_change_request(
    customer, change_email, settings
):
    settings.PASSWORD_RESET_RATE = "1/h"
    assert change_email("new@example.com")[0].status_code == 200

    respelled = change_email(customer.email.upper())[0]

    assert respelled.status_code == 200
