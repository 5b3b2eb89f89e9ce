"""Request parsing: a JSON:API document in, a flat dict of snake_case attributes out.

Both ``application/vnd.api+json`` and ``application/json`` are accepted (Glue clients send
either). Every resource object names its ``type``, which must be the endpoint's; ``id`` is
optional in PATCH bodies but must equal the URL's id when sent. ``relationships`` are not used
by any resource of the contract; they are only checked for shape so a malformed one cannot
crash the parser.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from inflection import underscore
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser
from rest_framework.request import Request

from jsonapi.conventions import conventions
from jsonapi.encoding import JSON_API_MEDIA_TYPE


class Conflict(APIException):
    status_code = 409
    default_detail = "The document conflicts with the endpoint."
    default_code = "conflict"


class ResourceAttributes(dict):
    """The attributes of one resource object, keyed by snake_case names."""


class ResourceList(list):
    """The attributes of each resource object of a ``data`` array, in order."""


# Deeper documents are refused before any code walks them (recursion in Python is bounded);
# no resource of the contract nests anywhere near this deep.
MAX_NESTING = 64


def nesting_depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value``, counted without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in children)
    return deepest


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def load_json(raw: bytes) -> Any:
    """Decode strict UTF-8 JSON; anything else is a 400 code 900."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        # Lone surrogates decode from \\ud800 escapes but cannot be stored or re-encoded;
        # numbers like 1e400 decode to infinity, which no database JSON type accepts.
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError) as exc:
        raise ParseError("Invalid JSON.") from exc
    if nesting_depth(value) > MAX_NESTING:
        raise ParseError(f"The document nests more than {MAX_NESTING} levels deep.")
    return value


def _resource_attributes(resource: Any, *, resource_type: str | None, url_id: str | None) -> dict:
    if not isinstance(resource, dict):
        raise ParseError("A resource object must be a JSON object.")
    sent_type = resource.get("type")
    if not isinstance(sent_type, str):
        raise ParseError("Post data is invalid.")  # Glue's words for a resource without a type
    if resource_type and sent_type != resource_type:
        raise Conflict(f"The resource type '{sent_type}' does not match '{resource_type}'.")
    sent_id = resource.get("id")
    if url_id is not None and sent_id is not None and str(sent_id) != url_id:
        raise Conflict("The resource id does not match the URL.")
    attributes = resource.get("attributes", {})
    if not isinstance(attributes, dict):
        raise ParseError("The attributes member must be a JSON object.")
    if not isinstance(resource.get("relationships", {}), dict):
        raise ParseError("The relationships member must be a JSON object.")
    return ResourceAttributes((underscore(name), value) for name, value in attributes.items())


class JsonApiParser(BaseParser):
    """Parses a JSON:API document into the attributes of its resource object(s)."""

    media_type = JSON_API_MEDIA_TYPE

    def parse(self, stream, media_type=None, parser_context=None) -> dict | list:
        document = load_json(stream.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
        if not isinstance(document, dict) or "data" not in document:
            raise ParseError("The request body must be a JSON:API document with a data member.")
        view = (parser_context or {}).get("view")
        declared = conventions(view)
        resource_type = declared.resource.type if declared.resource is not None else None
        url_id = self._url_id(view)
        data = document["data"]
        if isinstance(data, list) and declared.accepts_resource_lists:
            return ResourceList(
                _resource_attributes(item, resource_type=resource_type, url_id=None)
                for item in data
            )
        return _resource_attributes(data, resource_type=resource_type, url_id=url_id)

    @staticmethod
    def _url_id(view: Any) -> str | None:
        """The id the URL names (DRF's lookup kwarg), which a body's id must equal."""
        if not hasattr(view, "lookup_field"):  # not a GenericAPIView
            return None
        value = view.kwargs.get(view.lookup_url_kwarg or view.lookup_field)
        return str(value) if value is not None else None


class PlainJsonParser(JsonApiParser):
    """The same document sent as ``application/json``."""

    media_type = "application/json"


def _parsed_document(request: Request, accepted: type | tuple[type, ...]):
    data = request.data
    if not isinstance(data, accepted):
        raise ParseError("The request body must be a JSON:API document with a data member.")
    return data


def request_attributes(request: Request) -> ResourceAttributes:
    """The attributes of the request's resource object; 400 code 900 without a document."""
    return _parsed_document(request, ResourceAttributes)


def request_resources(request: Request) -> ResourceList | ResourceAttributes:
    """One resource object's attributes, or a list of them where the view accepts arrays."""
    return _parsed_document(request, (ResourceAttributes, ResourceList))
