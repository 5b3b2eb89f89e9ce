"""Invariants under concurrent requests (PostgreSQL: real row locks, parallel writers)."""

from __future__ import annotations

from functools import partial

import pytest

from auth_api.services import issue_tokens
from properties.models import Property
from properties.services import MAX_PROPERTIES_PER_CUSTOMER
from relations.models import Relation
from relations.services import MAX_RELATIONS_PER_CUSTOMER
from tests.conftest import Api, all_at_once, document, error_codes
from tests.factories import CustomerFactory, PropertyFactory, RelationFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def post_in_parallel(customer, path: str, bodies: list[dict]) -> list:
    """POST each body from its own thread, client and database connection at once."""
    url = f"/customers/{customer.customer_reference}/{path}"
    clients = [Api().authenticate(issue_tokens(customer).access_token) for _ in bodies]
    return all_at_once(
        [
            partial(client.send, "POST", url, body)
            for client, body in zip(clients, bodies, strict=True)
        ]
    )


def test_parallel_posts_of_one_relation_create_it_once():
    customer = CustomerFactory()
    body = document("customer-relations", {"domain": "product", "refId": "sku-1"})

    responses = post_in_parallel(customer, "customer-relations", [body] * 10)

    assert sorted(response.status_code for response in responses) == [201] + [409] * 9
    for response in responses:
        if response.status_code == 409:
            assert error_codes(response) == [("/data/attributes/refId", "1002")]
    assert Relation.objects.filter(customer=customer).count() == 1


def test_parallel_posts_of_one_property_create_it_once():
    customer = CustomerFactory()
    body = document("customer-properties", {"propertyType": "nickname", "value": "Jo"})

    responses = post_in_parallel(customer, "customer-properties", [body] * 10)

    assert sorted(response.status_code for response in responses) == [201] + [409] * 9
    assert Property.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize(
    ("path", "model", "cap", "stored", "attributes"),
    [
        pytest.param(
            "customer-relations",
            Relation,
            MAX_RELATIONS_PER_CUSTOMER,
            lambda customer, n: RelationFactory.build(customer=customer, ref_id=f"sku-{n}"),
            lambda n: {"domain": "product", "refId": f"new-{n}"},
            id="relations",
        ),
        pytest.param(
            "customer-properties",
            Property,
            MAX_PROPERTIES_PER_CUSTOMER,
            lambda customer, n: PropertyFactory.build(customer=customer, value=f"value {n}"),
            lambda n: {"propertyType": "t", "value": f"new {n}"},
            id="properties",
        ),
    ],
)
def test_parallel_posts_cannot_pass_the_cap(path, model, cap, stored, attributes):
    customer = CustomerFactory()
    model.objects.bulk_create(stored(customer, n) for n in range(cap - 3))
    bodies = [document(path, attributes(n)) for n in range(8)]

    responses = post_in_parallel(customer, path, bodies)

    assert sorted(response.status_code for response in responses) == [201] * 3 + [422] * 5
    assert model.objects.filter(customer=customer).count() == cap
