"""OpenAPI 3 for the JSON:API resources, derived from what each view declares.

A view is documented from its conventions (``jsonapi.conventions``), with no annotation of its
own: its resource type (the ``type`` enum, the tag, the documents), the input of each method,
whether POST takes arrays, its filters, its resource's relationships (``include`` and
``fields[...]``), its ``not_found`` and ``documented_errors``, and what its permission classes
refuse. The errors every operation of a kind can answer (bad documents, tokens) are added here.

The document is written for client generators and linters (contract §11.1): one body media type,
members the service always sends ``required``, a summary and a security requirement on every
operation, nullable choices they all read alike.

Only drf-spectacular's public hooks are used: ``get_operation`` and the ``get_*`` methods of
``AutoSchema``, a serializer-field extension for timestamps, and postprocessing hooks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import uritemplate
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_array_type
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiParameter
from inflection import camelize, singularize
from rest_framework.permissions import AllowAny

from jsonapi.conventions import conventions
from jsonapi.documents import attribute_fields, wire_name
from jsonapi.encoding import JSON_API_MEDIA_TYPE
from jsonapi.errors import ErrorCode
from jsonapi.negotiation import BODY_TYPE_PARAMETERS
from jsonapi.resources import Resource

BODY_METHODS = ("POST", "PATCH", "PUT")
SUMMARY_VERBS = {
    "GET": "Get",
    "POST": "Create",
    "PATCH": "Update",
    "PUT": "Replace",
    "DELETE": "Delete",
}
EXCLUDED_PREFIXES = ("/oauth/", "/admin/", "/api-auth/", "/oauth2-redirect.html")
ATTRIBUTES_SUFFIX = "Attributes"
RESOURCE_SUFFIX = "Resource"
COMPONENTS = "#/components/schemas/"
SPARSE_FIELDSET = re.compile(r"fields\[(.+)\]")

# The errors any operation of a kind can answer, beside the contract's codes of the operation.
BODY_ERRORS: tuple[tuple[int, str | None, str], ...] = (
    (400, ErrorCode.INVALID_DOCUMENT.code, "Invalid JSON, or not a JSON:API document."),
    (409, None, "The body's type is not the endpoint's, or its id is not the URL's."),
    (411, None, "A body without Content-Length (chunked) is refused."),
    (413, None, "Request body is larger than 1 MiB."),
    (
        415,
        None,
        "The body is neither application/vnd.api+json nor application/json, or its type "
        f"has a parameter other than {' and '.join(sorted(BODY_TYPE_PARAMETERS))}.",
    ),
    (422, ErrorCode.VALIDATION_FAILED.code, ErrorCode.VALIDATION_FAILED.detail),
)
# gunicorn answers it before the application sees the request (config/gunicorn.py).
URI_TOO_LONG = (414, None, "The request line is longer than 4094 bytes.")
INCLUDE_ERROR = (
    400,
    ErrorCode.INVALID_DOCUMENT.code,
    "An include parameter names a relationship the resource does not have.",
)
# Glue's timestamps ("2026-11-30 14:16:57.000000"); requests may also send ISO 8601.
TIMESTAMP = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$",
    "example": "2026-11-30 14:16:57.000000",
}

ERROR_DOCUMENT = {
    "type": "object",
    "description": "A JSON:API error document: one error per failing rule or attribute.",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["status", "detail"],
                "additionalProperties": False,
                "properties": {
                    "status": {
                        "type": "string",
                        "pattern": r"^[45]\d\d$",
                        "description": "The HTTP status, as a string.",
                    },
                    "code": {
                        "type": "string",
                        "description": "The application code (the contract's error table).",
                    },
                    "detail": {"type": "string"},
                    "source": {
                        "type": "object",
                        "required": ["pointer"],
                        "additionalProperties": False,
                        "properties": {
                            "pointer": {
                                "type": "string",
                                "description": "The offending member, e.g. /data/attributes/email.",
                            }
                        },
                    },
                },
            },
        }
    },
}

PAGE_META = {
    "type": "object",
    "required": ["page"],
    "properties": {
        "page": {
            "type": "object",
            "required": ["offset", "limit", "total"],
            "properties": {
                "offset": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer", "minimum": 1, "maximum": 100},
                "total": {"type": "integer", "minimum": 0},
            },
        }
    },
}

RELATIONSHIP_META = {
    "type": "object",
    "required": ["count"],
    "properties": {"count": {"type": "integer", "minimum": 0}},
}

LINKS = {
    "type": "object",
    "required": ["self"],
    "properties": {"self": {"type": "string", "format": "uri"}},
}
PAGE_LINKS = {
    "type": "object",
    "required": ["self", "first", "last", "prev", "next"],
    "properties": {
        **{name: {"type": "string", "format": "uri"} for name in ("self", "first", "last")},
        **{
            name: {"type": "string", "format": "uri", "nullable": True} for name in ("next", "prev")
        },
    },
}


def type_component_name(resource_type: str) -> str:
    """``customer-relations`` → ``CustomerRelations``."""
    return camelize(resource_type.replace("-", "_"))


class TimestampField(OpenApiSerializerFieldExtension):
    """The service's timestamps: one schema in requests and answers (``jsonapi.fields``)."""

    target_class = "jsonapi.fields.DateTimeField"

    def map_serializer_field(self, auto_schema, direction) -> dict:
        return dict(TIMESTAMP)


class JsonApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema speaking this project's JSON:API wire format."""

    # --- what the view is ----------------------------------------------------------------------
    @property
    def declared(self):
        return conventions(self.view)

    def _resource(self) -> Resource | None:
        return self.declared.resource

    def _is_public(self) -> bool:
        return any(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def _is_list(self) -> bool:
        return self.method == "GET" and getattr(self.view, "action", None) == "list"

    def _answers_documents(self) -> bool:
        return self.declared.answers_documents(self.method)

    # --- public hooks of AutoSchema --------------------------------------------------------------
    def get_tags(self) -> list[str]:
        resource = self._resource()
        return [resource.type] if resource is not None else super().get_tags()

    def get_auth(self) -> list[dict]:
        return [] if self._is_public() else super().get_auth()

    def get_summary(self) -> str:
        """The handler's own docstring's first line, else what the method does to the type.

        A view without a resource type (the discovery document) is summed up by its docstring.
        """
        action = getattr(self.view, "action", None) or self.method.lower()
        own = _first_line(getattr(getattr(self.view, action, None), "__doc__", None))
        resource = self._resource()
        if own or resource is None:
            return own or _first_line(self.view.__class__.__doc__)
        words = resource.type.replace("-", " ")
        if self._is_list():
            return f"List {words}"
        return f"{SUMMARY_VERBS[self.method]} {singularize(words)}"

    def get_request_serializer(self) -> Any:
        return None if self._resource() is not None else super().get_request_serializer()

    def get_response_serializers(self) -> Any:
        return None if self._resource() is not None else super().get_response_serializers()

    def get_operation_id(self) -> str:
        resource = self._resource()
        if resource is None:
            return super().get_operation_id()
        action = {"POST": "create", "PATCH": "update", "DELETE": "delete", "PUT": "replace"}
        verb = "list" if self._is_list() else action.get(self.method, self.method.lower())
        if self.method == "GET" and not self._is_list():
            verb = "retrieve"
        name = resource.type.replace("-", "_")
        variant = (
            "_by_reference"
            if "{customer_reference}" in self.path and name in ("customer_password",)
            else ""
        )
        return f"{name}_{verb}{variant}"

    def get_serializer_name(self, serializer, direction) -> str:
        name = super().get_serializer_name(serializer, direction).removesuffix("Serializer")
        return name.removesuffix("Request") + ATTRIBUTES_SUFFIX

    def get_override_parameters(self) -> list[OpenApiParameter]:
        parameters = [
            OpenApiParameter(
                variable,
                {"type": "string", "format": "uuid"} if variable == "uuid" else str,
                OpenApiParameter.PATH,
            )
            for variable in uritemplate.variables(self.path)
        ]
        if self.method == "GET" and self._answers_documents():
            parameters += self._query_parameters()
        return parameters + list(super().get_override_parameters())

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if self._is_public():
            # Said explicitly rather than by leaving security out, as linters ask.
            operation["security"] = []
        if self._resource() is not None:
            operation.pop("requestBody", None)
            body = self._request_body()
            if body is not None:
                operation["requestBody"] = body
            operation["responses"] = self._success_responses()
        operation["responses"].update(self._error_responses())
        return operation

    # --- documents -------------------------------------------------------------------------------
    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _attributes_ref(self, serializer_class: type, direction: str) -> dict:
        serializer = serializer_class()
        if self.method == "PATCH" and direction == "request":
            serializer.partial = True
        component = self.resolve_serializer(serializer, direction)
        return component.ref if component else {"type": "object"}

    def _resource_object(self, resource: Resource) -> dict:
        """A resource object as the service renders it, registered once per type."""
        properties: dict[str, Any] = {
            "type": {"type": "string", "enum": [resource.type]},
            "id": {"type": "string"}
            if resource.id_source
            else {"type": "string", "nullable": True, "description": "Always null."},
            "attributes": self._attributes_ref(resource.serializer, "response"),
            "links": LINKS,
        }
        if resource.relationships:
            properties["relationships"] = {
                "type": "object",
                "properties": {
                    relationship.name: self._linkage(relationship.resource)
                    for relationship in resource.relationships.values()
                },
            }
        schema = {
            "type": "object",
            "required": ["type", "id", "links"],
            "properties": properties,
        }
        return self._component(type_component_name(resource.type) + RESOURCE_SUFFIX, schema)

    @staticmethod
    def _linkage(related: Resource) -> dict:
        identifier = {
            "type": "object",
            "required": ["type", "id"],
            "properties": {
                "type": {"type": "string", "enum": [related.type]},
                "id": {"type": "string"},
            },
        }
        return {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {"data": build_array_type(identifier), "meta": RELATIONSHIP_META},
        }

    def _included(self, resource: Resource) -> dict | None:
        related = [self._resource_object(rel.resource) for rel in resource.relationships.values()]
        if not related:
            return None
        return build_array_type({"oneOf": related} if len(related) > 1 else related[0])

    def _document(self, resource: Resource) -> dict:
        resource_object = self._resource_object(resource)
        name = type_component_name(resource.type)
        properties: dict[str, Any] = {}
        required = ["data"]
        if self._is_list():
            name += "ListDocument"
            properties = {"data": build_array_type(resource_object), "meta": PAGE_META}
            properties["links"] = PAGE_LINKS
            required += ["meta", "links"]
        elif self.method == "POST" and self.declared.accepts_resource_lists:
            name += "CreatedDocument"
            properties["data"] = {"oneOf": [resource_object, build_array_type(resource_object)]}
            properties["links"] = LINKS
        else:
            name += "Document"
            properties["data"] = resource_object
        included = self._included(resource)
        if included:
            properties["included"] = included
        schema = {"type": "object", "required": required, "properties": properties}
        return self._component(name, schema)

    def _request_body(self) -> dict | None:
        resource = self._resource()
        serializer_class = self.declared.input_serializer(self.method)
        if self.method not in BODY_METHODS or serializer_class is None:
            return None
        partial = self.method == "PATCH"
        resource_object = {
            "type": "object",
            "required": ["type"] if partial else ["type", "attributes"],
            "properties": {
                "type": {"type": "string", "enum": [resource.type]},
                "id": {"type": "string", "description": "Optional; when sent, the URL's id."},
                "attributes": self._attributes_ref(serializer_class, "request"),
            },
        }
        data: dict = resource_object
        if self.method == "POST" and self.declared.accepts_resource_lists:
            data = {
                "oneOf": [resource_object, {**build_array_type(resource_object), "minItems": 1}]
            }
        name = type_component_name(resource.type) + ("Update" if partial else "Create")
        ref = self._component(
            name + "Request", {"type": "object", "required": ["data"], "properties": {"data": data}}
        )
        # application/json is accepted too (Glue clients send it), but one declared type gives
        # client generators one body type, and they send the one JSON:API names.
        return {"required": True, "content": {JSON_API_MEDIA_TYPE: {"schema": ref}}}

    def _success_responses(self) -> dict:
        if not self._answers_documents():
            return {"204": {"description": "No content."}}
        status = "201" if self.method == "POST" else "200"
        document = self._document(self._resource())
        return {
            status: {
                "description": "The JSON:API document.",
                "content": {media: {"schema": document} for media in self._response_media()},
            }
        }

    def _response_media(self) -> list[str]:
        return self.map_renderers("media_type")

    # --- parameters ----------------------------------------------------------------------------
    def _query_parameters(self) -> list[OpenApiParameter]:
        resource = self._resource()
        parameters = []
        if self._is_list():
            parameters += [
                OpenApiParameter(f"page[{name}]", int, description=description)
                for name, description in (
                    ("offset", "The first item of the page, counted from 0."),
                    ("limit", "At most this many items (10 by default, 100 at most)."),
                )
            ]
            parameters += [
                OpenApiParameter(
                    f"filter[{name}]", str, description=f"Only items whose {name} equals this."
                )
                for name in self.declared.filters
            ]
        if resource.relationships:
            parameters.append(
                OpenApiParameter(
                    "include",
                    {
                        "type": "array",
                        "items": {"type": "string", "enum": list(resource.relationships)},
                    },
                    explode=False,
                    description="Related resources to embed in `included`, comma-separated.",
                )
            )
        types = [resource, *(rel.resource for rel in resource.relationships.values())]
        for described in types:
            names = [name for name, _, _ in attribute_fields(described.serializer)]
            parameters.append(
                OpenApiParameter(
                    f"fields[{described.type}]",
                    {"type": "array", "items": {"type": "string", "enum": names}},
                    explode=False,
                    description=f"Only these attributes of {described.type}, comma-separated.",
                )
            )
        return parameters

    # --- errors --------------------------------------------------------------------------------
    def _errors(self) -> list[tuple[int, str | None, str]]:
        """(status, code, detail) of every error the operation can answer."""
        errors: list[tuple[int, str | None, str]] = [URI_TOO_LONG]
        resource = self._resource()
        if self.method in BODY_METHODS and resource is not None:
            errors.extend(BODY_ERRORS)
        if self.method == "GET" and self._answers_documents():
            errors.append(INCLUDE_ERROR)
        if self.view.get_authenticators():
            errors.append(_contract(ErrorCode.INVALID_ACCESS_TOKEN))
        if not self._is_public():
            errors.append(_contract(ErrorCode.MISSING_ACCESS_TOKEN))
        for permission in self.view.get_permissions():
            documented = getattr(permission, "documented_errors", None)
            if documented is not None:
                errors.extend(_contract(error) for error in documented(self.declared, self.method))
        not_found = self.declared.not_found
        if not_found is not None and "{uuid}" in self.path:
            errors.append(_contract(not_found))
        errors.extend(
            _contract(error) for error in self.declared.documented_errors.get(self.method, ())
        )
        return errors

    def _error_responses(self) -> dict:
        by_status: dict[int, list[str]] = defaultdict(list)
        for status, code, detail in self._errors():
            line = f"code {code}: {detail}" if code else detail
            if line not in by_status[status]:
                by_status[status].append(line)
        error_document = self._component("ErrorDocument", ERROR_DOCUMENT)
        responses = {}
        for status in sorted(by_status):
            response: dict[str, Any] = {
                "description": "\n\n".join(by_status[status]),
                "content": {media: {"schema": error_document} for media in self._response_media()},
            }
            if status == 429:
                response["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "schema": {"type": "integer", "minimum": 1},
                    }
                }
            responses[str(status)] = response
        return responses


