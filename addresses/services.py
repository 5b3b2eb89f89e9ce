"""Business rules that change addresses: create, update, delete, and the default flags.

Every change locks the customer row first (``customers.locking``), so concurrent requests of
one customer take turns and none outlives an anonymization; the partial unique constraints
are the final word on the default flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from addresses.models import DEFAULT_FLAGS, EDITABLE_FIELDS, Address
from customers.locking import lock_customer, lock_customer_for_write
from customers.models import Customer
from customers.services import count_within_cap, delete_item
from events.services import record_item_event
from jsonapi.errors import ApiError, ErrorCode

MAX_ADDRESSES_PER_CUSTOMER = 100
UPDATABLE_FIELDS = frozenset(EDITABLE_FIELDS)


def _check_fields(attributes: Mapping[str, Any]) -> None:
    unknown = set(attributes) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"not address fields: {sorted(unknown)}")


def _release_defaults_claimed_by(address: Address, flags: Iterable[str]) -> None:
    """Clear each of ``flags`` that ``address`` holds on the customer's other addresses."""
    for flag in flags:
        if getattr(address, flag):
            Address.objects.filter(customer_id=address.customer_id, **{flag: True}).exclude(
                pk=address.pk
            ).update(**{flag: False})


def create_address(*, customer: Customer, attributes: Mapping[str, Any]) -> Address:
    """Add an address; the customer's first one is both defaults, whatever its flags say.

    At most ``MAX_ADDRESSES_PER_CUSTOMER`` addresses, counted under the customer's lock.
    """
    _check_fields(attributes)
    with transaction.atomic():
        lock_customer_for_write(customer.pk)
        existing = count_within_cap(
            Address.objects.filter(customer=customer),
            cap=MAX_ADDRESSES_PER_CUSTOMER,
            detail=f"A customer can have at most {MAX_ADDRESSES_PER_CUSTOMER} addresses.",
        )
        address = Address(customer=customer, **attributes)
        if existing == 0:
            # Glue: the first address is the default of both kinds, whatever flags it was sent.
            for flag in DEFAULT_FLAGS:
                setattr(address, flag, True)
        _release_defaults_claimed_by(address, DEFAULT_FLAGS)
        address.save()
        record_item_event(customer=customer, item=address, action="created")
    return address


def update_address(*, address: Address, changes: Mapping[str, Any]) -> Address:
    """Change the given attributes; a default flag set here is cleared on the other addresses."""
    _check_fields(changes)
    with transaction.atomic():
        customer = lock_customer_for_write(address.customer_id)
        # Re-read under the lock: another request may have moved a flag or deleted the row.
        address = Address.objects.filter(pk=address.pk).first()
        if address is None:
            raise ApiError(ErrorCode.ADDRESS_NOT_FOUND)
        for name, value in changes.items():
            setattr(address, name, value)
        _release_defaults_claimed_by(address, set(changes) & set(DEFAULT_FLAGS))
        address.save(update_fields=[*changes, "updated_at"])
        record_item_event(customer=customer, item=address, action="updated")
    return address


def release_defaults(*, customer: Customer, flags: Iterable[str]) -> None:
    """Clear these default flags on all the customer's addresses, under the customer's lock.

    For a save of several addresses at once (the admin's inline) that then gives each flag to
    at most one of them, in whatever order they are written.
    """
    flags = set(flags)
    unknown = flags - set(DEFAULT_FLAGS)
    if unknown:
        raise ValueError(f"not default flags: {sorted(unknown)}")
    if not flags:
        return
    with transaction.atomic():
        lock_customer(customer.pk)
        for flag in flags:
            Address.objects.filter(customer=customer, **{flag: True}).update(**{flag: False})


def delete_address(*, address: Address) -> None:
    """Delete the address; if it was a default, the customer has none until one is set."""
    delete_item(address)


def delete_all_addresses(customer: Customer) -> None:
    """Delete every one of the customer's addresses (anonymization)."""
    Address.objects.filter(customer=customer).delete()
