"""OpenAPI 3 for the JSON:API resources, derived from what each view already declares.

A view is documented from its conventions, with no annotation of its own:

- ``resource_name``: the ``type`` of its documents (an enum in every resource object) and its tag;
- ``serializer_class``: the attributes it answers with; a view without one answers 204;
- ``input_serializers = {"POST": ..., "PATCH": ...}``: the attributes it accepts, where they
  differ from ``serializer_class`` (the registration form, the login credentials);
- ``accepts_resource_lists``: POST takes one resource object or an array of them;
- ``get_permissions()``: an ``AllowAny`` operation carries no security requirement;
- ``filters`` and ``included_serializers``: the ``filter[...]``, ``include`` and ``fields[...]``
  parameters; ``not_found``: the 404 of an unknown item;
- ``documented_errors = {"POST": (ErrorCode.X, ...)}``: the contract's codes particular to an
  operation. The codes every operation of its kind can answer (bad documents, tokens, foreign
  customer references) are added here.

drf-spectacular-jsonapi's ``JsonApiAutoSchema`` is not used: it documents DJA's model views
(integer ids from the model, one media type, no view input serializers, no error documents),
while this project's views declare their input separately and answer string ids.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import uritemplate
from django.utils.module_loading import import_string
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import (
    ResolvedComponent,
    build_array_type,
    build_parameter_type,
    force_instance,
)
from inflection import camelize
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.permissions import AllowAny
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.settings import api_settings
from rest_framework_json_api.utils import format_field_name

from jsonapi.errors import ErrorCode

BODY_METHODS = ("POST", "PATCH", "PUT")
EXCLUDED_PREFIXES = ("/oauth/", "/admin/", "/api-auth/")

# The errors any operation of a kind can answer, beside the contract's codes of the operation.
BODY_ERRORS: tuple[tuple[int, str | None, str], ...] = (
    (400, ErrorCode.INVALID_DOCUMENT.code, "Invalid JSON, or not a JSON:API document."),
    (409, None, "The body's type is not the endpoint's, or its id is not the URL's."),
    (413, None, "Request body is larger than 1 MiB."),
    (415, None, "The body is neither application/vnd.api+json nor application/json."),
    (422, ErrorCode.VALIDATION_FAILED.code, ErrorCode.VALIDATION_FAILED.detail),
)

# gunicorn answers it before the application sees the request (config/gunicorn.py).
URI_TOO_LONG = (414, None, "The request line is longer than 4094 bytes.")
INCLUDE_ERROR = (
    400,
    ErrorCode.INVALID_DOCUMENT.code,
    "An include parameter names a relationship the resource does not have.",
)

_STRFTIME_PATTERNS = {"Y": r"\d{4}", "m": r"\d{2}", "d": r"\d{2}", "H": r"\d{2}", "M": r"\d{2}"}
_STRFTIME_PATTERNS |= {"S": r"\d{2}", "f": r"\d{6}"}


def _pattern_of(strftime_format: str) -> str:
    """``%Y-%m-%d %H:%M:%S.%f`` → a regular expression the rendered values match."""
    parts = re.split(r"%(\w)", strftime_format)
    pattern = "".join(
        _STRFTIME_PATTERNS[part] if index % 2 else re.escape(part)
        for index, part in enumerate(parts)
    )
    return f"^{pattern}$"


def type_component_name(resource_type: str) -> str:
    """``customer-relations`` → ``CustomerRelations``."""
    return camelize(resource_type.replace("-", "_"))


def _resolve_serializer_class(value: Any) -> type[serializers.Serializer]:
    return import_string(value) if isinstance(value, str) else value


def _included_serializers(serializer: serializers.Serializer) -> dict[str, type]:
    return {
        name: _resolve_serializer_class(value)
        for name, value in getattr(type(serializer), "included_serializers", {}).items()
    }


def _is_relationship(field: serializers.Field) -> bool:
    return isinstance(field, RelatedField | ManyRelatedField)


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

PAGE_LINKS = {
    "type": "object",
    "properties": {
        name: {"type": "string", "format": "uri", "nullable": True}
        for name in ("first", "last", "next", "prev")
    },
}


class JsonApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema speaking this project's JSON:API wire format."""

    # --- views -------------------------------------------------------------------------------
    def _resource_type(self) -> str | None:
        return getattr(self.view, "resource_name", None) or None

    def _is_public(self) -> bool:
        return any(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def _is_list(self) -> bool:
        return self.method == "GET" and getattr(self.view, "action", None) == "list"

    def _path_variables(self) -> list[str]:
        return list(uritemplate.variables(self.path))

    def get_tags(self) -> list[str]:
        resource_type = self._resource_type()
        return [resource_type] if resource_type else super().get_tags()

    def get_auth(self) -> list[dict]:
        if self._is_public():
            return []
        return super().get_auth()

    def get_request_serializer(self) -> Any:
        declared = getattr(self.view, "input_serializers", {}).get(self.method)
        if declared is not None:
            return declared
        return self._output_serializer()

    def get_response_serializers(self) -> Any:
        return self._output_serializer()

    def _output_serializer(self) -> serializers.Serializer | None:
        if getattr(self.view, "serializer_class", None) is None:
            return None
        return force_instance(self._get_serializer())

    # --- serializers: attributes with camelCase names ----------------------------------------
    def get_serializer_name(self, serializer: serializers.Serializer, direction: str) -> str:
        name = super().get_serializer_name(serializer, direction).removesuffix("Serializer")
        return name.removesuffix("Request") + "Attributes"

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        fields = force_instance(serializer).fields
        skipped = {"id"} | {name for name, field in fields.items() if _is_relationship(field)}
        properties = {
            format_field_name(name): value
            for name, value in schema.get("properties", {}).items()
            if name not in skipped
        }
        schema["properties"] = properties
        required = [format_field_name(name) for name in schema.pop("required", [])]
        # Sparse fieldsets (fields[TYPE]=...) may leave out any attribute of a response.
        if direction == "request" and required:
            schema["required"] = [name for name in required if name in properties]
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "response" and isinstance(field, serializers.DateTimeField):
            rendered = getattr(field, "format", empty)
            if rendered is empty:
                rendered = api_settings.DATETIME_FORMAT
            schema.pop("format", None)
            schema["pattern"] = _pattern_of(rendered)
        return schema

    # --- documents ---------------------------------------------------------------------------
    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _attributes_ref(self, serializer: serializers.Serializer, direction: str) -> dict | None:
        if self.method == "PATCH" and direction == "request":
            serializer.partial = True
        component = self.resolve_serializer(serializer, direction)
        return component.ref if component else None

    def _resource_object(self, resource_type: str, serializer: serializers.Serializer) -> dict:
        """A resource object as the service renders it, registered once per type."""
        properties: dict[str, Any] = {
            "type": {"type": "string", "enum": [resource_type]},
            "id": self._id_schema(serializer),
            "attributes": self._attributes_ref(serializer, "response") or {"type": "object"},
        }
        relationships = self._relationships(serializer)
        if relationships:
            properties["relationships"] = {"type": "object", "properties": relationships}
        schema = {"type": "object", "required": ["type", "id"], "properties": properties}
        return self._component(type_component_name(resource_type) + "Resource", schema)

    @staticmethod
    def _id_schema(serializer: serializers.Serializer) -> dict:
        if getattr(getattr(serializer, "Meta", None), "model", None) is None:
            return {"type": "string", "nullable": True, "description": "Always null."}
        return {"type": "string"}

    def _relationships(self, serializer: serializers.Serializer) -> dict:
        """The relationships rendered when their resources are asked for with ``?include=``."""
        declared = getattr(type(serializer), "_declared_fields", {})
        result = {}
        for name, included in _included_serializers(serializer).items():
            identifier = {
                "type": "object",
                "required": ["type", "id"],
                "properties": {
                    "type": {"type": "string", "enum": [included.Meta.resource_name]},
                    "id": {"type": "string"},
                },
            }
            many = isinstance(declared.get(name), ManyRelatedField)
            data = build_array_type(identifier) if many else {**identifier, "nullable": True}
            result[format_field_name(name)] = {
                "type": "object",
                "properties": {"data": data, "meta": {"type": "object"}},
            }
        return result

    def _included(self, serializer: serializers.Serializer) -> dict | None:
        resources = [
            self._resource_object(included.Meta.resource_name, included())
            for included in _included_serializers(serializer).values()
        ]
        if not resources:
            return None
        return build_array_type({"oneOf": resources} if len(resources) > 1 else resources[0])

    def _document(self, serializer: serializers.Serializer) -> dict:
        resource_type = self._resource_type()
        resource = self._resource_object(resource_type, serializer)
        name = type_component_name(resource_type)
        properties: dict[str, Any] = {}
        if self._is_list():
            name += "ListDocument"
            properties = {"data": build_array_type(resource), "meta": PAGE_META}
            properties["links"] = PAGE_LINKS
        elif self.method == "POST" and getattr(self.view, "accepts_resource_lists", False):
            name += "CreatedDocument"
            properties["data"] = {"oneOf": [resource, build_array_type(resource)]}
        else:
            name += "Document"
            properties["data"] = resource
        included = self._included(serializer)
        if included:
            properties["included"] = included
        schema = {"type": "object", "required": ["data"], "properties": properties}
        return self._component(name, schema)

    def _get_request_body(self, direction="request"):
        resource_type = self._resource_type()
        if self.method not in BODY_METHODS or resource_type is None:
            return super()._get_request_body(direction)
        serializer = self.get_request_serializer()
        if serializer is None:
            return None
        serializer = force_instance(serializer)
        attributes = self._attributes_ref(serializer, "request") or {"type": "object"}
        partial = self.method == "PATCH"
        resource = {
            "type": "object",
            "required": ["type"] if partial else ["type", "attributes"],
            "properties": {
                "type": {"type": "string", "enum": [resource_type]},
                "id": {"type": "string", "description": "Optional; when sent, the URL's id."},
                "attributes": attributes,
            },
        }
        data = resource
        if self.method == "POST" and getattr(self.view, "accepts_resource_lists", False):
            data = {"oneOf": [resource, {**build_array_type(resource), "minItems": 1}]}
        name = type_component_name(resource_type) + ("Update" if partial else "Create")
        ref = self._component(
            name + "Request",
            {"type": "object", "required": ["data"], "properties": {"data": data}},
        )
        return {
            "required": True,
            "content": {media: {"schema": ref} for media in self.map_parsers()},
        }

    def _get_response_bodies(self, direction="response"):
        if self._resource_type() is None:
            responses = super()._get_response_bodies(direction)
        else:
            responses = self._success_responses()
        responses.update(self._error_responses())
        return responses

    def _success_responses(self) -> dict:
        serializer = self._output_serializer()
        if self.method == "DELETE" or serializer is None:
            return {"204": {"description": "No content."}}
        status = "201" if self.method == "POST" else "200"
        document = self._document(serializer)
        return {
            status: {
                "description": "The JSON:API document.",
                "content": {media: {"schema": document} for media in self._response_media()},
            }
        }

    def _response_media(self) -> list[str]:
        return self.map_renderers("media_type")

    # --- errors ------------------------------------------------------------------------------
    def _errors(self) -> list[tuple[int, str | None, str]]:
        """(status, code, detail) of every error the operation can answer."""
        errors: list[tuple[int, str | None, str]] = [URI_TOO_LONG]
        if self.method in BODY_METHODS and self._resource_type() is not None:
            errors.extend(BODY_ERRORS)
        if self.method == "GET" and self._resource_type() and self._output_serializer():
            errors.append(INCLUDE_ERROR)
        if self.view.get_authenticators():
            errors.append(_contract(ErrorCode.INVALID_ACCESS_TOKEN))
        if not self._is_public():
            errors.append(_contract(ErrorCode.MISSING_ACCESS_TOKEN))
        variables = self._path_variables()
        if "customer_reference" in variables:
            reads_customer = self.method == "GET" and getattr(
                self.view, "is_customer_resource", False
            )
            foreign = ErrorCode.CUSTOMER_NOT_FOUND if reads_customer else ErrorCode.UNAUTHORIZED
            errors.append(_contract(foreign))
        not_found = getattr(self.view, "not_found", None)
        if not_found is not None and getattr(self.view, "lookup_url_kwarg", None) in variables:
            errors.append(_contract(not_found))
        for error in getattr(self.view, "documented_errors", {}).get(self.method, ()):
            errors.append(_contract(error))
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

    # --- parameters --------------------------------------------------------------------------
    def _resolve_path_parameters(self, variables):
        """Path parameters are strings; items of a customer are named by UUIDs."""
        return [
            build_parameter_type(
                name=variable,
                location="path",
                schema={"type": "string", "format": "uuid"}
                if variable == "uuid"
                else {"type": "string"},
            )
            for variable in variables
        ]

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if self.method != "GET" or self._resource_type() is None:
            return parameters
        serializer = self._output_serializer()
        if serializer is None:
            return parameters
        if self._is_list():
            parameters += [
                build_parameter_type(
                    name=f"filter[{name}]",
                    location="query",
                    schema={"type": "string"},
                    description=f"Only items whose {name} equals this value.",
                )
                for name in getattr(self.view, "filters", {})
            ]
        return parameters + self._include_and_fields_parameters(serializer)

    def _include_and_fields_parameters(self, serializer: serializers.Serializer) -> list[dict]:
        included = _included_serializers(serializer)
        parameters = []
        if included:
            parameters.append(
                build_parameter_type(
                    name="include",
                    location="query",
                    schema=build_array_type(
                        {"type": "string", "enum": [name.replace("_", "-") for name in included]}
                    ),
                    explode=False,
                    description="Related resources to embed in `included`, comma-separated.",
                )
            )
        types = {self._resource_type(): serializer}
        types |= {cls.Meta.resource_name: cls() for cls in included.values()}
        for resource_type, fields_of in types.items():
            names = [
                format_field_name(name)
                for name, field in fields_of.fields.items()
                if name != "id" and not field.write_only
            ]
            names += [format_field_name(name) for name in _included_serializers(fields_of)]
            parameters.append(
                build_parameter_type(
                    name=f"fields[{resource_type}]",
                    location="query",
                    schema=build_array_type({"type": "string", "enum": names}),
                    explode=False,
                    description=f"Only these attributes of {resource_type}, comma-separated.",
                )
            )
        return parameters


def _contract(error: ErrorCode) -> tuple[int, str, str]:
    return error.status, error.code, error.detail


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