def _contract(error: ErrorCode) -> tuple[int, str, str]:
    return error.status, error.code, error.detail


def _first_line(docstring: str | None) -> str:
    """A docstring's first line, without its closing full stop."""
    lines = (docstring or "").strip().splitlines()
    return lines[0].strip().removesuffix(".") if lines else ""


# --- hooks (SPECTACULAR_SETTINGS) -----------------------------------------------------------
def exclude_non_json_api_routes(endpoints: list, **kwargs) -> list:
    """Leave out OAuth2, the admin and the session login: they do not speak JSON:API."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith(EXCLUDED_PREFIXES)]


def camelize_path_parameters(result: dict, generator, request, public) -> dict:
    """``{customer_reference}`` → ``{customerReference}``, as in the discovery document."""
    paths = {}
    for path, operations in result.get("paths", {}).items():
        renamed = re.sub(r"{(\w+)}", lambda match: "{" + camelize(match[1], False) + "}", path)
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    parameter["name"] = camelize(parameter["name"], False)
        paths[renamed] = operations
    result["paths"] = paths
    return result


def camelize_attributes(result: dict, generator, request, public) -> dict:
    """Attribute names in the attribute components as on the wire: camelCase."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        request = name.endswith(ATTRIBUTES_SUFFIX + "Request")
        if not (request or name.endswith(ATTRIBUTES_SUFFIX)):
            continue
        schema["properties"] = {
            wire_name(attribute): value
            for attribute, value in schema.get("properties", {}).items()
            if attribute != "id"
        }
        required = [wire_name(attribute) for attribute in schema.pop("required", [])]
        # Sparse fieldsets (fields[TYPE]=...) may leave out any attribute of an answer.
        if required and request:
            schema["required"] = [
                attribute for attribute in required if attribute in schema["properties"]
            ]
    return result


