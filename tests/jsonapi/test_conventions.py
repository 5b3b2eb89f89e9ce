"""§1 conventions, checked on the customer resource: media types, documents, errors."""

import json
import re

import pytest
from django.test import Client

from customers.models import Customer
from tests.conftest import JSON_API, document, error_codes, errors_of

GLUE_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$")


@pytest.fixture
def url(customer):
    return f"/customers/{customer.customer_reference}"


def test_plain_json_body_is_accepted(customer_api, url, customer):
    body = document("customers", {"firstName": "Piotr"})

    response = customer_api.send("PATCH", url, body, content_type="application/json")

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.first_name == "Piotr"


def test_responses_are_json_api_even_when_the_client_accepts_plain_json(customer_api, url):
    response = customer_api.get(url, HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response["Content-Type"] == JSON_API


def test_other_body_types_answer_415(customer_api, url):
    response = customer_api.send("PATCH", url, "firstName=x", content_type="text/plain")

    assert response.status_code == 415
    assert errors_of(response)[0]["status"] == "415"


@pytest.mark.parametrize(
    ("content_type", "status", "first_name"),
    [
        ("*/*", 415, "Jan"),
        ("application/*", 415, "Jan"),
        ('application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"', 415, "Jan"),
        ('application/vnd.api+json; profile="https://example.com/p"; ext="x"', 415, "Jan"),
        ("application/vnd.api+json; version=2", 415, "Jan"),
        ("application/vnd.api+json; charset=utf-8", 200, "Piotr"),
        ('application/vnd.api+json; profile="https://example.com/p"', 200, "Piotr"),
        ("application/json; charset=utf-8", 200, "Piotr"),
        ("Application/JSON", 200, "Piotr"),
    ],
)
def test_a_body_is_read_as_one_of_the_two_types_with_a_charset_or_profile_only(
    customer_api, url, customer, content_type, status, first_name
):
    body = json.dumps(document("customers", {"firstName": "Piotr"}))

    response = customer_api.send("PATCH", url, body, content_type=content_type)

    assert response.status_code == status
    customer.refresh_from_db()
    assert customer.first_name == first_name
    if status == 415:
        assert errors_of(response)[0]["status"] == "415"


def test_form_bodies_answer_415(api):
    response = api.post("/customers", {"email": "a@example.com"}, format="multipart")

    assert response.status_code == 415


@pytest.mark.parametrize(
    "raw",
    [
        '{"data": ',
        "[1, 2",
        "\xff\xfe",
        '{"data": {"type": "customers", "attributes": {"firstName": NaN}}}',
        '{"data": {"type": "customers", "attributes": {"firstName": "\\ud800"}}}',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["truncated", "unclosed", "not-utf8", "nan", "lone-surrogate", "deep-nesting"],
)
def test_malformed_json_answers_400_code_900(customer_api, url, raw, customer):
    response = customer_api.send("PATCH", url, raw.encode("utf-8", "surrogateescape"))

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]
    customer.refresh_from_db()
    assert customer.first_name == "Jan"


@pytest.mark.parametrize(
    "body",
    [
        [],
        "customers",
        {"type": "customers"},
        {"data": "customers"},
        {"data": None},
        {"data": {"type": 5, "attributes": {}}},
        {"data": {"type": "customers", "attributes": ["firstName"]}},
        {"data": {"type": "customers", "attributes": {}, "relationships": "x"}},
        {"data": {"type": "customers", "attributes": {}, "relationships": [{"id": 1}]}},
    ],
    ids=[
        "array",
        "string",
        "no-data",
        "data-string",
        "data-null",
        "type-number",
        "attributes-array",
        "relationships-string",
        "relationships-array",
    ],
)
def test_invalid_documents_answer_400_code_900(customer_api, url, body):
    response = customer_api.send("PATCH", url, body)

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]


def test_missing_body_answers_400_code_900(customer_api, url):
    response = customer_api.send("PATCH", url, None)

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]


def test_type_that_does_not_match_the_endpoint_answers_409(customer_api, url):
    response = customer_api.send("PATCH", url, document("addresses", {"firstName": "X"}))

    assert response.status_code == 409
    assert errors_of(response)[0]["status"] == "409"


def test_patch_without_id_is_accepted(customer_api, url):
    response = customer_api.send("PATCH", url, document("customers", {"lastName": "Nowy"}))

    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["lastName"] == "Nowy"


def test_patch_with_the_urls_id_is_accepted(customer_api, url, customer):
    body = document("customers", {"lastName": "Nowy"}, id=customer.customer_reference)

    assert customer_api.send("PATCH", url, body).status_code == 200


def test_patch_with_another_id_answers_409(customer_api, url, customer):
    body = document("customers", {"lastName": "Nowy"}, id="DE--999999")

    response = customer_api.send("PATCH", url, body)

    assert response.status_code == 409
    customer.refresh_from_db()
    assert customer.last_name == "Nowak"


def test_body_without_type_answers_400_code_900(customer_api, url, customer):
    response = customer_api.send("PATCH", url, {"data": {"attributes": {"lastName": "Nowy"}}})

    assert error_codes(response) == [("", "900")]
    customer.refresh_from_db()
    assert customer.last_name == "Nowak"


