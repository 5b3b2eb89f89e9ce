"""§8: /customers/{ref}/customer-properties[/{uuid}]."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, transaction

from properties.models import Property
from properties.services import MAX_PROPERTIES_PER_CUSTOMER
from tests.conftest import document, error_codes
from tests.factories import CustomerFactory, PropertyFactory

TYPE = "customer-properties"


def url(customer, prop=None) -> str:
    base = f"/customers/{customer.customer_reference}/customer-properties"
    return f"{base}/{prop.pk}" if prop is not None else base


def post(client, customer, attributes):
    return client.send("POST", url(customer), document(TYPE, attributes))


def test_post_property_answers_201(customer_api, customer):
    response = post(
        customer_api, customer, {"propertyType": "nickname", "languageId": "de_DE", "value": "Jo"}
    )

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    prop = Property.objects.get()
    assert data["type"] == TYPE
    assert data["id"] == str(prop.pk)
    assert prop.customer == customer
    assert set(data["attributes"]) == {
        "propertyType",
        "languageId",
        "value",
        "createdAt",
        "updatedAt",
    }
    assert data["attributes"]["languageId"] == "de_DE"


def test_language_id_defaults_to_null(customer_api, customer):
    response = post(customer_api, customer, {"propertyType": "nickname", "value": "Jo"})

    assert response.status_code == 201
    assert response.json()["data"]["attributes"]["languageId"] is None


def test_post_property_without_type_and_value_answers_422_for_both(customer_api, customer):
    response = post(customer_api, customer, {})

    assert response.status_code == 422
    assert sorted(error_codes(response)) == [
        ("/data/attributes/propertyType", "901"),
        ("/data/attributes/value", "901"),
    ]


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"propertyType": "nick name"}, "/data/attributes/propertyType"),
        ({"propertyType": ""}, "/data/attributes/propertyType"),
        ({"propertyType": "x" * 65}, "/data/attributes/propertyType"),
        ({"propertyType": "ß" * 33}, "/data/attributes/propertyType"),
        ({"propertyType": 5}, "/data/attributes/propertyType"),
        ({"propertyType": "a\u0000"}, "/data/attributes/propertyType"),
        ({"languageId": "DE"}, "/data/attributes/languageId"),
        ({"languageId": "de-DE"}, "/data/attributes/languageId"),
        ({"languageId": "de_de"}, "/data/attributes/languageId"),
        ({"languageId": "deu"}, "/data/attributes/languageId"),
        ({"languageId": ""}, "/data/attributes/languageId"),
        ({"languageId": 1}, "/data/attributes/languageId"),
        ({"value": "x" * 256}, "/data/attributes/value"),
        ({"value": 12}, "/data/attributes/value"),
        ({"value": None}, "/data/attributes/value"),
        ({"value": ["a"]}, "/data/attributes/value"),
        ({"value": "a\u0000b"}, "/data/attributes/value"),
    ],
)
def test_post_property_with_bad_attribute_answers_422_code_901(
    customer_api, customer, attributes, pointer
):
    body = {"propertyType": "nickname", "value": "Jo", **attributes}

    response = post(customer_api, customer, body)

    assert response.status_code == 422, response.content
    assert error_codes(response) == [(pointer, "901")]
    assert not Property.objects.exists()


def test_value_of_255_unicode_characters_is_accepted(customer_api, customer):
    response = post(customer_api, customer, {"propertyType": "motto", "value": "ж" * 255})

    assert response.status_code == 201
    assert Property.objects.get().value == "ж" * 255


@pytest.mark.parametrize("language_id", [None, "en"])
def test_duplicate_property_answers_409_code_1004(customer_api, customer, language_id):
    PropertyFactory(
        customer=customer, property_type="nickname", language_id=language_id, value="Jo"
    )

    response = post(
        customer_api,
        customer,
        {"propertyType": "nickname", "languageId": language_id, "value": "Jo"},
    )

    assert response.status_code == 409
    assert error_codes(response) == [("/data/attributes/value", "1004")]
    assert Property.objects.count() == 1


def test_same_value_in_another_language_or_of_another_customer_is_no_duplicate(
    customer_api, customer
):
    PropertyFactory(customer=customer, property_type="nickname", language_id="en", value="Jo")
    PropertyFactory(property_type="nickname", value="Jo")

    response = post(customer_api, customer, {"propertyType": "nickname", "value": "Jo"})

    assert response.status_code == 201


@pytest.mark.parametrize("language_id", [None, "en_GB"])
def test_database_refuses_equal_properties(customer, language_id):
    PropertyFactory(customer=customer, property_type="t", language_id=language_id, value="v")

    with pytest.raises(IntegrityError), transaction.atomic():
        Property.objects.create(
            customer=customer, property_type="t", language_id=language_id, value="v"
        )


def test_properties_beyond_1000_answer_422_code_901(customer_api, customer):
    """The contract caps addresses and relations; properties are capped alike, or one account
    could store rows without end and have every include and export render them all."""
    Property.objects.bulk_create(
        PropertyFactory.build(customer=customer, value=f"value {n}")
        for n in range(MAX_PROPERTIES_PER_CUSTOMER - 1)
    )

    assert post(customer_api, customer, {"propertyType": "t", "value": "last"}).status_code == 201
    response = post(customer_api, customer, {"propertyType": "t", "value": "one too many"})

    assert response.status_code == 422
    assert error_codes(response) == [("", "901")]
    assert Property.objects.filter(customer=customer).count() == MAX_PROPERTIES_PER_CUSTOMER


def test_list_filters_by_property_type(customer_api, customer):
    wanted = PropertyFactory(customer=customer, property_type="nickname")
    PropertyFactory(customer=customer, property_type="motto")
    PropertyFactory(property_type="nickname")

    response = customer_api.get(url(customer), {"filter[propertyType]": "nickname"})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]] == [str(wanted.pk)]


@pytest.mark.parametrize("rows", [1, 20])
def test_list_costs_the_same_queries_for_1_and_20_rows(
    customer_api, customer, rows, django_assert_max_num_queries
):
    PropertyFactory.create_batch(rows, customer=customer)

    with django_assert_max_num_queries(3):
        response = customer_api.get(url(customer), {"page[limit]": 100})

    assert len(response.json()["data"]) == rows


def test_get_one_property(customer_api, customer):
    prop = PropertyFactory(customer=customer)

    response = customer_api.get(url(customer, prop))

    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["value"] == prop.value


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("which", ["foreign", "unknown", "malformed"])
def test_unknown_or_foreign_property_answers_404_code_1003(customer_api, customer, method, which):
    foreign = PropertyFactory(value="theirs")
    prop_id = {"foreign": foreign.pk, "unknown": uuid.uuid4(), "malformed": "x"}[which]
    body = None if method == "GET" else document(TYPE, {"value": "mine"})

    response = customer_api.send(method, f"{url(customer)}/{prop_id}", body)

    assert response.status_code == 404
    assert error_codes(response) == [("", "1003")]
    foreign.refresh_from_db()
    assert foreign.value == "theirs"


def test_foreign_customer_reference_answers_403_code_411(customer_api):
    other = CustomerFactory()

    response = post(customer_api, other, {"propertyType": "nickname", "value": "Jo"})

    assert response.status_code == 403
    assert error_codes(response) == [("", "411")]
    assert not Property.objects.exists()


def test_patch_changes_only_the_sent_attributes(customer_api, customer):
    prop = PropertyFactory(customer=customer, property_type="nickname", value="Jo")

    response = customer_api.send("PATCH", url(customer, prop), document(TYPE, {"languageId": "pl"}))

    assert response.status_code == 200, response.content
    prop.refresh_from_db()
    assert (prop.property_type, prop.language_id, prop.value) == ("nickname", "pl", "Jo")


def test_patch_onto_an_existing_property_answers_409_code_1004(customer_api, customer):
    PropertyFactory(customer=customer, property_type="nickname", value="Jo")
    prop = PropertyFactory(customer=customer, property_type="nickname", value="Joe")

    response = customer_api.send("PATCH", url(customer, prop), document(TYPE, {"value": "Jo"}))

    assert response.status_code == 409
    assert error_codes(response) == [("/data/attributes/value", "1004")]
    prop.refresh_from_db()
    assert prop.value == "Joe"


def test_delete_answers_204_and_removes_the_property(customer_api, customer):
    prop = PropertyFactory(customer=customer)

    response = customer_api.delete(url(customer, prop))

    assert response.status_code == 204
    assert not Property.objects.exists()


def test_filter_with_a_nul_byte_matches_nothing(customer_api, customer):
    PropertyFactory(customer=customer, property_type="nickname")

    response = customer_api.get(url(customer), {"filter[propertyType]": "nick\u0000name"})

    assert response.status_code == 200
    assert response.json()["data"] == []
