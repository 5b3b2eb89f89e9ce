"""§4: ``GET /customers/{ref}?include=addresses`` and constant query counts."""

import pytest

from tests.factories import AddressFactory

# Token lookup + the page's count + the page.
LIST_QUERIES = 3
# Token lookup + all addresses at once.
INCLUDE_QUERIES = 2


@pytest.mark.parametrize("count", [1, 20])
def test_customer_with_included_addresses_costs_two_queries(
    customer_api, customer, django_assert_max_num_queries, count
):
    addresses = AddressFactory.create_batch(count, customer=customer)

    with django_assert_max_num_queries(INCLUDE_QUERIES):
        response = customer_api.get(
            f"/customers/{customer.customer_reference}", {"include": "addresses"}
        )

    assert response.status_code == 200
    body = response.json()
    relationship = body["data"]["relationships"]["addresses"]["data"]
    assert relationship == [{"type": "addresses", "id": str(a.pk)} for a in addresses]
    # DJA sorts ``included`` by id; the relationship carries the order.
    assert sorted(item["id"] for item in body["included"]) == sorted(str(a.pk) for a in addresses)
    assert body["included"][0]["attributes"]["country"] == "Germany"


def test_customer_without_include_has_no_addresses(customer_api, customer):
    AddressFactory(customer=customer)

    response = customer_api.get(f"/customers/{customer.customer_reference}")

    assert "included" not in response.json()
    assert "relationships" not in response.json()["data"]


def test_included_addresses_take_sparse_fieldsets(customer_api, customer):
    AddressFactory(customer=customer)

    response = customer_api.get(
        f"/customers/{customer.customer_reference}",
        {"include": "addresses", "fields[addresses]": "city,zipCode"},
    )

    assert response.json()["included"][0]["attributes"] == {"city": "Berlin", "zipCode": "10115"}


def test_included_addresses_are_only_the_customers_own(customer_api, customer):
    own = AddressFactory(customer=customer)
    AddressFactory()

    response = customer_api.get(
        f"/customers/{customer.customer_reference}", {"include": "addresses"}
    )

    assert [item["id"] for item in response.json()["included"]] == [str(own.pk)]


@pytest.mark.parametrize("count", [1, 20])
def test_address_list_costs_constant_queries(
    customer_api, customer, django_assert_max_num_queries, count
):
    AddressFactory.create_batch(count, customer=customer)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = customer_api.get(
            f"/customers/{customer.customer_reference}/addresses", {"page[limit]": 100}
        )

    assert len(response.json()["data"]) == count


def test_one_address_costs_two_queries(customer_api, customer, django_assert_max_num_queries):
    address = AddressFactory(customer=customer)

    with django_assert_max_num_queries(2):
        response = customer_api.get(
            f"/customers/{customer.customer_reference}/addresses/{address.pk}"
        )

    assert response.status_code == 200
