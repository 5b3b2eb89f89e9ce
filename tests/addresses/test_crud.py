"""§4: creating, reading, changing and deleting addresses, and what is refused."""

import uuid

import pytest

from addresses.models import Address
from addresses.services import MAX_ADDRESSES_PER_CUSTOMER
from tests.conftest import document, error_codes, errors_of
from tests.factories import AddressFactory, CustomerFactory

ADDRESS = {
    "salutation": "Mrs",
    "firstName": "Anna",
    "lastName": "Kowalska",
    "address1": "Julie-Wolfthorn-Straße",
    "address2": "1",
    "zipCode": "10115",
    "city": "Berlin",
    "iso2Code": "DE",
}
REQUIRED = ("salutation", "firstName", "lastName", "address1", "address2", "zipCode", "city")


def body_for(method: str, attributes: dict) -> dict | None:
    """GET sends no body; the other methods a valid document."""
    return None if method == "GET" else document("addresses", attributes)


def pointer(attribute: str) -> str:
    return f"/data/attributes/{attribute}"


@pytest.fixture
def addresses_url(customer) -> str:
    return f"/customers/{customer.customer_reference}/addresses"


@pytest.fixture
def address(customer) -> Address:
    return AddressFactory(customer=customer)


def address_url(address: Address) -> str:
    return f"/customers/{address.customer.customer_reference}/addresses/{address.pk}"


def test_creating_address_answers_201_with_every_attribute(customer_api, customer, addresses_url):
    attributes = {**ADDRESS, "address3": "Hinterhaus", "company": "Spryker", "phone": "+49 30 1"}

    response = customer_api.send("POST", addresses_url, document("addresses", attributes))

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    stored = Address.objects.get(customer=customer)
    assert data["type"] == "addresses"
    assert data["id"] == str(stored.pk)
    assert data["attributes"] == {
        **attributes,
        "country": "Germany",
        "isDefaultShipping": True,
        "isDefaultBilling": True,
        "createdAt": stored.created_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "updatedAt": stored.updated_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
    }


def test_creating_address_leaves_optional_attributes_null(customer_api, addresses_url):
    response = customer_api.send("POST", addresses_url, document("addresses", ADDRESS))

    attributes = response.json()["data"]["attributes"]
    assert (attributes["address3"], attributes["company"], attributes["phone"]) == (None,) * 3


def test_creating_address_accepts_lowercase_iso2_code_and_stores_it_uppercase(
    customer_api, customer, addresses_url
):
    body = document("addresses", {**ADDRESS, "iso2Code": "pl"})

    response = customer_api.send("POST", addresses_url, body)

    assert response.status_code == 201
    assert response.json()["data"]["attributes"]["country"] == "Poland"
    assert Address.objects.get(customer=customer).iso2_code == "PL"


def test_creating_address_keeps_unicode(customer_api, customer, addresses_url):
    body = document("addresses", {**ADDRESS, "city": "Łódź 🏙", "firstName": "Zoë"})

    response = customer_api.send("POST", addresses_url, body)

    assert response.status_code == 201
    assert Address.objects.get(customer=customer).city == "Łódź 🏙"


def test_creating_address_without_attributes_reports_each_missing_one(
    customer_api, customer, addresses_url
):
    response = customer_api.send("POST", addresses_url, document("addresses", {}))

    assert response.status_code == 422
    assert sorted(error_codes(response)) == sorted(
        (pointer(name), "901") for name in (*REQUIRED, "iso2Code")
    )
    assert {error["detail"] for error in errors_of(response)} == {
        f"{name} => This field is missing." for name in (*REQUIRED, "iso2Code")
    }
    assert not Address.objects.filter(customer=customer).exists()


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("firstName", 1),
        ("city", True),
        ("zipCode", ["10115"]),
        ("address1", {"street": "x"}),
        ("iso2Code", 49),
        ("isDefaultShipping", "true"),
        ("isDefaultBilling", 1),
        ("salutation", "Herr"),
        ("firstName", "   "),
        ("address2", None),
        ("phone", 4930),
        ("city", "Ber\u0000lin"),
    ],
)
def test_creating_address_with_wrong_value_answers_422_code_901(
    customer_api, customer, addresses_url, attribute, value
):
    body = document("addresses", {**ADDRESS, attribute: value})

    response = customer_api.send("POST", addresses_url, body)

    assert response.status_code == 422
    assert error_codes(response) == [(pointer(attribute), "901")]
    assert not Address.objects.filter(customer=customer).exists()


