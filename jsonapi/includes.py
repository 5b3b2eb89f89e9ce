"""``?include=``: which related resources a request asks for, loaded in one query each."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model, Prefetch, prefetch_related_objects
from rest_framework_json_api.utils import undo_format_field_name


def requested_includes(request) -> set[str]:
    """Snake_case names from ``?include=a,b`` (dashes allowed: ``customer-relations``)."""
    if request is None:
        return set()
    value = request.query_params.get("include") or ""
    return {undo_format_field_name(name.strip()) for name in value.split(",") if name.strip()}


def prefetch_includes(instances: Iterable[Model], serializer_class: type, request) -> None:
    """Prefetch every included relationship the serializer offers, one query per type.

    ``serializer_class.included_prefetches`` may map an include name to a lookup or a
    ``Prefetch`` (to order the related rows); by default the include name is the lookup.
    """
    offered = getattr(serializer_class, "included_serializers", {})
    custom: dict[str, str | Prefetch] = getattr(serializer_class, "included_prefetches", {})
    lookups = [custom.get(name, name) for name in requested_includes(request) if name in offered]
    if lookups:
        prefetch_related_objects(list(instances), *lookups)
