"""Business rules that change customer properties: add, change, remove."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from customers.locking import lock_customer_for_write
from customers.models import Customer
from customers.services import count_within_cap, delete_item
from events.services import record_item_event
from jsonapi.errors import ApiError, ErrorCode
from properties.models import Property

# The contract caps addresses (100) and relations (1,000) and is silent on properties; without
# a cap one account could store rows without end, and every include and export renders them.
MAX_PROPERTIES_PER_CUSTOMER = 1000
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


def _save(prop: Property, changes: dict[str, Any]) -> Property:
    """Apply ``changes`` and save under the customer's lock, unless an equal property exists.

    The unique constraint decides races between equal properties.
    """
    try:
        with transaction.atomic():
            customer = lock_customer_for_write(prop.customer_id)
            action = "created" if prop._state.adding else "updated"
            if prop._state.adding:
                count_within_cap(
                    Property.objects.filter(customer_id=prop.customer_id),
                    cap=MAX_PROPERTIES_PER_CUSTOMER,
                    detail=f"A customer has at most {MAX_PROPERTIES_PER_CUSTOMER} properties.",
                )
            else:
                # Re-read under the lock: saving a row deleted meanwhile would insert it again.
                prop = Property.objects.filter(pk=prop.pk).first()
                if prop is None:
                    raise ApiError(ErrorCode.PROPERTY_NOT_FOUND)
            for name, value in changes.items():
                setattr(prop, name, value)
            if _is_taken(prop):
                raise ApiError(ErrorCode.PROPERTY_EXISTS, attribute="value")
            prop.save()
            record_item_event(customer=customer, item=prop, action=action)
    except IntegrityError as exc:
        if not _is_taken(prop):
            raise
        raise ApiError(ErrorCode.PROPERTY_EXISTS, attribute="value") from exc
    return prop


def create_property(
    *, customer: Customer, property_type: str, value: str, language_id: str | None = None
) -> Property:
    """Add a property to the customer."""
    changes = {"property_type": property_type, "language_id": language_id, "value": value}
    return _save(Property(customer=customer), changes)


def update_property(*, prop: Property, changes: dict[str, Any]) -> Property:
    """Change the given attributes of a property; the others stay as they were."""
    unknown = set(changes) - WRITABLE_FIELDS
    if unknown:
        raise ValueError(f"not writable: {sorted(unknown)}")
    return _save(prop, changes)


def delete_property(*, prop: Property) -> None:
    """Remove one property."""
    delete_item(prop)


def delete_all_properties(customer: Customer) -> None:
    """Delete every one of the customer's properties (anonymization)."""
    Property.objects.filter(customer=customer).delete()
