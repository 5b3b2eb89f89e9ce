"""§11.3: Aimeos' optional profile attributes title, company, vatId, phone, languageId."""

from __future__ import annotations

import pytest
from django.test import Client

from customers.models import Customer
from customers.services import anonymize_customer
from events.models import Event
from tests.conftest import document, error_codes
from tests.customers.test_admin_permissions import SUPPORT, full_form
from tests.customers.test_registration import registration
from tests.factories import CustomerFactory, StaffFactory

OPTIONAL = {
    "title": "Prof. Dr.",
    "company": "Müller & Söhne GmbH",
    "vatId": "DE 123.456-789",
    "phone": "+49 30 1234567",
    "languageId": "de_AT",
}
STORED = {
    "title": "Prof. Dr.",
    "company": "Müller & Söhne GmbH",
    "vat_id": "DE 123.456-789",
    "phone": "+49 30 1234567",
    "language_id": "de_AT",
}
NONE = dict.fromkeys(OPTIONAL)


def url(customer) -> str:
    return f"/customers/{customer.customer_reference}"


def stored(customer) -> dict:
    return Customer.objects.values(*STORED).get(pk=customer.pk)


def patch(client, customer, attributes):
    return client.send("PATCH", url(customer), document("customers", attributes))


def test_they_are_null_by_default(api, customer_api, customer):
    response = customer_api.get(url(customer))

    assert {name: response.json()["data"]["attributes"][name] for name in OPTIONAL} == NONE


def test_registration_sets_them(api):
    response = api.send("POST", "/customers", registration(**OPTIONAL))

    assert response.status_code == 201, response.content
    attributes = response.json()["data"]["attributes"]
    assert {name: attributes[name] for name in OPTIONAL} == OPTIONAL
    assert stored(Customer.objects.get()) == STORED


def test_registration_without_them_stores_null(api):
    response = api.send("POST", "/customers", registration())

    assert response.status_code == 201
    assert stored(Customer.objects.get()) == dict.fromkeys(STORED)


def test_patch_sets_changes_and_clears_them(customer_api, customer):
    response = patch(customer_api, customer, OPTIONAL)

    assert response.status_code == 200, response.content
    attributes = response.json()["data"]["attributes"]
    assert {name: attributes[name] for name in OPTIONAL} == OPTIONAL
    assert stored(customer) == STORED
    assert (
        customer_api.get(url(customer)).json()["data"]["attributes"]["vatId"] == OPTIONAL["vatId"]
    )

    response = patch(customer_api, customer, {"title": None, "company": "", "phone": "  "})

    assert response.status_code == 200, response.content
    assert stored(customer) == {**STORED, "title": None, "company": None, "phone": None}


def test_patch_of_one_leaves_the_others(customer_api, customer):
    Customer.objects.filter(pk=customer.pk).update(**STORED)

    response = patch(customer_api, customer, {"languageId": "en"})

    assert response.status_code == 200
    assert stored(customer) == {**STORED, "language_id": "en"}


def test_a_change_is_an_event_naming_the_attributes(customer_api, customer):
    patch(customer_api, customer, {"vatId": "DE123", "languageId": "de"})

    event = Event.objects.filter(event_type="customer.updated").get()
    assert sorted(event.data["changed"]) == ["languageId", "vatId"]
    assert (event.data["vatId"], event.data["languageId"]) == ("DE123", "de")


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("title", "x" * 64),
        ("company", "x" * 100),
        ("vatId", "A" * 32),
        ("vatId", "ATU 12.345-678"),
        ("phone", "9" * 64),
        ("languageId", "de"),
        ("languageId", "pt_BR"),
    ],
)
def test_values_at_the_limits_are_accepted(customer_api, customer, attribute, value):
    response = patch(customer_api, customer, {attribute: value})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["attributes"][attribute] == value


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("title", "x" * 65),
        ("company", "x" * 101),
        ("vatId", "A" * 33),
        ("vatId", "DE/123"),
        ("vatId", "DE_123"),
        ("vatId", "DE123ä"),
        ("vatId", "DE+123"),
        ("phone", "9" * 65),
        ("languageId", "DE"),
        ("languageId", "de-DE"),
        ("languageId", "de_de"),
        ("languageId", "deu"),
        ("languageId", "de_DEU"),
        ("languageId", "d"),
        ("title", 7),
        ("company", True),
        ("vatId", ["DE123"]),
        ("phone", {"number": "1"}),
        ("languageId", 1),
    ],
)
def test_invalid_values_answer_422_code_901(customer_api, customer, attribute, value):
    response = patch(customer_api, customer, {attribute: value})

    assert response.status_code == 422
    assert set(error_codes(response)) == {(f"/data/attributes/{attribute}", "901")}
    assert stored(customer) == dict.fromkeys(STORED)