def _nodes(node: Any) -> Iterator[dict]:
    """Every object in a JSON value, nested ones included."""
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            yield item
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _ref_name(node: Any) -> str | None:
    """The component a ``{"$ref": ...}`` names."""
    ref = node.get("$ref", "") if isinstance(node, dict) else ""
    return ref.removeprefix(COMPONENTS) if ref.startswith(COMPONENTS) else None


def nullable_enums(result: dict, generator, request, public) -> dict:
    """A nullable choice as OpenAPI 3.0 says it: ``oneOf`` the enum and a typed null.

    drf-spectacular writes ``nullable`` beside ``oneOf: [XEnum, NullEnum]``, with no ``type``
    for it to apply to (linters refuse that), and ``NullEnum`` as ``enum: [null]`` with no
    ``nullable``, which OpenAPI 3.0 does not let be null. ``NullEnum`` is made a nullable type
    whose one value is null, and the ``nullable`` beside the ``oneOf`` goes: the choice is then
    one of the enum's values or null, as generators and validators read it alike. A nullable
    ``oneOf`` of one type (a pattern or blank) gets that type beside ``nullable``.
    """
    schemas = result.get("components", {}).get("schemas", {})
    null_enum = f"Null{spectacular_settings.ENUM_SUFFIX}"
    if null_enum in schemas:
        schemas[null_enum] = {"type": "string", "nullable": True, "enum": [None]}
    for node in _nodes(result):
        alternatives = node.get("oneOf", ())
        if null_enum in (_ref_name(one) for one in alternatives):
            node.pop("nullable", None)
        elif node.get("nullable") and "type" not in node:
            # A nullable text that may also be blank (a pattern or ""): the alternatives share
            # their type, which ``nullable`` needs beside it.
            types = {one.get("type") for one in alternatives}
            if len(types) == 1 and None not in types:
                node["type"] = types.pop()
    return result


def require_whole_resources(result: dict, generator, request, public) -> dict:
    """Attributes no ``fields[TYPE]`` can cut are always there: the answer requires them.

    A type that no operation documents a sparse fieldset for (the token answers) is rendered
    whole: its resource objects require ``attributes``, and those require every attribute.
    """
    schemas = result.get("components", {}).get("schemas", {})
    cut = {
        type_component_name(match[1]) + RESOURCE_SUFFIX
        for operations in result.get("paths", {}).values()
        for operation in operations.values()
        for parameter in operation.get("parameters", ())
        if (match := SPARSE_FIELDSET.fullmatch(parameter["name"]))
    }
    attributes_of = {
        name: _ref_name(schema["properties"].get("attributes"))
        for name, schema in schemas.items()
        if name.endswith(RESOURCE_SUFFIX) and "links" in schema.get("properties", {})
    }
    cut_attributes = {attributes_of[name] for name in cut & set(attributes_of)}
    for name, attributes in attributes_of.items():
        if name in cut or attributes is None or attributes in cut_attributes:
            continue
        schemas[name]["required"] = [*schemas[name]["required"], "attributes"]
        schemas[attributes]["required"] = list(schemas[attributes]["properties"])
    return result