@pytest.mark.parametrize(
    ("attribute", "limit"),
    [
        ("firstName", 100),
        ("lastName", 100),
        ("company", 100),
        ("address1", 255),
        ("address2", 255),
        ("address3", 255),
        ("zipCode", 15),
        ("city", 100),
        ("phone", 255),
    ],
)
def test_address_attribute_lengths_are_limited(
    customer_api, customer, addresses_url, attribute, limit
):
    too_long = customer_api.send(
        "POST", addresses_url, document("addresses", {**ADDRESS, attribute: "ä" * (limit + 1)})
    )
    longest = customer_api.send(
        "POST", addresses_url, document("addresses", {**ADDRESS, attribute: "ä" * limit})
    )

    assert too_long.status_code == 422
    assert error_codes(too_long) == [(pointer(attribute), "901")]
    assert longest.status_code == 201, longest.content
    assert Address.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize("code", ["XX", "D", "DEU", "EU", "ÄÖ", "1A", ""])
def test_creating_address_with_unknown_iso2_code_answers_422_code_901(
    customer_api, customer, addresses_url, code
):
    body = document("addresses", {**ADDRESS, "iso2Code": code})

    response = customer_api.send("POST", addresses_url, body)

    assert response.status_code == 422
    assert error_codes(response) == [(pointer("iso2Code"), "901")]
    assert not Address.objects.filter(customer=customer).exists()


def test_creating_address_ignores_read_only_and_unknown_attributes(
    customer_api, customer, addresses_url
):
    other = CustomerFactory()
    attributes = {**ADDRESS, "country": "Atlantis", "customer": other.pk, "createdAt": "x"}

    response = customer_api.send("POST", addresses_url, document("addresses", attributes))

    assert response.status_code == 201
    assert response.json()["data"]["attributes"]["country"] == "Germany"
    assert Address.objects.get().customer == customer


def test_creating_address_with_wrong_type_answers_409(customer_api, customer, addresses_url):
    response = customer_api.send("POST", addresses_url, document("customers", ADDRESS))

    assert response.status_code == 409
    assert not Address.objects.exists()


def test_creating_more_than_100_addresses_answers_422_code_901(
    customer_api, customer, addresses_url
):
    AddressFactory.create_batch(MAX_ADDRESSES_PER_CUSTOMER, customer=customer)

    response = customer_api.send("POST", addresses_url, document("addresses", ADDRESS))

    assert response.status_code == 422
    assert [error["code"] for error in errors_of(response)] == ["901"]
    assert Address.objects.filter(customer=customer).count() == MAX_ADDRESSES_PER_CUSTOMER


def test_listing_addresses_answers_own_addresses_in_creation_order(
    customer_api, customer, addresses_url
):
    first, second = AddressFactory.create_batch(2, customer=customer)
    AddressFactory()

    response = customer_api.get(addresses_url)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]] == [str(first.pk), str(second.pk)]
    assert response.json()["meta"]["page"] == {"offset": 0, "limit": 10, "total": 2}


def test_listing_addresses_is_paginated(customer_api, customer, addresses_url):
    AddressFactory.create_batch(3, customer=customer)

    response = customer_api.get(addresses_url, {"page[offset]": 2, "page[limit]": 2})

    assert len(response.json()["data"]) == 1
    assert response.json()["links"]["prev"] is not None


def test_getting_address_answers_200(customer_api, address):
    response = customer_api.get(address_url(address))

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(address.pk)
    assert response.json()["data"]["attributes"]["city"] == "Berlin"


def test_getting_address_with_sparse_fieldset_answers_only_those(customer_api, address):
    response = customer_api.get(address_url(address), {"fields[addresses]": "city,zipCode"})

    assert response.json()["data"]["attributes"] == {"city": "Berlin", "zipCode": "10115"}


def test_patching_address_changes_only_sent_attributes(customer_api, address):
    body = document("addresses", {"city": "Hamburg", "iso2Code": "AT"})

    response = customer_api.send("PATCH", address_url(address), body)

    assert response.status_code == 200, response.content
    attributes = response.json()["data"]["attributes"]
    assert (attributes["city"], attributes["country"], attributes["zipCode"]) == (
        "Hamburg",
        "Austria",
        "10115",
    )
    address.refresh_from_db()
    assert (address.city, address.iso2_code, address.first_name) == ("Hamburg", "AT", "Jan")


def test_patching_address_with_matching_id_answers_200(customer_api, address):
    body = document("addresses", {"city": "Hamburg"}, id=str(address.pk))

    assert customer_api.send("PATCH", address_url(address), body).status_code == 200


