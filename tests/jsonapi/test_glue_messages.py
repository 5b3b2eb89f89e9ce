"""§11.1: validation details read as Glue writes them; 422's reason phrase is RFC 9110's."""

import pytest

from tests.addresses.test_crud import ADDRESS
from tests.auth_api.test_change_password import change
from tests.auth_api.test_restore_password import restore
from tests.conftest import document, errors_of
from tests.customers.test_registration import registration
from tests.factories import AddressFactory


def details(response) -> dict[str, str]:
    return {error["source"]["pointer"]: error["detail"] for error in errors_of(response)}


def details_of(response, attribute: str) -> list[str]:
    """Every error's detail on one attribute, in order: Glue sends one per rule broken."""
    pointer = f"/data/attributes/{attribute}"
    return [e["detail"] for e in errors_of(response) if e["source"]["pointer"] == pointer]


BLANK = "This value should not be blank."
TOO_SHORT = "This value is too short. It should have 12 characters or more."
NOT_A_CHOICE = "The value you selected is not a valid choice."


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
        ("PATCH", "Sir", "salutation => The value you selected is not a valid choice."),
        ("PATCH", None, "salutation => This value should not be blank."),
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


@pytest.mark.parametrize(
    ("attributes", "attribute", "expected"),
    [
        ({"password": "", "confirmPassword": ""}, "password", [BLANK, TOO_SHORT]),
        ({"password": "", "confirmPassword": ""}, "confirmPassword", [BLANK, TOO_SHORT]),
        ({"password": "short", "confirmPassword": "short"}, "confirmPassword", [TOO_SHORT]),
        (
            {"password": "111111111111", "confirmPassword": "111111111111"},
            "password",
            ["This password is too common.", "This password is entirely numeric."],
        ),
        ({"salutation": ""}, "salutation", [BLANK, NOT_A_CHOICE]),
        ({"acceptedTerms": ""}, "acceptedTerms", ["This value should be true."]),
    ],
)
def test_each_rule_broken_is_one_error_as_glue_sends_them(api, attributes, attribute, expected):
    response = api.send("POST", "/customers", registration(**attributes))

    assert response.status_code == 422
    assert details_of(response, attribute) == [f"{attribute} => {text}" for text in expected]


def test_an_addresss_empty_salutation_breaks_not_blank_and_the_choice(customer_api, customer):
    url = f"/customers/{customer.customer_reference}/addresses"
    body = document("addresses", {**ADDRESS, "salutation": ""})

    response = customer_api.send("POST", url, body)

    assert details_of(response, "salutation") == [
        f"salutation => {BLANK}",
        "salutation => The value you selected is not a valid choice.",
    ]


def test_a_new_password_and_its_confirmation_are_both_held_to_the_length(customer_api, customer):
    response = change(customer_api, customer, newPassword="test", confirmPassword="test")

    assert response.status_code == 422
    assert details_of(response, "newPassword") == [f"newPassword => {TOO_SHORT}"]
    assert details_of(response, "confirmPassword") == [f"confirmPassword => {TOO_SHORT}"]


def test_an_empty_restored_password_confirmation_breaks_two_rules(api):
    response = restore(api, "any key", password="a restored passphrase", confirmPassword="")

    assert details_of(response, "confirmPassword") == [
        f"confirmPassword => {BLANK}",
        f"confirmPassword => {TOO_SHORT}",
    ]


def test_a_resource_without_type_reads_as_glues_invalid_post_data(api):
    response = api.send("POST", "/customers", {"data": {"attributes": {"firstName": "Max"}}})

    assert response.status_code == 400
    assert [(e["code"], e["detail"]) for e in errors_of(response)] == [
        ("900", "Post data is invalid.")
    ]
