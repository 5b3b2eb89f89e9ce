"""Staff pages for relations and properties, and their inlines on the customer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from relations.models import ProductStock
from tests.factories import CustomerFactory, PropertyFactory, RelationFactory


@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(CustomerFactory(is_staff=True, is_superuser=True))
    return client


def test_customer_page_shows_relations_and_properties_inline(staff_client, customer):
    RelationFactory(customer=customer, ref_id="sku-inline")
    PropertyFactory(customer=customer, value="value-inline")

    response = staff_client.get(f"/admin/customers/customer/{customer.pk}/change/")

    assert response.status_code == 200
    assert b"sku-inline" in response.content
    assert b"value-inline" in response.content
    assert b"pbkdf2" not in response.content and b"md5$" not in response.content


def test_relation_list_filters_by_domain_and_relation_type(staff_client):
    RelationFactory(domain="product", relation_type="watch", ref_id="sku-watched")
    RelationFactory(domain="product", relation_type="favorite", ref_id="sku-favorite")

    response = staff_client.get(
        "/admin/relations/relation/", {"domain": "product", "relation_type": "watch"}
    )

    assert response.status_code == 200
    assert b"sku-watched" in response.content
    assert b"sku-favorite" not in response.content


def test_property_list_filters_by_property_type(staff_client):
    PropertyFactory(property_type="nickname", value="nick-value-17")
    PropertyFactory(property_type="motto", value="carpe diem")

    response = staff_client.get("/admin/properties/property/", {"property_type": "nickname"})

    assert response.status_code == 200
    assert b"nick-value-17" in response.content
    assert b"carpe diem" not in response.content


def test_customer_page_links_each_inline_relation_to_its_own_page(staff_client, customer):
    relation = RelationFactory(customer=customer, ref_id="sku-linked")

    page = staff_client.get(f"/admin/customers/customer/{customer.pk}/change/").content.decode()
    relation_page = staff_client.get(f"/admin/relations/relation/{relation.pk}/change/")

    assert f"/admin/relations/relation/{relation.pk}/change/" in page
    assert relation_page.status_code == 200
    for label in (">Item id:<", ">Starts:<", ">Ends:<", ">Config:<"):
        assert label in relation_page.content.decode()


def test_staff_see_the_stock_states_read_only(staff_client):
    ProductStock.objects.create(product_id="sku-77", in_stock=False, seen_at=timezone.now())
    client = staff_client

    listing = client.get("/admin/relations/productstock/", {"q": "sku-77"})
    added = client.get("/admin/relations/productstock/add/")

    assert listing.status_code == 200
    assert "sku-77" in listing.content.decode()
    assert added.status_code == 403
