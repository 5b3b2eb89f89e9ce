"""GET /schema: a valid OpenAPI 3 document that says what the service really answers."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry
from referencing import Resource as ReferencedDocument

from customers.viewsets import CustomerItemViewSet
from jsonapi.errors import ErrorCode
from jsonapi.resources import Resource
from properties.models import Property
from properties.serializers import PropertySerializer
from tests.conftest import document
from tests.factories import DEFAULT_PASSWORD, PropertyFactory, RelationFactory

CUSTOMER = "/customers/{customerReference}"
RELATIONS = "/customers/{customerReference}/customer-relations"
JSON_API = "application/vnd.api+json"


@pytest.fixture
def schema(api) -> dict:
    response = api.get("/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def _nullable_to_json_schema(node):
    """OpenAPI 3.0's ``nullable`` as JSON Schema: ``null`` becomes one more allowed type."""
    if isinstance(node, list):
        return [_nullable_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_to_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [{"type": "null"}, node]}
    return node


def validate(schema: dict, body_schema: dict, body) -> None:
    """Validate a response body against a schema of the OpenAPI document, ``$ref`` included."""
    root = _nullable_to_json_schema(schema)
    registry = Registry().with_resource("urn:openapi", ReferencedDocument.opaque(root))
    body_schema = _nullable_to_json_schema(body_schema)
    validator = Draft202012Validator(
        _absolute_refs(body_schema), registry=registry, format_checker=FormatChecker()
    )
    validator.validate(body)


def _absolute_refs(node):
    if isinstance(node, list):
        return [_absolute_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: ("urn:openapi" + value if key == "$ref" else _absolute_refs(value))
        for key, value in node.items()
    }


def resolve(schema: dict, node: dict) -> dict:
    """The schema a ``$ref`` points at, or the node itself."""
    if "$ref" not in node:
        return node
    return schema["components"]["schemas"][node["$ref"].split("/")[-1]]


def response_schema(schema: dict, path: str, method: str, status: int) -> dict:
    response = schema["paths"][path][method]["responses"][str(status)]
    return response["content"][JSON_API]["schema"]


def test_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_leaves_out_routes_that_are_not_json_api(schema):
    paths = set(schema["paths"])
    assert not {path for path in paths if path.startswith(("/oauth/", "/admin/", "/api-auth/"))}
    assert {"/customers", CUSTOMER, RELATIONS, "/access-tokens", "/health", "/"} <= paths
    assert "/schema" not in paths and "/docs" not in paths


