"""Invariants under concurrent requests (PostgreSQL: real row locks, parallel writers)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from auth_api.services import issue_tokens
from properties.models import Property
from properties.services import MAX_PROPERTIES_PER_CUSTOMER
from relations.models import Relation
from relations.services import MAX_RELATIONS_PER_CUSTOMER
from tests.conftest import Api, document, error_codes
from tests.factories import CustomerFactory, PropertyFactory, RelationFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def post_in_parallel(customer, path: str, bodies: list[dict]) -> list:
    """POST each body from its own thread, client and database connection at once."""
    url = f"/customers/{customer.customer_reference}/{path}"
    clients = [Api().authenticate(issue_tokens(customer).access_token) for _ in bodies]

    def send(client_and_body):
        client, body = client_and_body
        try:
            return client.send("POST", url, body)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, zip(clients, bodies, strict=True)))


def test_parallel_posts_of_one_relation_create_it_once():
    customer = CustomerFactory()
    body = document("customer-relations", {"domain": "product", "refId": "sku-1"})

    responses = post_in_parallel(customer, "customer-relations", [body] * 10)

    assert sorted(response.status_code for response in responses) == [201] + [409] * 9
    for response in responses:
        if response.status_code == 409:
            assert error_codes(response) == [("/data/attributes/refId", "1002")]
    assert Relation.objects.filter(customer=customer).count() == 1


def test_parallel_posts_cannot_pass_the_cap():
    customer = CustomerFactory()
    Relation.objects.bulk_create(
        RelationFactory.build(customer=customer, ref_id=f"sku-{n}")
        for n in range(MAX_RELATIONS_PER_CUSTOMER - 3)
    )
    bodies = [
        document("customer-relations", {"domain": "product", "refId": f"new-{n}"}) for n in range(8)
    ]

    responses = post_in_parallel(customer, "customer-relations", bodies)

    assert sorted(response.status_code for response in responses) == [201] * 3 + [422] * 5
    assert Relation.objects.filter(customer=customer).count() == MAX_RELATIONS_PER_CUSTOMER


def test_parallel_posts_of_one_property_create_it_once():
    customer = CustomerFactory()
    body = document("customer-properties", {"propertyType": "nickname", "value": "Jo"})

    responses = post_in_parallel(customer, "customer-properties", [body] * 10)

    assert sorted(response.status_code for response in responses) == [201] + [409] * 9
    assert Property.objects.filter(customer=customer).count() == 1


def test_parallel_posts_cannot_pass_the_cap_of_properties():
    customer = CustomerFactory()
    Property.objects.bulk_create(
        PropertyFactory.build(customer=customer, value=f"value {n}")
        for n in range(MAX_PROPERTIES_PER_CUSTOMER - 3)
    )
    bodies = [
        document("customer-properties", {"propertyType": "t", "value": f"new {n}"})
        for n in range(8)
    ]

    responses = post_in_parallel(customer, "customer-properties", bodies)

    assert sorted(response.status_code for response in responses) == [201] * 3 + [422] * 5
    assert Property.objects.filter(customer=customer).count() == MAX_PROPERTIES_PER_CUSTOMER