def test_body_over_one_mebibyte_answers_413(api):
    body = json.dumps(document("customers", {"firstName": "x" * (1024 * 1024)}))

    response = api.send("POST", "/customers", body)

    assert response.status_code == 413
    assert errors_of(response)[0]["status"] == "413"
    assert not Customer.objects.exists()


def test_a_chunked_body_answers_411(customer_api, url, customer):
    body = document("customers", {"lastName": "Nowy"})

    response = customer_api.send("PATCH", url, body, HTTP_TRANSFER_ENCODING="chunked")

    assert response.status_code == 411
    assert errors_of(response)[0]["status"] == "411"
    customer.refresh_from_db()
    assert customer.last_name == "Nowak"


def test_unknown_url_answers_json_api_404(customer_api):
    response = customer_api.get("/no-such-resource")

    assert response.status_code == 404
    assert errors_of(response) == [{"status": "404", "detail": "Not found."}]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_any_method_on_an_unknown_url_answers_404_not_a_csrf_403(db, method):
    response = Client(enforce_csrf_checks=True).generic(method, "/no-such-resource")

    assert response.status_code == 404
    assert errors_of(response) == [{"status": "404", "detail": "Not found."}]


def test_unknown_url_answers_json_api_404_in_debug_mode_too(customer_api, settings):
    settings.DEBUG = True

    response = customer_api.get("/customers/DE--1/unknown/deeper")

    assert response.status_code == 404
    assert response["Content-Type"] == JSON_API


def test_wrong_method_answers_405_with_allow_header(customer_api, url):
    response = customer_api.send("PUT", url, document("customers", {}))

    assert response.status_code == 405
    assert errors_of(response)[0]["status"] == "405"
    assert "PATCH" in response["Allow"]


def test_server_fault_answers_500_without_internals(customer_api, url, monkeypatch, caplog):
    def fail(**kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("customers.services.update_customer", fail)

    response = customer_api.send("PATCH", url, document("customers", {"firstName": "X"}))

    assert response.status_code == 500
    assert errors_of(response) == [{"status": "500", "detail": "Internal server error."}]
    assert b"hunter2" not in response.content
    assert b"Traceback" not in response.content
    assert "Unhandled error on PATCH" in caplog.text


def test_attributes_are_camel_case_and_timestamps_use_glues_format(customer_api, url):
    attributes = customer_api.get(url).json()["data"]["attributes"]

    assert set(attributes) == {
        "customerReference",
        "salutation",
        "firstName",
        "lastName",
        "email",
        "pendingEmail",
        "gender",
        "dateOfBirth",
        "title",
        "company",
        "vatId",
        "phone",
        "languageId",
        "createdAt",
        "updatedAt",
    }
    assert GLUE_TIMESTAMP.match(attributes["createdAt"])
    assert GLUE_TIMESTAMP.match(attributes["updatedAt"])


def test_sparse_fieldsets_take_camel_case_names(customer_api, url, customer):
    response = customer_api.get(url, {"fields[customers]": "firstName,dateOfBirth"})

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == customer.customer_reference
    assert data["attributes"] == {"firstName": "Jan", "dateOfBirth": None}


def test_unsupported_include_answers_400_code_900(customer_api, url):
    response = customer_api.get(url, {"include": "no-such-relation"})

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]


def test_collections_are_paginated_with_meta_page_and_links(customer_api):
    response = customer_api.get("/customers", {"page[limit]": "1", "page[offset]": "0"})

    body = response.json()
    assert response.status_code == 200
    assert body["meta"]["page"] == {"offset": 0, "limit": 1, "total": 1}
    assert body["links"]["next"] is None
    assert body["links"]["prev"] is None


def test_page_limit_is_capped_at_100(customer_api):
    response = customer_api.get("/customers", {"page[limit]": "100000"})

    assert response.json()["meta"]["page"]["limit"] == 100


def test_unknown_attributes_are_ignored(customer_api, url):
    body = document("customers", {"firstName": "Ewa", "favouriteColour": "green"})

    response = customer_api.send("PATCH", url, body)

    assert response.status_code == 200
    assert "favouriteColour" not in response.json()["data"]["attributes"]


def test_read_only_attributes_are_ignored(customer_api, url, customer):
    body = document(
        "customers",
        {
            "customerReference": "DE--1",
            "createdAt": "2000-01-01 00:00:00.000000",
            "isStaff": True,
            "isSuperuser": True,
            "isActive": False,
        },
    )

    response = customer_api.send("PATCH", url, body)

    assert response.status_code == 200
    fresh = Customer.objects.get(pk=customer.pk)
    assert fresh.customer_reference == customer.customer_reference
    assert fresh.created_at == customer.created_at
    assert (fresh.is_staff, fresh.is_superuser, fresh.is_active) == (False, False, True)


def test_every_error_document_is_json_api(api):
    responses = [
        api.get("/customers"),
        api.get("/nothing-here"),
        api.send("POST", "/customers", "{"),
        api.send("POST", "/customers", document("customers", {})),
    ]

    for response in responses:
        for error in errors_of(response):
            assert error["status"] == str(response.status_code)
            assert error["detail"]