def test_path_parameters_are_camel_case(schema):
    names = {
        parameter["name"]
        for operations in schema["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path"
    }
    assert names == {"customerReference", "uuid", "refreshToken"}


def test_registration_requires_the_registration_form_not_the_customer(schema):
    body = schema["paths"]["/customers"]["post"]["requestBody"]
    # application/json is accepted as well, but one declared type gives generators one body.
    assert set(body["content"]) == {JSON_API}
    request = resolve(schema, body["content"][JSON_API]["schema"])
    resource = request["properties"]["data"]
    assert resource["properties"]["type"]["enum"] == ["customers"]
    attributes = resolve(schema, resource["properties"]["attributes"])
    assert set(attributes["required"]) == {
        "salutation",
        "firstName",
        "lastName",
        "email",
        "password",
        "confirmPassword",
        "acceptedTerms",
    }
    assert "customerReference" not in attributes["properties"]


def test_patch_bodies_require_neither_id_nor_any_attribute(schema):
    body = schema["paths"][CUSTOMER]["patch"]["requestBody"]["content"][JSON_API]["schema"]
    resource = resolve(schema, body)["properties"]["data"]
    assert resource["required"] == ["type"]
    attributes = resolve(schema, resource["properties"]["attributes"])
    assert "required" not in attributes


def test_relations_post_takes_one_object_or_an_array(schema):
    body = schema["paths"][RELATIONS]["post"]["requestBody"]["content"][JSON_API]["schema"]
    data = resolve(schema, body)["properties"]["data"]
    assert [alternative.get("type") for alternative in data["oneOf"]] == ["object", "array"]


def test_statuses_are_the_ones_the_service_answers(schema):
    paths = schema["paths"]
    assert "201" in paths["/customers"]["post"]["responses"]
    assert "204" in paths["/customer-confirmation"]["post"]["responses"]
    assert "204" in paths[CUSTOMER]["delete"]["responses"]
    assert "201" in paths["/access-tokens"]["post"]["responses"]
    assert "200" in paths[CUSTOMER]["patch"]["responses"]


def test_contract_errors_are_documented_per_operation(schema):
    registration = schema["paths"]["/customers"]["post"]["responses"]
    assert {"400", "409", "411", "413", "415", "422", "429"} <= set(registration)
    assert "code 400" in registration["422"]["description"]
    assert "Retry-After" in registration["429"]["headers"]
    reading = schema["paths"][CUSTOMER]["get"]["responses"]
    assert "code 402" in reading["404"]["description"]
    assert "code 002" in reading["403"]["description"]
    assert "code 001" in reading["401"]["description"]
    assert (
        "code 1001"
        in schema["paths"][RELATIONS + "/{uuid}"]["get"]["responses"]["404"]["description"]
    )
    login = schema["paths"]["/access-tokens"]["post"]["responses"]
    assert "code 003" in login["401"]["description"]
    assert "code 4401" in login["429"]["description"]


def test_security_schemes_are_bearer_and_oauth2_with_pkce(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearerAuth"]["description"],
    }
    flow = schemes["oauth2"]["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == "/oauth/authorize/"
    assert flow["tokenUrl"] == "/oauth/token/"
    assert set(flow["scopes"]) == {"customer"}


def test_only_protected_operations_require_a_token(schema):
    paths = schema["paths"]
    public = [
        paths["/customers"]["post"],
        paths["/customer-confirmation"]["post"],
        paths["/access-tokens"]["post"],
        paths["/refresh-tokens"]["post"],
        paths["/"]["get"],
        paths["/health"]["get"],
    ]
    assert all(operation["security"] == [] for operation in public)
    protected = paths[CUSTOMER]["get"]["security"]
    assert protected == [{"bearerAuth": []}, {"oauth2": ["customer"]}]
    assert paths["/refresh-tokens/{refreshToken}"]["delete"]["security"] == protected


def test_every_operation_has_a_summary_and_a_security_requirement(schema):
    operations = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]
    assert all(operation["summary"] for _, _, operation in operations)
    assert all("security" in operation for _, _, operation in operations)
    summaries = {(path, method): operation["summary"] for path, method, operation in operations}
    assert summaries["/customers", "get"] == "List customers"
    assert summaries[CUSTOMER, "patch"] == "Update customer"
    assert summaries[RELATIONS, "post"] == "Create customer relation"
    assert schema["servers"] == [{"url": "/"}]


def test_members_always_present_are_required(schema):
    schemas = schema["components"]["schemas"]
    assert schemas["AccessTokensResource"]["required"] == ["type", "id", "links", "attributes"]
    assert set(schemas["TokenPairAttributes"]["required"]) == {
        "tokenType",
        "expiresIn",
        "accessToken",
        "refreshToken",
        "refreshTokenExpiresIn",
    }
    # Sparse fieldsets may cut any attribute of the other types, and attributes altogether.
    assert schemas["CustomersResource"]["required"] == ["type", "id", "links"]
    assert "required" not in schemas["CustomerAttributes"]
    listing = schemas["AddressesListDocument"]
    assert listing["required"] == ["data", "meta", "links"]
    assert listing["properties"]["meta"]["required"] == ["page"]
    addresses = schemas["CustomersResource"]["properties"]["relationships"]["properties"]
    assert addresses["addresses"]["required"] == ["data", "meta"]


def test_a_nullable_choice_is_one_of_its_values_or_null(schema):
    schemas = schema["components"]["schemas"]
    gender = schemas["CustomerAttributes"]["properties"]["gender"]
    assert "nullable" not in gender
    assert [resolve(schema, one) for one in gender["oneOf"]] == [
        schemas["GenderEnum"],
        {"type": "string", "nullable": True, "enum": [None]},
    ]
    assert None not in schemas["GenderEnum"]["enum"]


def test_timestamps_have_one_schema_in_requests_and_answers(schema):
    schemas = schema["components"]["schemas"]
    sent = schemas["RelationAttributesRequest"]["properties"]["dateStart"]
    answered = schemas["RelationAttributes"]["properties"]
    assert sent == answered["dateStart"]
    assert {key: answered["createdAt"][key] for key in ("type", "pattern")} == {
        key: sent[key] for key in ("type", "pattern")
    }
    assert "format" not in sent


def test_a_customer_with_its_relations_matches_the_schema(schema, customer_api, customer):
    RelationFactory(customer=customer, config={"note": "gift"})
    PropertyFactory(customer=customer)
    path = f"/customers/{customer.customer_reference}"
    response = customer_api.get(path + "?include=customer-relations,customer-properties")
    assert response.status_code == 200
    assert len(response.json()["included"]) == 2
    validate(schema, response_schema(schema, CUSTOMER, "get", 200), response.json())


def test_a_relation_list_matches_the_schema(schema, customer_api, customer):
    RelationFactory.create_batch(2, customer=customer)
    response = customer_api.get(f"/customers/{customer.customer_reference}/customer-relations")
    assert len(response.json()["data"]) == 2
    validate(schema, response_schema(schema, RELATIONS, "get", 200), response.json())


def test_created_relations_and_tokens_match_the_schema(schema, customer_api, customer, api):
    items = [{"type": "customer-relations", "attributes": {"domain": "product", "refId": "a"}}]
    response = customer_api.send(
        "POST", f"/customers/{customer.customer_reference}/customer-relations", {"data": items}
    )
    assert response.status_code == 201
    validate(schema, response_schema(schema, RELATIONS, "post", 201), response.json())
    login = document("access-tokens", {"username": customer.email, "password": DEFAULT_PASSWORD})
    response = api.send("POST", "/access-tokens", login)
    assert response.status_code == 201
    validate(schema, response_schema(schema, "/access-tokens", "post", 201), response.json())


def test_error_documents_match_the_schema(schema, customer_api, api):
    response = customer_api.get("/customers/DE--999999")
    assert response.status_code == 404
    validate(schema, response_schema(schema, CUSTOMER, "get", 404), response.json())
    response = api.send("POST", "/customers", document("customers", {"email": "x"}))
    assert response.status_code == 422
    assert len(response.json()["errors"]) > 1
    validate(schema, response_schema(schema, "/customers", "post", 422), response.json())


def test_a_body_that_breaks_the_schema_is_caught(schema, customer_api, customer):
    response = customer_api.get(f"/customers/{customer.customer_reference}")
    body = response.json()
    body["data"]["id"] = 1
    with pytest.raises(ValidationError, match="1 is not of type 'string'"):
        validate(schema, response_schema(schema, CUSTOMER, "get", 200), body)


NOTES = Resource("customer-notes", PropertySerializer, path="customers/{owner}/notes/{id}")


class NoteViewSet(CustomerItemViewSet):
    """A resource added the way the project adds them, with no annotation for the schema."""

    resource = NOTES
    queryset = Property.objects.all()
    not_found = ErrorCode.PROPERTY_NOT_FOUND
    documented_errors = {"POST": (ErrorCode.PROPERTY_EXISTS,)}

    def create(self, request, customer_reference: str):
        raise NotImplementedError  # documented, never called


def test_a_new_resource_view_is_documented_from_its_declarations():
    collection = NoteViewSet.as_view({"get": "list", "post": "create"})
    item = NoteViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
    patterns = [
        path("customers/<str:customer_reference>/notes", collection),
        path("customers/<str:customer_reference>/notes/<str:uuid>", item),
    ]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)

    listing = schema["paths"]["/customers/{customerReference}/notes"]["get"]
    assert "CustomerNotesListDocument" in str(listing["responses"]["200"])
    assert {"page[limit]", "page[offset]", "fields[customer-notes]"} <= {
        parameter["name"] for parameter in listing["parameters"]
    }
    creation = schema["paths"]["/customers/{customerReference}/notes"]["post"]
    statuses = {"201", "400", "401", "403", "409", "411", "413", "414", "415", "422"}
    assert set(creation["responses"]) == statuses
    assert "code 1004" in creation["responses"]["409"]["description"]
    assert creation["security"] == [{"bearerAuth": []}, {"oauth2": ["customer"]}]
    one = schema["paths"]["/customers/{customerReference}/notes/{uuid}"]
    assert "code 1003" in one["get"]["responses"]["404"]["description"]
    resource = schema["components"]["schemas"]["CustomerNotesResource"]["properties"]
    assert resolve(schema, resource["type"])["enum"] == ["customer-notes"]
