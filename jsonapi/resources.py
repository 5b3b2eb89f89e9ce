"""Resource types: the one place that names each type of the API and says how it is shown.

Each app declares its types in its ``resources.py`` (``ADDRESSES = Resource("addresses", ...)``);
views name the type they answer with (``ResourceView.resource``), and the parser, the
documents, the schema, the metadata and the discovery document read it from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import serializers

from operations.prepared import PreparedQuery


@dataclass(frozen=True)
class Relationship:
    """A to-many relationship a client may ``include``, named as the related type.

    ``items`` reads the related items of one instance (by its primary key), ordered as lists
    are; it runs as a prepared query (``operations.prepared``).
    """

    name: str
    resource: Resource
    items: PreparedQuery

    def of(self, owner: Model) -> list[Model]:
        """The related items of ``owner``."""
        return self.items(owner.pk, using=owner._state.db or "default")


@dataclass(eq=False)
class Resource:
    """A JSON:API resource type.

    - ``type``: the type name on the wire, plural and dashed (``customer-relations``);
    - ``serializer``: the DRF serializer of its attributes (snake_case, camelCase on the wire);
      ``None`` for a type without attributes of its own;
    - ``id_source``: the instance attribute that is its ``id`` (None: ``"id": null``);
    - ``path``: its URL below the root, a template with ``{id}`` and, for the items of a
      customer, ``{owner}`` (``customers/{owner}/addresses/{id}``), for ``links.self``;
    - ``relationships``: added by the apps whose types relate to this one
      (:meth:`add_relationship`), so the app of a type needs to know none of them.
    """

    type: str
    serializer: type[serializers.Serializer] | None
    path: str
    id_source: str | None = "pk"
    relationships: dict[str, Relationship] = field(default_factory=dict)

    def add_relationship(self, resource: Resource, items: Callable[[Any], QuerySet]) -> None:
        """Let documents of this type include ``resource`` items: ``items(pk)`` of one."""
        self.relationships[resource.type] = Relationship(
            resource.type, resource, PreparedQuery(items)
        )

    def __repr__(self) -> str:
        return f"Resource({self.type!r})"
