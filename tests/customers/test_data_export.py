"""§11.5: GET /customers/{ref}/customer-data-export, every datum held of the customer."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from auth_api.services import issue_tokens
from customers.models import Customer
from customers.resources import CUSTOMER_DATA_EXPORTS
from customers.serializers import NOT_EXPORTED_FIELDS
from jsonapi.documents import wire_name
from tests.conftest import error_codes
from tests.customers.test_registration import registration
from tests.factories import (
    AddressFactory,
    CustomerActivityFactory,
    CustomerFactory,
    CustomerGroupFactory,
    PropertyFactory,
    RelationFactory,
)

# Models that hold something of a customer but are no data about it: credentials (tokens,
# grants, keys, spent codes), staff's own records, and the outbox (its copies go with delivery).
NOT_EXPORTED_MODELS = {
    "oauth2_provider.accesstoken",
    "oauth2_provider.refreshtoken",
    "oauth2_provider.grant",
    "oauth2_provider.devicegrant",
    "oauth2_provider.idtoken",
    "oauth2_provider.application",
    "auth_api.restorepasswordkey",
    "admin.logentry",
}
# Models exported as another resource: a membership is the group it names.
EXPORTED_AS = {"customer_groups.customergroupmembership": "customer_groups.customergroup"}


@pytest.fixture
def url(customer) -> str:
    return f"/customers/{customer.customer_reference}/customer-data-export"


@pytest.fixture
def full_customer(customer):
    AddressFactory(customer=customer)
    RelationFactory(customer=customer)
    PropertyFactory(customer=customer)
    CustomerActivityFactory(customer=customer)
    CustomerActivityFactory()  # someone else's
    CustomerGroupFactory(members=[customer])
    CustomerGroupFactory()  # a group the customer is not in
    return customer


def test_the_export_is_one_document_of_the_customer(customer_api, full_customer, url):
    response = customer_api.get(url)

    assert response.status_code == 200
    body = response.json()
    assert body["data"]["type"] == "customer-data-exports"
    assert body["data"]["id"] == full_customer.customer_reference
    assert body["data"]["links"]["self"] == f"http://testserver{url}"
    assert body["data"]["attributes"]["email"] == full_customer.email
    included_types = sorted(item["type"] for item in body["included"])
    assert included_types == [
        "addresses",
        "customer-activities",
        "customer-groups",
        "customer-properties",
        "customer-relations",
    ]
    assert set(body["data"]["relationships"]) == set(included_types)


def test_every_field_of_the_customer_is_exported_but_secrets_and_bookkeeping(
    customer_api, customer, url
):
    attributes = customer_api.get(url).json()["data"]["attributes"]

    fields = [
        field.name for field in (*Customer._meta.concrete_fields, *Customer._meta.many_to_many)
    ]
    missing = [
        name
        for name in fields
        if name not in NOT_EXPORTED_FIELDS and wire_name(name) not in attributes
    ]
    assert missing == []
    assert not any(secret in attributes for secret in ("password", "registrationKeyDigest"))
    assert customer.password not in str(attributes)


def test_every_model_holding_customer_data_is_in_the_export(customer_api, customer, url):
    """A model with a foreign key to the customer is exported, or listed above with a reason."""
    relationships = customer_api.get(url).json()["data"]["relationships"]
    exported = {
        CUSTOMER_DATA_EXPORTS.relationships[name].resource.serializer.Meta.model._meta.label_lower
        for name in relationships
    }
    holding = set()
    for model in apps.get_models():
        label = model._meta.label_lower
        holds_customer = any(
            isinstance(field, models.ForeignKey)
            and field.related_model._meta.label == settings.AUTH_USER_MODEL
            for field in model._meta.get_fields()
        )
        if holds_customer and label not in NOT_EXPORTED_MODELS:
            holding.add(EXPORTED_AS.get(label, label))

    assert exported == holding


def test_the_consent_to_the_terms_is_exported_with_its_date(api, mailoutbox):
    api.send("POST", "/customers", registration())
    customer = Customer.objects.get()
    api.authenticate(issue_tokens(customer).access_token)

    attributes = api.get(f"/customers/{customer.customer_reference}/customer-data-export").json()[
        "data"
    ]["attributes"]

    assert attributes["termsAcceptedAt"] is not None
    assert "confirmedAt" in attributes


def test_the_export_holds_pending_and_anonymization_dates(customer_api, customer, url, settings):
    Customer.objects.filter(pk=customer.pk).update(pending_email="next@example.com")

    attributes = customer_api.get(url).json()["data"]["attributes"]

    assert attributes["pendingEmail"] == "next@example.com"
    assert "anonymizedAt" in attributes


def test_a_new_activity_changes_the_exports_entity_tag(customer_api, customer, url):
    tag = customer_api.get(url)["ETag"]
    assert customer_api.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304

    CustomerActivityFactory(customer=customer)

    assert customer_api.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_another_customers_export_answers_403_code_411(customer_api):
    other = CustomerFactory()

    response = customer_api.get(f"/customers/{other.customer_reference}/customer-data-export")

    assert error_codes(response) == [("", "411")]


def test_the_export_needs_a_token(api, url):
    assert error_codes(api.get(url)) == [("", "002")]
