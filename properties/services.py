"""Business rules that change customer properties: add, change, remove."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from customers.models import Customer
from jsonapi.errors import ApiError, ErrorCode
from properties.models import Property

WRITABLE_FIELDS = frozenset({"property_type", "language_id", "value"})


def _is_taken(prop: Property) -> bool:
    """Whether another property of the customer has the same type, language and value."""
    return (
        Property.objects.filter(
            customer_id=prop.customer_id,
            property_type=prop.property_type,
            language_id=prop.language_id,
            value=prop.value,
        )
        .exclude(pk=prop.pk)
        .exists()
    )


def _save(prop: Property) -> Property:
    """Save unless an equal property exists; the unique constraint decides races."""
    try:
        with transaction.atomic():
            if _is_taken(prop):
                raise ApiError(ErrorCode.PROPERTY_EXISTS, attribute="value")
            prop.save()
    except IntegrityError as exc:
        if not _is_taken(prop):
            raise
        raise ApiError(ErrorCode.PROPERTY_EXISTS, attribute="value") from exc
    return prop


def create_property(
    *, customer: Customer, property_type: str, value: str, language_id: str | None = None
) -> Property:
    """Add a property to the customer."""
    return _save(
        Property(
            customer=customer, property_type=property_type, language_id=language_id, value=value
        )
    )


def update_property(*, prop: Property, changes: dict[str, Any]) -> Property:
    """Change the given attributes of a property; the others stay as they were."""
    unknown = set(changes) - WRITABLE_FIELDS
    if unknown:
        raise ValueError(f"not writable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(prop, name, value)
    return _save(prop)


def delete_property(*, prop: Property) -> None:
    """Remove one property."""
    prop.delete()
