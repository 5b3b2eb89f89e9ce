"""Typed key/value data of a customer (Aimeos' customer properties)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce

from customers.models import CustomerItem

UNIQUE_CONSTRAINT = "property_unique_per_customer"
LIST_ORDER = ("created_at", "id")


class Property(CustomerItem):
    """One value of a property type, optionally for one language."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer_properties"
    )
    property_type = models.CharField(max_length=64)
    language_id = models.CharField(
        "language", max_length=5, null=True, blank=True, help_text="xx or xx_YY; empty for all."
    )
    value = models.CharField(max_length=255)
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        verbose_name_plural = "properties"
        constraints = [
            # A null language equals another null; no valid language id is "", so both
            # databases can index the coalesced value.
            models.UniqueConstraint(
                "customer",
                "property_type",
                Coalesce("language_id", Value("")),
                "value",
                name=UNIQUE_CONSTRAINT,
            ),
        ]
        indexes = [models.Index(fields=["customer", "created_at"], name="property_order")]

    def __str__(self) -> str:
        return self.property_type
