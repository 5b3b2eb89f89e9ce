"""The one-pass documents of ``jsonapi.documents`` against djangorestframework-jsonapi's own."""

from __future__ import annotations

import pytest

from jsonapi import documents
from jsonapi.renderers import JsonApiRenderer
from tests.factories import AddressFactory, PropertyFactory, RelationFactory

READS = [
    "/customers/{ref}",
    "/customers/{ref}?include=addresses",
    "/customers/{ref}?include=addresses,customer-relations,customer-properties",
    "/customers/{ref}?include=customer-relations&fields[customers]=firstName,customerRelations",
    "/customers/{ref}?include=addresses&fields[addresses]=iso2Code,isDefaultBilling",
    "/customers/{ref}?include=addresses&fields[customers]=firstName",
    "/customers/{ref}?include=customer-properties&fields[customer-properties]=",
    "/customers/{ref}?fields[customers]=lastName,dateOfBirth",
    "/customers/{ref}?fields[customers]=",
    "/customers",
    "/customers/{ref}/addresses",
    "/customers/{ref}/addresses?page[limit]=2&page[offset]=1",
    "/customers/{ref}/addresses?page[offset]=50",
    "/customers/{ref}/addresses?fields[addresses]=city,createdAt",
    "/customers/{ref}/addresses/{address}",
    "/customers/{ref}/customer-relations",
    "/customers/{ref}/customer-relations?filter[relationType]=favorite",
    "/customers/{ref}/customer-relations/{relation}",
    "/customers/{ref}/customer-properties",
    "/customers/{ref}/customer-properties/{property}",
]


@pytest.fixture
def filled_customer(customer):
    addresses = AddressFactory.create_batch(3, customer=customer)
    relations = RelationFactory.create_batch(3, customer=customer)
    properties = PropertyFactory.create_batch(2, customer=customer)
    return {
        "ref": customer.customer_reference,
        "address": addresses[0].pk,
        "relation": relations[0].pk,
        "property": properties[0].pk,
    }


@pytest.fixture
def built_by_documents(monkeypatch) -> list:
    """The documents ``build_document`` built itself (not left to DJA) during the test."""
    built = []
    original = documents.build_document

    def recording(data, renderer_context):
        document = original(data, renderer_context)
        if document is not None:
            built.append(document)
        return document

    monkeypatch.setattr("jsonapi.renderers.build_document", recording)
    return built


@pytest.mark.parametrize("path", READS)
def test_a_document_is_the_same_as_djas(
    customer_api, filled_customer, built_by_documents, monkeypatch, path
):
    url = path.format(**filled_customer)
    ours = customer_api.get(url)
    assert ours.status_code == 200, ours.content
    assert len(built_by_documents) == 1

    monkeypatch.setattr(JsonApiRenderer, "render", JsonApiRenderer.render_with_dja)
    theirs = customer_api.get(url)

    assert ours.content == theirs.content
    assert ours["Content-Type"] == theirs["Content-Type"]


def _without_identity(document: dict) -> dict:
    data = dict(document["data"], id="")
    data["attributes"] = dict(data["attributes"], createdAt="", updatedAt="")
    return dict(document, data=data)


def test_a_created_resource_is_the_same_as_djas(customer_api, filled_customer, monkeypatch):
    url = f"/customers/{filled_customer['ref']}/customer-properties"
    body = {
        "data": {"type": "customer-properties", "attributes": {"propertyType": "a", "value": "1"}}
    }
    ours = customer_api.send("POST", url, body)
    monkeypatch.setattr(JsonApiRenderer, "render", JsonApiRenderer.render_with_dja)
    body["data"]["attributes"]["propertyType"] = "b"
    theirs = customer_api.send("POST", url, body)

    assert ours.status_code == theirs.status_code == 201, (ours.content, theirs.content)
    ours_document, theirs_document = ours.json(), theirs.json()
    theirs_document["data"]["attributes"]["propertyType"] = "a"
    assert _without_identity(ours_document) == _without_identity(theirs_document)


def test_errors_and_empty_answers_are_left_to_dja(
    customer_api, filled_customer, built_by_documents
):
    items = f"/customers/{filled_customer['ref']}/addresses"
    assert customer_api.get(f"{items}/not-a-uuid").status_code == 404
    assert customer_api.delete(f"{items}/{filled_customer['address']}").status_code == 204
    assert built_by_documents == []
