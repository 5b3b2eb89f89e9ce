"""§11.1: entity tags on a customer's documents, 304 for the tag a client holds, 412 on If-Match.

The tag is the customer's data version: it changes whenever any document of the customer
would. ``If-Match`` is compared under the customer's row lock, so of two devices that change
what they both read, the second gets 412 code 006 and changes nothing.
"""

from __future__ import annotations

from functools import partial

import pytest

from addresses.models import Address
from auth_api.services import issue_tokens
from customers.models import Customer
from tests.conftest import Api, all_at_once, document, error_codes
from tests.factories import AddressFactory, CustomerFactory

DUMMY = "django.core.cache.backends.dummy.DummyCache"


@pytest.fixture
def address(customer) -> Address:
    return AddressFactory(customer=customer)


@pytest.fixture
def urls(customer, address) -> dict[str, str]:
    customer_url = f"/customers/{customer.customer_reference}"
    return {
        "customer": customer_url,
        "included": f"{customer_url}?include=addresses",
        "addresses": f"{customer_url}/addresses",
        "address": f"{customer_url}/addresses/{address.pk}",
    }


def patch_name(client, customer, name: str, **headers):
    url = f"/customers/{customer.customer_reference}"
    return client.send("PATCH", url, document("customers", {"firstName": name}), **headers)


@pytest.mark.parametrize("read", ["customer", "included", "addresses", "address"])
def test_every_read_carries_an_entity_tag_and_answers_304_for_it(customer_api, urls, read):
    first = customer_api.get(urls[read])

    again = customer_api.get(urls[read], HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("read", ["customer", "included", "addresses", "address"])
def test_a_change_anywhere_in_the_customers_data_changes_every_tag(customer_api, urls, read):
    before = customer_api.get(urls[read])["ETag"]
    customer_api.send("PATCH", urls["address"], document("addresses", {"city": "Potsdam"}))

    after = customer_api.get(urls[read], HTTP_IF_NONE_MATCH=before)

    assert after.status_code == 200
    assert after["ETag"] != before


def test_a_304_costs_the_token_query_alone(customer_api, urls, django_assert_num_queries, settings):
    settings.CACHES = {**settings.CACHES, "documents": {"BACKEND": DUMMY}}
    tag = customer_api.get(urls["included"])["ETag"]

    with django_assert_num_queries(1):
        response = customer_api.get(urls["included"], HTTP_IF_NONE_MATCH=tag)

    assert response.status_code == 304


@pytest.mark.parametrize("header", ['W/"x", {tag}', "{tag}", "*", "W/{tag}"])
def test_if_none_match_compares_weakly_and_accepts_a_list(customer_api, urls, header):
    tag = customer_api.get(urls["customer"])["ETag"]

    response = customer_api.get(urls["customer"], HTTP_IF_NONE_MATCH=header.format(tag=tag))

    assert response.status_code == 304


@pytest.mark.parametrize("write", ["customer", "address"])
def test_if_match_with_the_current_tag_lets_the_change_through(customer_api, urls, write):
    tag = customer_api.get(urls[write])["ETag"]
    body = {
        "customer": document("customers", {"firstName": "Ewa"}),
        "address": document("addresses", {"city": "Bonn"}),
    }[write]

    response = customer_api.send("PATCH", urls[write], body, HTTP_IF_MATCH=tag)

    assert response.status_code == 200


@pytest.mark.parametrize("header", ['"1.0"', "W/{tag}", '"garbage"', "not even quoted"])
def test_if_match_with_another_tag_answers_412_code_006_and_changes_nothing(
    customer_api, customer, urls, header
):
    tag = customer_api.get(urls["customer"])["ETag"]

    response = patch_name(customer_api, customer, "Ewa", HTTP_IF_MATCH=header.format(tag=tag))

    assert response.status_code == 412
    assert error_codes(response) == [("", "006")]
    assert response.json()["errors"][0]["detail"] == "If-Match header value is invalid."
    customer.refresh_from_db()
    assert customer.first_name == "Jan"


def test_a_stale_tag_keeps_a_delete_from_happening(customer_api, urls, address):
    stale = customer_api.get(urls["address"])["ETag"]
    customer_api.send("PATCH", urls["address"], document("addresses", {"city": "Bonn"}))

    response = customer_api.delete(urls["address"], HTTP_IF_MATCH=stale)

    assert error_codes(response) == [("", "006")]
    assert Address.objects.filter(pk=address.pk).exists()


def test_the_second_of_two_devices_editing_what_they_read_gets_412(customer, tokens, urls):
    phone, laptop = Api().authenticate(tokens.access_token), Api()
    laptop.authenticate(issue_tokens(customer).access_token)
    read_by_both = phone.get(urls["customer"])["ETag"]

    first = patch_name(phone, customer, "Phone", HTTP_IF_MATCH=read_by_both)
    second = patch_name(laptop, customer, "Laptop", HTTP_IF_MATCH=read_by_both)

    assert first.status_code == 200
    assert error_codes(second) == [("", "006")]
    customer.refresh_from_db()
    assert customer.first_name == "Phone"


def test_writes_without_if_match_work_as_before(customer_api, customer):
    assert patch_name(customer_api, customer, "Glue").status_code == 200


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_writes_with_one_tag_change_the_customer_once():
    customer = CustomerFactory()
    url = f"/customers/{customer.customer_reference}"
    clients = [Api().authenticate(issue_tokens(customer).access_token) for _ in range(8)]
    tag = clients[0].get(url)["ETag"]

    def write(n: int) -> int:
        return patch_name(clients[n], customer, f"Device {n}", HTTP_IF_MATCH=tag).status_code

    statuses = all_at_once([partial(write, n) for n in range(len(clients))])

    assert sorted(statuses) == [200] + [412] * (len(clients) - 1)
    assert Customer.objects.get(pk=customer.pk).first_name.startswith("Device ")
