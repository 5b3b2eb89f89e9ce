"""§11.1: routes as Glue clients spell them — trailing slashes, and URLs that name no id."""

import pytest

from tests.addresses.test_crud import ADDRESS
from tests.conftest import document, error_codes, errors_of
from tests.customers.test_registration import registration
from tests.factories import AddressFactory

NO_ID = "Resource id is not specified."


def test_a_trailing_slash_is_accepted_on_every_route(customer_api, customer):
    address = AddressFactory(customer=customer)
    ref = customer.customer_reference

    answers = {
        path: customer_api.get(path).status_code
        for path in (
            "/customers/",
            f"/customers/{ref}/",
            f"/customers/{ref}/addresses/",
            f"/customers/{ref}/addresses/{address.pk}/",
            "/",
        )
    }

    assert answers == dict.fromkeys(answers, 200)


def test_registration_is_served_at_customers_with_a_slash(api):
    response = api.send("POST", "/customers/", registration())

    assert response.status_code == 201


def test_a_path_no_route_matches_with_or_without_the_slash_is_still_404(customer_api):
    for path in ("/no-such-resource/", "/customers/DE--1/unknown/"):
        assert customer_api.get(path).status_code == 404


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/customers", "405"),
        ("/customers/", "405"),
        ("/customers/{ref}/addresses", "412"),
        ("/customers/{ref}/customer-relations", None),
        ("/customers/{ref}/customer-properties/", None),
    ],
)
def test_a_change_of_a_collection_names_no_id_and_answers_400(
    customer_api, customer, method, path, code
):
    url = path.format(ref=customer.customer_reference)

    response = customer_api.send(method, url, document("customers", {"firstName": "X"}))

    assert response.status_code == 400
    assert error_codes(response) == [("", code)]
    assert errors_of(response)[0]["detail"] == NO_ID
    customer.refresh_from_db()
    assert customer.first_name == "Jan"


def test_deleting_refresh_tokens_without_a_token_answers_400(customer_api):
    response = customer_api.delete("/refresh-tokens")

    assert response.status_code == 400
    assert errors_of(response) == [{"status": "400", "detail": NO_ID}]


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_empty_customer_reference_answers_400(customer_api, customer, method):
    address = AddressFactory(customer=customer)

    response = customer_api.generic(method, f"/customers//addresses/{address.pk}")

    assert response.status_code == 400
    assert errors_of(response) == [{"status": "400", "detail": NO_ID}]


NEW_ITEMS = {
    "addresses": ADDRESS,
    "customer-relations": {"domain": "product", "refId": "42"},
    "customer-properties": {"propertyType": "newsletter", "value": "yes"},
}


@pytest.mark.parametrize("collection", NEW_ITEMS)
def test_creating_under_an_empty_customer_reference_answers_403_code_411(
    customer_api, customer, collection
):
    body = document(collection, NEW_ITEMS[collection])

    response = customer_api.send("POST", f"/customers//{collection}", body)

    assert response.status_code == 403
    assert error_codes(response) == [("", "411")]
    assert errors_of(response)[0]["detail"] == "Unauthorized request."


def test_creating_under_an_empty_customer_reference_without_a_token_answers_403_code_002(api):
    body = document("addresses", NEW_ITEMS["addresses"])

    response = api.send("POST", "/customers//addresses", body)

    assert response.status_code == 403
    assert error_codes(response) == [("", "002")]
