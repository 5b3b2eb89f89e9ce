"""What an event says about the data it concerns: the attributes as the API names them."""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

from django.db import models
from inflection import camelize


class Customer(Protocol):
    """What the outbox reads of a customer (``customers.models.Customer``).

    A protocol rather than the model: the customers app records events, so the outbox must
    not import it back.
    """

    customer_reference: str
    email: str
    email_canonical: str


CUSTOMER_FIELDS = (
    "email",
    "salutation",
    "first_name",
    "last_name",
    "gender",
    "date_of_birth",
    "title",
    "company",
    "vat_id",
    "phone",
    "language_id",
    "created_at",
    "updated_at",
)
# Bookkeeping of the service itself, never part of what other services are told.
HIDDEN_FIELDS = frozenset({"customer", "notified_at", "notified_state"})


@cache  # every write names the same few fields
def attribute_name(field_name: str) -> str:
    return camelize(field_name, uppercase_first_letter=False)


def customer_data(customer: Customer) -> dict[str, Any]:
    """The customer's profile, as ``GET /customers/{ref}`` shows it."""
    return {attribute_name(name): getattr(customer, name) for name in CUSTOMER_FIELDS}


def item_data(item: models.Model) -> dict[str, Any]:
    """An address, relation or property: its id and attributes."""
    data: dict[str, Any] = {"id": str(item.pk)}
    for field in item._meta.concrete_fields:
        if field.primary_key or field.name in HIDDEN_FIELDS:
            continue
        data[attribute_name(field.name)] = getattr(item, field.attname)
    return data