def test_patching_address_with_other_id_answers_409(customer_api, address):
    body = document("addresses", {"city": "Hamburg"}, id=str(uuid.uuid4()))

    response = customer_api.send("PATCH", address_url(address), body)

    assert response.status_code == 409
    address.refresh_from_db()
    assert address.city == "Berlin"


def test_patching_address_with_invalid_values_reports_all_and_changes_nothing(
    customer_api, address
):
    body = document("addresses", {"city": "", "iso2Code": "ZZ", "zipCode": "1" * 16})

    response = customer_api.send("PATCH", address_url(address), body)

    assert response.status_code == 422
    assert sorted(error_codes(response)) == [
        (pointer("city"), "901"),
        (pointer("iso2Code"), "901"),
        (pointer("zipCode"), "901"),
    ]
    address.refresh_from_db()
    assert (address.city, address.iso2_code, address.zip_code) == ("Berlin", "DE", "10115")


def test_patching_address_without_document_answers_400_code_900(customer_api, address):
    response = customer_api.send("PATCH", address_url(address), {"city": "Hamburg"})

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]


def test_deleting_address_answers_204(customer_api, address):
    response = customer_api.delete(address_url(address))

    assert response.status_code == 204
    assert not Address.objects.filter(pk=address.pk).exists()


@pytest.mark.parametrize("address_id", [str(uuid.uuid4()), "not-a-uuid", "1", "%00"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_or_malformed_address_answers_404_code_404(
    customer_api, customer, addresses_url, address_id, method
):
    response = customer_api.send(
        method, f"{addresses_url}/{address_id}", body_for(method, {"city": "Hamburg"})
    )

    assert response.status_code == 404
    assert error_codes(response) == [("", "404")]
    assert errors_of(response)[0]["detail"] == "Address was not found."


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_someone_elses_address_answers_404_code_404(customer_api, addresses_url, method):
    foreign = AddressFactory()

    response = customer_api.send(
        method, f"{addresses_url}/{foreign.pk}", body_for(method, {"city": "Hamburg"})
    )

    assert response.status_code == 404
    assert error_codes(response) == [("", "404")]
    foreign.refresh_from_db()
    assert foreign.city == "Berlin"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_foreign_reference_on_address_list_answers_403_code_411(customer_api, method):
    other = CustomerFactory()

    response = customer_api.send(
        method, f"/customers/{other.customer_reference}/addresses", body_for(method, ADDRESS)
    )

    assert response.status_code == 403
    assert error_codes(response) == [("", "411")]
    assert not Address.objects.exists()


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_foreign_reference_on_address_answers_403_code_411(customer_api, method):
    foreign = AddressFactory()

    response = customer_api.send(method, address_url(foreign), body_for(method, {}))

    assert response.status_code == 403
    assert error_codes(response) == [("", "411")]
    assert Address.objects.filter(pk=foreign.pk).exists()


def test_unknown_reference_on_address_list_answers_403_code_411(customer_api):
    response = customer_api.get("/customers/DE--999999/addresses")

    assert response.status_code == 403
    assert error_codes(response) == [("", "411")]


def test_address_list_without_token_answers_403_code_002(api, addresses_url):
    response = api.get(addresses_url)

    assert response.status_code == 403
    assert error_codes(response) == [("", "002")]


@pytest.mark.parametrize(
    ("stored", "offset", "limit", "rows", "queries"),
    [
        (0, 0, 10, 0, 2),  # empty: the page shows the end, no count
        (3, 0, 10, 3, 2),
        (3, 0, 3, 3, 2),  # exactly one page
        (4, 0, 3, 3, 3),  # one more row than the page: counted
        (3, 1, 3, 2, 2),
        (3, 3, 3, 0, 3),  # past the end: counted
        (3, 7, 3, 0, 3),
        (3, 2**63 - 5, 3, 0, 3),  # the end of the page is the largest integer SQL knows
        (3, 2**63 - 4, 3, 0, 2),  # one past it: counted, never read
        (3, 2**64, 3, 0, 2),
    ],
)
def test_page_total_is_right_with_or_without_a_count_query(
    customer_api,
    customer,
    addresses_url,
    django_assert_num_queries,
    stored,
    offset,
    limit,
    rows,
    queries,
):
    AddressFactory.create_batch(stored, customer=customer)

    with django_assert_num_queries(queries):  # the token, the page, the count if needed
        response = customer_api.get(addresses_url, {"page[offset]": offset, "page[limit]": limit})

    assert len(response.json()["data"]) == rows
    assert response.json()["meta"]["page"] == {"offset": offset, "limit": limit, "total": stored}
