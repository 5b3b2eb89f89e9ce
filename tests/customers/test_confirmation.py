"""POST /customer-confirmation (§3)."""

import re

import pytest

from customers.models import Customer
from tests.conftest import document, error_codes
from tests.customers.test_registration import PASSWORD, registration


@pytest.fixture
def registration_key(api, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.send("POST", "/customers", registration())
    return re.search(r"key=([A-Za-z0-9_-]+)", mailoutbox[0].body).group(1)


def confirm(api, key):
    return api.send(
        "POST",
        "/customer-confirmation",
        document("customer-confirmation", {"registrationKey": key}),
    )


def log_in(api):
    return api.send(
        "POST",
        "/access-tokens",
        document("access-tokens", {"username": "anna@example.com", "password": PASSWORD}),
    )


def test_confirmation_answers_204_and_the_customer_can_log_in(api, registration_key):
    response = confirm(api, registration_key)

    assert response.status_code == 204
    assert response.content == b""
    assert Customer.objects.get().is_confirmed
    assert log_in(api).status_code == 201


def test_a_key_works_once(api, registration_key):
    confirm(api, registration_key)

    response = confirm(api, registration_key)

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/registrationKey", "423")]


@pytest.mark.parametrize("key", ["unknown", "x" * 128, "ключ"])
def test_unknown_key_answers_422_code_423(api, registration_key, key):
    response = confirm(api, key)

    assert error_codes(response) == [("/data/attributes/registrationKey", "423")]
    assert not Customer.objects.get().is_confirmed


@pytest.mark.parametrize("key", [None, 42, "x" * 129])
def test_malformed_key_answers_422_code_901(api, key):
    response = confirm(api, key)

    assert error_codes(response) == [("/data/attributes/registrationKey", "901")]


def test_missing_key_answers_422_code_901(api):
    response = api.send("POST", "/customer-confirmation", document("customer-confirmation", {}))

    assert error_codes(response) == [("/data/attributes/registrationKey", "901")]
