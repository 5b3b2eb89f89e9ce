"""§11.1: Glue's order of checks — a body's own 422s before ownership, e-mail taken and keys."""

from tests.addresses.test_crud import ADDRESS
from tests.conftest import document, error_codes
from tests.customers.test_registration import registration
from tests.factories import CustomerFactory


def codes(response) -> set[str]:
    return {code for _, code in error_codes(response)}


def test_a_foreign_reference_with_an_invalid_body_gets_only_the_422s(customer_api):
    other = CustomerFactory()
    url = f"/customers/{other.customer_reference}/addresses"

    invalid = customer_api.send("POST", url, document("addresses", {**ADDRESS, "zipCode": ""}))
    valid = customer_api.send("POST", url, document("addresses", ADDRESS))

    assert (invalid.status_code, codes(invalid)) == (422, {"901"})
    assert (valid.status_code, codes(valid)) == (403, {"411"})


def test_a_foreign_password_change_with_a_mismatch_gets_the_422(customer_api):
    other = CustomerFactory()
    body = {
        "password": "x",
        "newPassword": "a fine new passphrase",
        "confirmPassword": "another passphrase",
    }

    response = customer_api.send(
        "PATCH",
        f"/customer-password/{other.customer_reference}",
        document("customer-password", body),
    )

    assert (response.status_code, codes(response)) == (422, {"406"})


def test_a_taken_email_is_reported_only_when_the_rest_is_valid(api, customer):
    invalid = api.send("POST", "/customers", registration(email=customer.email, lastName=""))
    valid = api.send("POST", "/customers", registration(email=customer.email))

    assert error_codes(invalid) == [("/data/attributes/lastName", "901")]
    assert error_codes(valid) == [("/data/attributes/email", "400")]


def test_a_restore_key_is_checked_only_when_the_body_is_valid(api):
    body = {"restorePasswordKey": "unknown", "password": "short", "confirmPassword": "short"}

    response = api.send(
        "PATCH", "/customer-restore-password", document("customer-restore-password", body)
    )

    assert codes(response) == {"901"}
