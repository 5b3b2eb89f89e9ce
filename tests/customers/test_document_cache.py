"""Cached documents: served without rendering, never after the data they show has changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from addresses.models import Address
from customers.models import Customer
from relations.models import Relation
from relations.services import delete_expired_watches
from tests.conftest import document
from tests.factories import AddressFactory, CustomerFactory, PropertyFactory, RelationFactory

EVERYTHING = "?include=addresses,customer-relations,customer-properties"


@pytest.fixture
def filled(customer):
    """The customer with two addresses (the first the default), a relation and a property."""
    first = AddressFactory(customer=customer, is_default_shipping=True)
    second = AddressFactory(customer=customer)
    relation = RelationFactory(customer=customer)
    prop = PropertyFactory(customer=customer)
    return {"first": first, "second": second, "relation": relation, "property": prop}


def urls(customer: Customer) -> list[str]:
    base = f"/customers/{customer.customer_reference}"
    return [
        base,
        base + EVERYTHING,
        f"{base}/addresses",
        f"{base}/customer-relations",
        f"{base}/customer-properties",
    ]


def read_all(api, customer: Customer) -> dict[str, bytes]:
    answers = {}
    for url in urls(customer):
        response = api.get(url)
        assert response.status_code == 200, response.content
        answers[url] = response.content
    return answers


def test_a_repeated_read_costs_the_token_query_alone(
    customer_api, customer, filled, django_assert_num_queries
):
    url = f"/customers/{customer.customer_reference}{EVERYTHING}"
    first = customer_api.get(url)

    with django_assert_num_queries(1):
        second = customer_api.get(url)

    assert second.content == first.content
    for header in ("Content-Type", "Allow", "Vary"):
        assert second[header] == first[header]


def test_the_url_is_part_of_the_key(customer_api, customer, filled):
    base = f"/customers/{customer.customer_reference}/addresses"
    everything = customer_api.get(base).json()["data"]
    one = customer_api.get(base + "?page[limit]=1").json()["data"]
    sparse = customer_api.get(base + "?fields[addresses]=city").json()["data"]

    assert len(everything) == 2
    assert len(one) == 1
    assert sparse[0]["attributes"].keys() == {"city"}


def test_customers_never_see_each_others_documents(api, customer, filled):
    from auth_api.services import issue_tokens

    other = CustomerFactory()
    mine = Client(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(customer).access_token}")
    theirs = Client(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(other).access_token}")
    mine.get(f"/customers/{customer.customer_reference}/addresses")

    answer = theirs.get(f"/customers/{other.customer_reference}/addresses")

    assert answer.json()["data"] == []


def _patch_customer(api, customer, filled):
    ref = customer.customer_reference
    api.send("PATCH", f"/customers/{ref}", document("customers", {"firstName": "Changed"}))


def _add_address(api, customer, filled):
    attributes = {
        "salutation": "Mr",
        "firstName": "New",
        "lastName": "Address",
        "address1": "Street",
        "address2": "1",
        "zipCode": "10115",
        "city": "Berlin",
        "iso2Code": "DE",
    }
    url = f"/customers/{customer.customer_reference}/addresses"
    assert api.send("POST", url, document("addresses", attributes)).status_code == 201


def _item(customer, kind: str, item) -> str:
    return f"/customers/{customer.customer_reference}/{kind}/{item.pk}"


def _patch_address(api, customer, filled):
    url = _item(customer, "addresses", filled["first"])
    assert api.send("PATCH", url, document("addresses", {"city": "Hamburg"})).status_code == 200


def _flip_default_address(api, customer, filled):
    url = _item(customer, "addresses", filled["second"])
    body = document("addresses", {"isDefaultShipping": True})
    assert api.send("PATCH", url, body).status_code == 200


def _delete_address(api, customer, filled):
    assert api.delete(_item(customer, "addresses", filled["second"])).status_code == 204


def _add_relations(api, customer, filled):
    items = [
        {"type": "customer-relations", "attributes": {"refId": f"sku-{n}", **kinds}}
        for n, kinds in enumerate([{"domain": "product", "relationType": "favorite"}] * 2)
    ]
    url = f"/customers/{customer.customer_reference}/customer-relations"
    assert api.send("POST", url, {"data": items}).status_code == 201


def _patch_relation(api, customer, filled):
    url = _item(customer, "customer-relations", filled["relation"])
    body = document("customer-relations", {"position": 7})
    assert api.send("PATCH", url, body).status_code == 200


def _delete_relation(api, customer, filled):
    assert api.delete(_item(customer, "customer-relations", filled["relation"])).status_code == 204


def _add_property(api, customer, filled):
    url = f"/customers/{customer.customer_reference}/customer-properties"
    body = document("customer-properties", {"propertyType": "shoe-size", "value": "44"})
    assert api.send("POST", url, body).status_code == 201


def _patch_property(api, customer, filled):
    url = _item(customer, "customer-properties", filled["property"])
    body = document("customer-properties", {"value": "changed"})
    assert api.send("PATCH", url, body).status_code == 200


def _delete_property(api, customer, filled):
    assert api.delete(_item(customer, "customer-properties", filled["property"])).status_code == 204


def _save_customer_elsewhere(api, customer, filled):
    """As the admin or a command would: a model save with update_fields."""
    stored = Customer.objects.get(pk=customer.pk)
    stored.last_name = "Elsewhere"
    stored.save(update_fields=["last_name"])


def _save_address_elsewhere(api, customer, filled):
    address = Address.objects.get(pk=filled["first"].pk)
    address.city = "Köln"
    address.save()


def _expire_watches(api, customer, filled):
    RelationFactory(
        customer=customer,
        relation_type="watch",
        date_end=timezone.now() - timedelta(days=1),
    )
    Relation.objects.filter(pk=filled["relation"].pk).update(
        relation_type="watch", date_end=timezone.now() - timedelta(days=1)
    )
    caches["documents"].clear()  # the setup above bypassed the version on purpose
    read_all(api, customer)
    assert delete_expired_watches() == 2


def _delete_relations_in_admin(api, customer, filled):
    staff = Client()
    staff.force_login(CustomerFactory(is_staff=True, is_superuser=True))
    answer = staff.post(
        "/admin/relations/relation/",
        {"action": "delete_selected", "_selected_action": [filled["relation"].pk], "post": "yes"},
    )
    assert answer.status_code == 302
    assert not Relation.objects.filter(pk=filled["relation"].pk).exists()


WRITES = [
    _patch_customer,
    _add_address,
    _patch_address,
    _flip_default_address,
    _delete_address,
    _add_relations,
    _patch_relation,
    _delete_relation,
    _add_property,
    _patch_property,
    _delete_property,
    _save_customer_elsewhere,
    _save_address_elsewhere,
    _expire_watches,
    _delete_relations_in_admin,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__.strip("_"))
def test_a_write_is_seen_by_the_next_read(customer_api, customer, filled, write):
    before = read_all(customer_api, customer)

    write(customer_api, customer, filled)
    after = read_all(customer_api, customer)
    caches["documents"].clear()
    rendered = read_all(customer_api, customer)

    assert after == rendered  # what the cache gave is what rendering gives now
    assert after != before  # and the write did show


def test_the_browsable_api_is_neither_served_nor_kept(customer_api, customer, filled):
    url = f"/customers/{customer.customer_reference}"
    customer_api.get(url, HTTP_ACCEPT="text/html")

    assert customer_api.get(url, HTTP_ACCEPT="text/html")["Content-Type"].startswith("text/html")
    assert len(caches["documents"]._cache) == 0


def test_a_broken_cache_leaves_reads_working(customer_api, customer, filled, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "documents": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2},
        },
    }
    url = f"/customers/{customer.customer_reference}{EVERYTHING}"

    first, second = customer_api.get(url), customer_api.get(url)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert "Document cache unavailable" in caplog.text


def test_a_document_over_the_size_limit_is_not_kept(customer_api, customer, filled, settings):
    settings.DOCUMENT_CACHE_MAX_BYTES = 100
    customer_api.get(f"/customers/{customer.customer_reference}{EVERYTHING}")

    assert len(caches["documents"]._cache) == 0


# --- what is kept: a bounded number of documents per customer ------------------------------------


def kept_documents() -> int:
    return len(caches["documents"]._cache)


@pytest.mark.parametrize(
    "query",
    [
        "?junk=1",
        "?include=addresses&junk=1",
        "?include=addresses,addresses",
        "?include=addresses,",
        "?include=addresses&include=customer-relations",
        "?fields[customers]=firstName",
        "?fields[customers]=firstName,made-up",
    ],
)
def test_a_read_with_other_parameters_or_spellings_is_rendered_and_not_kept(
    customer_api, customer, filled, query
):
    url = f"/customers/{customer.customer_reference}{query}"
    first = customer_api.get(url)
    second = customer_api.get(url)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert kept_documents() == 0


def test_a_list_page_other_than_the_first_is_rendered_and_not_kept(customer_api, customer, filled):
    url = f"/customers/{customer.customer_reference}/addresses?page[offset]=1&page[limit]=1"

    assert len(customer_api.get(url).json()["data"]) == 1
    assert kept_documents() == 0


def test_a_newer_version_of_a_document_takes_the_place_of_the_older(customer_api, customer, filled):
    url = f"/customers/{customer.customer_reference}{EVERYTHING}"
    customer_api.get(url)
    for name in ("Ewa", "Ola", "Iga"):
        patch = customer_api.send(
            "PATCH",
            f"/customers/{customer.customer_reference}",
            document("customers", {"firstName": name}),
        )
        assert patch.status_code == 200
        answer = customer_api.get(url)

    assert answer.json()["data"]["attributes"]["firstName"] == "Iga"
    assert kept_documents() == 1
