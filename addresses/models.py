"""A customer's postal address; the database holds at most one default of each kind."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from addresses.countries import country_name
from customers.models import Customer, CustomerItem

NAME_MAX_LENGTH = 100
LINE_MAX_LENGTH = 255
DEFAULT_FLAGS = ("is_default_shipping", "is_default_billing")
# What a customer sets on an address, in the contract's order.
EDITABLE_FIELDS = (
    "salutation",
    "first_name",
    "last_name",
    "address1",
    "address2",
    "address3",
    "zip_code",
    "city",
    "iso2_code",
    "company",
    "phone",
    *DEFAULT_FLAGS,
)


class Address(CustomerItem):
    """A shipping or billing address of a customer, identified by a UUID."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    salutation = models.CharField(max_length=3, choices=Customer.Salutation)
    first_name = models.CharField(max_length=NAME_MAX_LENGTH)
    last_name = models.CharField(max_length=NAME_MAX_LENGTH)
    address1 = models.CharField("address line 1", max_length=LINE_MAX_LENGTH)
    address2 = models.CharField("address line 2", max_length=LINE_MAX_LENGTH)
    address3 = models.CharField("address line 3", max_length=LINE_MAX_LENGTH, null=True, blank=True)
    zip_code = models.CharField("ZIP code", max_length=15)
    city = models.CharField(max_length=NAME_MAX_LENGTH)
    iso2_code = models.CharField("country code (ISO 3166-1)", max_length=2)
    company = models.CharField(max_length=NAME_MAX_LENGTH, null=True, blank=True)
    phone = models.CharField(max_length=LINE_MAX_LENGTH, null=True, blank=True)
    is_default_shipping = models.BooleanField("default shipping", default=False)
    is_default_billing = models.BooleanField("default billing", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_default_shipping=True),
                name="address_one_default_shipping_per_customer",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_default_billing=True),
                name="address_one_default_billing_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"address {self.pk}"

    @property
    def country(self) -> str | None:
        """The country's English name, derived from ``iso2_code``."""
        return country_name(self.iso2_code)
