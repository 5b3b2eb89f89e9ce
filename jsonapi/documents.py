"""JSON:API documents: the one render path of the service's resources.

A view hands its instances to :class:`Documents`, which owns the whole document: resource
objects (type, id, camelCase attributes from the type's DRF serializer, relationships),
sparse fieldsets (``fields[TYPE]=a,b``), compound documents (``include=``, loaded with one
query per relationship) and pagination (``meta.page`` and ``links``). How a serializer's
fields become attributes is worked out once per serializer class; each item then costs one
``get_attribute`` and one ``to_representation`` per field, DRF's own public field API.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.urls import get_script_prefix
from inflection import camelize
from rest_framework import fields, serializers

from jsonapi.errors import ApiError, ErrorCode
from jsonapi.pagination import Page
from jsonapi.query import list_parameter
from jsonapi.resources import Relationship, Resource

Document = dict[str, Any]
# Sparse fieldsets cut reads only, where /schema documents them; the answers of writes (a new
# token pair among them) carry every attribute the schema requires.
SPARSE_METHODS = ("GET", "HEAD")
# An attribute's wire name, how to read its value from an instance, and how to render it.
Field = tuple[str, Callable[[Any], Any], Callable[[Any], Any]]


def wire_name(name: str) -> str:
    """``first_name`` → ``firstName``: attribute names are camelCase on the wire."""
    return camelize(name, False)


def _reader(field: serializers.Field) -> Callable[[Any], Any]:
    """DRF's ``get_attribute`` for the field, an attribute lookup where that is all it does."""
    if len(field.source_attrs) == 1:
        return operator.attrgetter(field.source_attrs[0])
    return functools.partial(fields.get_attribute, attrs=field.source_attrs)


@functools.cache
def attribute_fields(serializer_class: type[serializers.Serializer]) -> tuple[Field, ...]:
    """The fields a serializer renders as attributes, with their wire names, in its order."""
    readable = serializer_class().fields.items()
    return tuple(
        (wire_name(name), _reader(field), field.to_representation)
        for name, field in readable
        if not field.write_only and name != "id"
    )


def requested_relationships(request: HttpRequest, resource: Resource) -> list[Relationship]:
    """The relationships ``include=`` asks for; 400 code 900 for one the type lacks.

    Views check it before they change anything (``ResourceView.initial``): a client answered
    400 can trust that nothing happened.
    """
    names = list_parameter(request, "include") or ()
    unknown = [name for name in names if name not in resource.relationships]
    if unknown:
        raise ApiError(
            ErrorCode.INVALID_DOCUMENT,
            detail=f"{resource.type} has no relationship {unknown[0]!r} to include.",
        )
    return [resource.relationships[name] for name in sorted(names)]


def render_attributes(rendered: Sequence[Field], instance: Any) -> dict[str, Any]:
    """The attributes of one instance, rendered by the serializer's fields (DRF's public API)."""
    attributes = {}
    for name, read, represent in rendered:
        value = read(instance)
        attributes[name] = None if value is None else represent(value)
    return attributes


class Documents:
    """The documents of one request: what it asked for with ``fields[...]`` and ``include``.

    ``owner`` is the customer reference the items of the request belong to (the URL's), for
    their ``links.self``.
    """

    def __init__(self, request: HttpRequest, owner: str | None = None) -> None:
        self.request = request
        self.owner = owner
        self.root = request.build_absolute_uri(get_script_prefix())
        self._fieldsets: dict[str, tuple[Field, ...]] = {}

    # --- resource objects --------------------------------------------------------------------
    def _fields_of(self, resource: Resource) -> tuple[Field, ...]:
        """The attribute fields of ``resource`` this request asked for (all without fields[])."""
        if resource.type not in self._fieldsets:
            every = attribute_fields(resource.serializer) if resource.serializer else ()
            sparse = self.request.method in SPARSE_METHODS
            wanted = list_parameter(self.request, f"fields[{resource.type}]") if sparse else None
            if wanted is not None:
                every = tuple(field for field in every if field[0] in wanted)
            self._fieldsets[resource.type] = every
        return self._fieldsets[resource.type]

    def resource_object(
        self,
        resource: Resource,
        instance: Any,
        related: Mapping[str, list[Model]] | None = None,
        owner: str | None = None,
    ) -> Document:
        """``{"type", "id", "attributes", "relationships", "links"}`` of one instance.

        ``related`` holds the items of each relationship asked for, by its name.
        """
        identifier = None if resource.id_source is None else getattr(instance, resource.id_source)
        identifier = None if identifier is None else str(identifier)
        found: Document = {"type": resource.type, "id": identifier}
        attributes = render_attributes(self._fields_of(resource), instance)
        if attributes:
            found["attributes"] = attributes
        if related:
            found["relationships"] = {
                name: _linkage(resource.relationships[name].resource, items)
                for name, items in related.items()
            }
        path = resource.path.format(id=identifier, owner=owner or self.owner)
        found["links"] = {"self": self.root + path}
        return found

    # --- compound documents ------------------------------------------------------------------
    def _compound(
        self, resource: Resource, instances: list[Model], *, include_all: bool = False
    ) -> tuple[list, list]:
        """The primary resource objects and, when asked for, the included ones.

        ``include_all`` includes every relationship of the type, whatever ``include`` says.
        Each relationship of each instance is read with one (prepared) query.
        """
        if include_all:
            relationships = [
                resource.relationships[name] for name in sorted(resource.relationships)
            ]
        else:
            relationships = requested_relationships(self.request, resource)
        primary, included = [], {}
        for instance in instances:
            related = {rel.name: rel.of(instance) for rel in relationships}
            resource_object = self.resource_object(resource, instance, related)
            primary.append(resource_object)
            for name, items in related.items():
                for item in items:
                    found = self.resource_object(
                        resource.relationships[name].resource, item, owner=resource_object["id"]
                    )
                    included[(found["type"], found["id"])] = found
        return primary, [included[key] for key in sorted(included)]

    # --- documents ---------------------------------------------------------------------------
    def single(self, resource: Resource, instance: Any, *, include_all: bool = False) -> Document:
        """The document of one resource object (with every related one: ``include_all``)."""
        primary, included = self._compound(resource, [instance], include_all=include_all)
        document: Document = {"data": primary[0]}
        if included:
            document["included"] = included
        return document

    def collection(
        self, resource: Resource, instances: Iterable[Any], page: Page | None = None
    ) -> Document:
        """The document of a list of resource objects, with ``meta.page`` and its links."""
        primary, included = self._compound(resource, list(instances))
        document: Document = {"data": primary}
        if included:
            document["included"] = included
        if page is None:
            document["links"] = {"self": self.request.build_absolute_uri()}
        else:
            document["meta"] = {"page": page.meta()}
            document["links"] = page.links(self.request)
        return document


def _linkage(related: Resource, items: list[Model]) -> Document:
    """A relationship member: the related items' identifiers, and how many there are."""
    identifiers = [{"type": related.type, "id": str(item.pk)} for item in items]
    return {"data": identifiers, "meta": {"count": len(identifiers)}}
