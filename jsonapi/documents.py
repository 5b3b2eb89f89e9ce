"""JSON:API documents built in one pass from what our resource serializers produce.

djangorestframework-jsonapi's renderer inspects every field of every item again to tell
attributes from relationships, and serializes each included item with a serializer of its own.
For our resources the answer is the same for every item of a serializer, so it is worked out
once per serializer; included items of one type are serialized together by one list
serializer. The documents are the same, byte for byte (``tests/test_documents.py`` compares
both renderers); anything this module does not know how to build is left to DJA.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Manager, Model
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.serializers import ListSerializer
from rest_framework_json_api.relations import ResourceRelatedField
from rest_framework_json_api.utils import format_field_name

from jsonapi.includes import requested_includes
from jsonapi.serializers import ResourceSerializer

Document = dict[str, Any]


class _Layout:
    """Which of a serializer's fields are attributes and which are relationships, by wire name."""

    def __init__(self, serializer: ResourceSerializer, resource_name: str) -> None:
        self.resource_name = resource_name
        self.attributes: dict[str, str] = {}
        self.relationships: dict[str, str] = {}
        for field in serializer._readable_fields:
            if field.field_name == "id":
                continue
            wire_name = format_field_name(field.field_name)
            if isinstance(field, ManyRelatedField):
                self.relationships[field.field_name] = wire_name
            else:
                self.attributes[field.field_name] = wire_name

    def resource_object(self, data: dict, instance: Model) -> Document:
        identifier = data.get("id", instance.pk)
        resource = {
            "type": self.resource_name,
            "id": None if identifier is None else str(identifier),
        }
        attributes = {
            wire_name: data[name] for name, wire_name in self.attributes.items() if name in data
        }
        if attributes:
            resource["attributes"] = attributes
        relationships = {
            wire_name: {"meta": {"count": len(data[name])}, "data": data[name]}
            for name, wire_name in self.relationships.items()
            if name in data
        }
        if relationships:
            resource["relationships"] = relationships
        return resource


def _is_plain_resource_serializer(serializer: Any) -> bool:
    """A ResourceSerializer whose only relationships are to-many ResourceRelatedFields."""
    if not isinstance(serializer, ResourceSerializer):
        return False
    for field in serializer.fields.values():
        if isinstance(field, ManyRelatedField):
            if not isinstance(field.child_relation, ResourceRelatedField):
                return False
        elif isinstance(field, RelatedField):
            return False
    return True


Item = tuple[dict, Model]  # a serializer's output for one instance, and the instance


def _items(serializer: ResourceSerializer | ListSerializer, data: Any) -> list[Item]:
    if isinstance(serializer, ListSerializer):
        return list(zip(data, serializer.instance, strict=True))
    return [(data, serializer.instance)]


def _resource_objects(serializer: ResourceSerializer, items: list[Item]) -> list[Document]:
    """The resource objects of the items one serializer rendered, in order."""
    layout = _Layout(serializer, type(serializer).Meta.resource_name)
    return [layout.resource_object(data, instance) for data, instance in items]


def _included_resources(
    serializer: ResourceSerializer,
    includes: set[str],
    instances: list[Model],
    primary: set[tuple[str, str]],
) -> list[Document]:
    """The compound document's ``included``: each related item once, sorted by type and id."""
    found: dict[tuple[str, str], Document] = {}
    for name in includes:
        field = serializer.fields[name]
        related: list[Model] = []
        for instance in instances:
            value = field.get_attribute(instance)
            related.extend(value.all() if isinstance(value, Manager) else value)
        if not related:
            continue
        rendered = serializer.included_serializers[name](
            related, many=True, context=serializer.context
        )
        for resource in _resource_objects(rendered.child, _items(rendered, rendered.data)):
            key = (resource["type"], resource["id"])
            if key not in primary:
                found[key] = resource
    return [found[key] for key in sorted(found)]


def build_document(data: Any, renderer_context: dict) -> Document | None:
    """The JSON:API document of a successful response, or None to leave it to DJA."""
    response = renderer_context.get("response")
    if response is None or response.status_code >= 400 or response.status_code == 204:
        return None
    page = data if isinstance(data, dict) and "results" in data else None
    results = page["results"] if page is not None else data
    serializer = getattr(results, "serializer", None)
    child = serializer.child if isinstance(serializer, ListSerializer) else serializer
    if not _is_plain_resource_serializer(child):
        return None
    view = renderer_context.get("view")
    if getattr(view, "resource_name", None) != type(child).Meta.resource_name:
        return None
    return _document(serializer, child, results, page)


def _document(
    serializer: ResourceSerializer | ListSerializer,
    child: ResourceSerializer,
    results: Any,
    page: dict | None,
) -> Document:
    document: Document = {}
    if page is not None and page.get("links"):
        document["links"] = page["links"]
    items = _items(serializer, results)
    primary = _resource_objects(child, items)
    document["data"] = primary if isinstance(serializer, ListSerializer) else primary[0]
    includes = requested_includes(child.context.get("request"))
    if includes:
        document["included"] = _included_resources(
            child,
            includes,
            [instance for _, instance in items],
            {(item["type"], item["id"]) for item in primary},
        )
    if page is not None and page.get("meta"):
        document["meta"] = {format_field_name(key): value for key, value in page["meta"].items()}
    return document
