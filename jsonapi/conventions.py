"""What a JSON:API view declares, and the one accessor the rest of the plumbing reads it by.

Kept apart from the view classes: DRF imports the parser and metadata classes named in the
settings while its own views load, and those read the conventions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rest_framework.serializers import Serializer

from jsonapi.errors import ErrorCode
from jsonapi.resources import Resource


class Conventions:
    """The class attributes a JSON:API view declares (``jsonapi.views.ResourceView``).

    - ``resource``: the type of the documents it answers with and of the resource object a
      body must name; None for a view that answers 204 or a meta document only.
    - ``input_serializers``: the serializer of a method's body (``{"POST": ..., "PATCH":
      ...}``) where it is not ``resource.serializer`` (the registration form, the login).
    - ``accepts_resource_lists``: POST takes one resource object or an array of them.
    - ``filters``: ``filter[name]`` of its lists, name → model field.
    - ``not_found``: the contract's error for an unknown or foreign item id.
    - ``id_missing``: the contract's error for a PATCH or DELETE of its collection URL, which
      names no item (Glue's "resource id is not specified").
    - ``documented_errors``: the contract's errors particular to a method, for ``/schema``;
      those of bad documents, tokens and permissions are added from what the view is.
    """

    resource: ClassVar[Resource | None] = None
    input_serializers: ClassVar[Mapping[str, type[Serializer]]] = {}
    accepts_resource_lists: ClassVar[bool] = False
    filters: ClassVar[Mapping[str, str]] = {}
    not_found: ClassVar[ErrorCode | None] = None
    id_missing: ClassVar[ErrorCode] = ErrorCode.RESOURCE_ID_MISSING
    documented_errors: ClassVar[Mapping[str, tuple[ErrorCode, ...]]] = {}

    @classmethod
    def input_serializer(cls, method: str) -> type[Serializer] | None:
        """The serializer of ``method``'s body: declared, or the resource's attributes."""
        return cls.input_serializers.get(method) or (
            cls.resource.serializer if cls.resource is not None else None
        )

    @classmethod
    def answers_documents(cls, method: str) -> bool:
        """Whether ``method`` answers with a document of ``resource`` (else 204 or meta only)."""
        resource = cls.resource
        return (
            resource is not None
            and resource.serializer is not None
            and method in ("GET", "HEAD", "POST", "PATCH")
        )


def conventions(view: Any) -> Conventions | type[Conventions]:
    """What a view (or view class) declares; one of another base (the schema's) declares none."""
    if isinstance(view, type):
        return view if issubclass(view, Conventions) else Conventions
    return view if isinstance(view, Conventions) else Conventions