@pytest.mark.parametrize("control", ["\r\nBcc: x@example.com", "\n", "\t", "\x00", "\u2028"])
@pytest.mark.parametrize("attribute", ["title", "company", "vatId", "phone", "languageId"])
def test_control_characters_are_refused(api, customer_api, customer, attribute, control):
    value = f"A{control}B"

    patched = patch(customer_api, customer, {attribute: value})
    registered = api.send("POST", "/customers", registration(**{attribute: value}))

    for response in (patched, registered):
        assert response.status_code == 422
        assert error_codes(response) == [(f"/data/attributes/{attribute}", "901")]
    assert not Customer.objects.exclude(pk=customer.pk).exists()


def test_registration_reports_every_bad_one_at_once(api):
    response = api.send(
        "POST", "/customers", registration(vatId="DE#1", languageId="xx-YY", title="t" * 65)
    )

    assert sorted(error_codes(response)) == [
        ("/data/attributes/languageId", "901"),
        ("/data/attributes/title", "901"),
        ("/data/attributes/vatId", "901"),
    ]
    assert not Customer.objects.exists()


def test_anonymization_clears_them(customer):
    Customer.objects.filter(pk=customer.pk).update(**STORED)

    anonymize_customer(customer=customer)

    assert stored(customer) == dict.fromkeys(STORED)


def test_sparse_fieldsets_name_them_in_camel_case(customer_api, customer):
    Customer.objects.filter(pk=customer.pk).update(**STORED)

    response = customer_api.get(url(customer), {"fields[customers]": "vatId,languageId"})

    assert response.json()["data"]["attributes"] == {
        "vatId": STORED["vat_id"],
        "languageId": STORED["language_id"],
    }


def test_the_schema_describes_them(api):
    response = api.get("/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schemas = response.json()["components"]["schemas"]

    for component in (
        "CustomerAttributes",
        "RegistrationAttributesRequest",
        "PatchedCustomerUpdateAttributesRequest",
    ):
        assert set(OPTIONAL) <= set(schemas[component]["properties"]), component
    sent = schemas["PatchedCustomerUpdateAttributesRequest"]["properties"]
    assert sent["vatId"]["nullable"] is True
    assert {"type": "string", "pattern": "^[A-Za-z0-9 .-]+$", "maxLength": 32} in sent["vatId"][
        "oneOf"
    ]


def test_support_staff_edit_them_in_the_admin(db):
    client = Client()
    client.force_login(StaffFactory(permissions=SUPPORT))
    customer = CustomerFactory()
    page = f"/admin/customers/customer/{customer.pk}/change/"
    assert 'name="vat_id"' in client.get(page).content.decode()

    response = client.post(page, full_form(customer, **{**STORED, "title": ""}))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(customer) == {**STORED, "title": None}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vat_id", "DE/1"),
        ("language_id", "de-DE"),
        ("title", "Dr.\tmed."),
        ("company", "ACME\u2028Ltd"),
        ("phone", "030\x1b[31m"),
    ],
)
def test_the_admin_refuses_what_the_api_refuses(db, field, value):
    client = Client()
    client.force_login(StaffFactory(permissions=SUPPORT))
    customer = CustomerFactory()

    response = client.post(
        f"/admin/customers/customer/{customer.pk}/change/", full_form(customer, **{field: value})
    )

    assert response.status_code == 200
    assert stored(customer)[field] is None
