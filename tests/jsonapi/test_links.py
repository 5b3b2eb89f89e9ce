"""§11.1: links on every resource and collection, Glue's relationship names, list parameters."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import document
from tests.factories import DEFAULT_PASSWORD, AddressFactory, PropertyFactory, RelationFactory

ROOT = "http://testserver/"


def page_of(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


def test_a_customer_links_to_itself(customer_api, customer):
    data = customer_api.get(f"/customers/{customer.customer_reference}").json()["data"]

    assert data["links"] == {"self": f"{ROOT}customers/{customer.customer_reference}"}


def test_included_items_link_to_their_own_urls(customer_api, customer):
    address = AddressFactory(customer=customer)
    relation = RelationFactory(customer=customer)
    prop = PropertyFactory(customer=customer)
    url = f"/customers/{customer.customer_reference}"

    body = customer_api.get(url, {"include": "addresses,customer-relations,customer-properties"})

    links = {item["type"]: item["links"]["self"] for item in body.json()["included"]}
    owner = f"{ROOT}customers/{customer.customer_reference}"
    assert links == {
        "addresses": f"{owner}/addresses/{address.pk}",
        "customer-relations": f"{owner}/customer-relations/{relation.pk}",
        "customer-properties": f"{owner}/customer-properties/{prop.pk}",
    }


def test_relationships_are_named_as_glue_and_include_spell_them(customer_api, customer):
    RelationFactory(customer=customer)
    url = f"/customers/{customer.customer_reference}"

    data = customer_api.get(url, {"include": "customer-relations,addresses"}).json()["data"]

    assert set(data["relationships"]) == {"addresses", "customer-relations"}


def test_a_list_links_to_itself_and_each_item_to_its_own_url(customer_api, customer):
    address = AddressFactory(customer=customer)
    url = f"/customers/{customer.customer_reference}/addresses"

    body = customer_api.get(url).json()

    assert body["links"]["self"] == f"http://testserver{url}"
    assert body["data"][0]["links"]["self"] == f"http://testserver{url}/{address.pk}"


@pytest.mark.parametrize(
    ("total", "limit", "offset", "last", "prev", "next"),
    [
        (5, 1, 0, "4", None, "1"),
        (5, 2, 2, "4", "0", "4"),
        (5, 2, 4, "4", "2", None),
        (0, 10, 0, "0", None, None),
        (5, 2, 50, "4", "4", None),
    ],
)
def test_pagination_links_carry_the_limit_and_last_is_the_last_page_with_items(
    customer_api, customer, total, limit, offset, last, prev, next
):
    AddressFactory.create_batch(total, customer=customer)
    url = f"/customers/{customer.customer_reference}/addresses"

    links = customer_api.get(url, {"page[limit]": limit, "page[offset]": offset}).json()["links"]

    for name, expected in {"first": "0", "last": last, "prev": prev, "next": next}.items():
        if expected is None:
            assert links[name] is None, name
        else:
            assert page_of(links[name]) == {
                "page[limit]": [str(limit)],
                "page[offset]": [expected],
            }, name


@pytest.mark.parametrize("resource_type", ["access-tokens", "refresh-tokens"])
def test_token_answers_carry_the_endpoints_url(api, customer, tokens, resource_type):
    attributes = (
        {"username": customer.email, "password": DEFAULT_PASSWORD}
        if resource_type == "access-tokens"
        else {"refreshToken": tokens.refresh_token}
    )

    data = api.send("POST", f"/{resource_type}", document(resource_type, attributes)).json()

    assert data["data"]["links"] == {"self": f"{ROOT}{resource_type}"}


def test_created_relations_in_an_array_link_to_the_collection_and_each_item(customer_api, customer):
    url = f"/customers/{customer.customer_reference}/customer-relations"
    items = [
        {"type": "customer-relations", "attributes": {"domain": "product", "refId": ref}}
        for ref in ("a", "b")
    ]

    body = customer_api.send("POST", url, {"data": items}).json()

    assert body["links"] == {"self": f"http://testserver{url}"}
    assert all(
        item["links"]["self"].startswith(f"http://testserver{url}/") for item in body["data"]
    )


@pytest.mark.parametrize(
    "query",
    [
        "include=addresses&include=customer-relations",
        "include=addresses,customer-relations",
        "include=addresses,&include=customer-relations",
    ],
)
def test_a_list_parameter_may_be_sent_as_repeated_keys(customer_api, customer, query):
    AddressFactory(customer=customer)
    RelationFactory(customer=customer)

    body = customer_api.get(f"/customers/{customer.customer_reference}?{query}").json()

    assert {item["type"] for item in body["included"]} == {"addresses", "customer-relations"}


def test_repeated_fieldsets_are_one_fieldset(customer_api, customer):
    url = f"/customers/{customer.customer_reference}"
    query = "fields[customers]=firstName&fields[customers]=lastName"

    attributes = customer_api.get(f"{url}?{query}").json()["data"]["attributes"]

    assert attributes == {"firstName": "Jan", "lastName": "Nowak"}
