"""§11.1: validation details read as Glue writes them; 422's reason phrase is RFC 9110's."""

import pytest

from tests.addresses.test_crud import ADDRESS
from tests.conftest import document, errors_of
from tests.customers.test_registration import registration
from tests.factories import AddressFactory


def details(response) -> dict[str, str]:
    return {error["source"]["pointer"]: error["detail"] for error in errors_of(response)}


@pytest.mark.parametrize(
    ("attributes", "pointer", "detail"),
    [
        ({"firstName": ""}, "firstName", "firstName => This value should not be blank."),
        (
            {"password": "short", "confirmPassword": "short"},
            "password",
            "password => This value is too short. It should have 12 characters or more.",
        ),
        (
            {"lastName": "x" * 101},
            "lastName",
            "lastName => This value is too long. It should have 100 characters or less.",
        ),
        ({"email": "not an address"}, "email", "email => This value is not a valid email address."),
        (
            {"salutation": "Sir"},
            "salutation",
            "salutation => The value you selected is not a valid choice.",
        ),
        ({"acceptedTerms": False}, "acceptedTerms", "acceptedTerms => This value should be true."),
        ({"lastName": ...}, "lastName", "lastName => This field is missing."),
        ({"firstName": 5}, "firstName", "firstName => This value should be of type string."),
        (
            {"dateOfBirth": "1990-13-45"},
            "dateOfBirth",
            "dateOfBirth => This value is not a valid date.",
        ),
    ],
)
def test_registration_details_read_as_glue_writes_them(api, attributes, pointer, detail):
    response = api.send("POST", "/customers", registration(**attributes))

    assert response.status_code == 422
    assert details(response)[f"/data/attributes/{pointer}"] == detail


@pytest.mark.parametrize(
    ("method", "salutation", "detail"),
    [
        ("POST", "Sir", "salutation => The value you selected is not a valid choice."),
        ("POST", "", "salutation => The value you selected is not a valid choice."),
        ("PATCH", "Sir", "salutation => The value you selected is not a valid choice."),
        ("PATCH", None, "salutation => This value should not be null."),
    ],
)
def test_address_details_read_as_glue_writes_them(
    customer_api, customer, method, salutation, detail
):
    url = f"/customers/{customer.customer_reference}/addresses"
    if method == "PATCH":
        url += f"/{AddressFactory(customer=customer).pk}"
    attributes = {**ADDRESS, "salutation": salutation}

    response = customer_api.send(method, url, document("addresses", attributes))

    assert response.status_code == 422
    assert details(response) == {"/data/attributes/salutation": detail}


def test_the_contracts_fixed_texts_keep_no_prefix(api):
    body = registration(confirmPassword="a different passphrase", gender="Other")

    response = api.send("POST", "/customers", body)

    assert set(details(response).values()) == {
        "Value in field password should be identical to value in the confirmPassword field.",
        "Provided gender is invalid.",
    }


def test_422_answers_say_unprocessable_content(customer_api, customer):
    url = f"/customers/{customer.customer_reference}"

    response = customer_api.send("PATCH", url, document("customers", {"firstName": ""}))

    assert response.status_code == 422
    assert response.reason_phrase == "Unprocessable Content"
