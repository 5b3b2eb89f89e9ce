"""§3/§7/§8: the customer with ?include=customer-relations,customer-properties; anonymization."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.services import anonymize_customer
from properties.models import Property
from relations.models import Relation
from tests.factories import PropertyFactory, RelationFactory


def customer_url(customer) -> str:
    return f"/customers/{customer.customer_reference}"


def test_customer_without_include_has_no_relationships(customer_api, customer):
    RelationFactory(customer=customer)

    response = customer_api.get(customer_url(customer))

    assert "relationships" not in response.json()["data"]
    assert "included" not in response.json()


def test_include_embeds_relations_and_properties_in_order(customer_api, customer):
    now = timezone.now()
    later = RelationFactory(customer=customer, position=2, created_at=now)
    first = RelationFactory(customer=customer, position=1, created_at=now - timedelta(days=1))
    prop = PropertyFactory(customer=customer)
    RelationFactory()
    PropertyFactory()

    response = customer_api.get(
        customer_url(customer), {"include": "customer-relations,customer-properties"}
    )

    assert response.status_code == 200
    body = response.json()
    relationships = body["data"]["relationships"]
    assert relationships["customer-relations"]["data"] == [
        {"type": "customer-relations", "id": str(first.pk)},
        {"type": "customer-relations", "id": str(later.pk)},
    ]
    assert relationships["customer-properties"]["data"] == [
        {"type": "customer-properties", "id": str(prop.pk)}
    ]
    included = {(item["type"], item["id"]): item for item in body["included"]}
    assert set(included) == {
        ("customer-relations", str(first.pk)),
        ("customer-relations", str(later.pk)),
        ("customer-properties", str(prop.pk)),
    }
    assert included["customer-relations", str(first.pk)]["attributes"]["refId"] == first.ref_id


def test_include_with_sparse_fieldsets(customer_api, customer):
    relation = RelationFactory(customer=customer)

    response = customer_api.get(
        customer_url(customer),
        {"include": "customer-relations", "fields[customer-relations]": "refId,domain"},
    )

    (included,) = response.json()["included"]
    assert included["id"] == str(relation.pk)
    assert included["attributes"] == {"refId": relation.ref_id, "domain": "product"}


@pytest.mark.parametrize("rows", [1, 20])
def test_include_costs_one_query_per_included_type(
    customer_api, customer, rows, django_assert_max_num_queries
):
    RelationFactory.create_batch(rows, customer=customer)
    PropertyFactory.create_batch(rows, customer=customer)

    with django_assert_max_num_queries(3):
        response = customer_api.get(
            customer_url(customer), {"include": "customer-relations,customer-properties"}
        )

    assert len(response.json()["included"]) == 2 * rows


def test_anonymization_deletes_relations_and_properties(customer):
    RelationFactory(customer=customer)
    PropertyFactory(customer=customer)
    other_relation = RelationFactory()
    other_property = PropertyFactory()

    anonymize_customer(customer=customer)

    assert list(Relation.objects.all()) == [other_relation]
    assert list(Property.objects.all()) == [other_property]


def test_delete_customer_removes_its_relations_and_properties(customer_api, customer):
    RelationFactory(customer=customer)
    PropertyFactory(customer=customer)

    response = customer_api.delete(customer_url(customer))

    assert response.status_code == 204
    assert not Relation.objects.exists()
    assert not Property.objects.exists()
