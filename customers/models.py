"""The customer, which is also the user model of the service."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class CustomerQuerySet(models.QuerySet):
    def with_email(self, email: str) -> CustomerQuerySet:
        """Customers whose e-mail equals ``email`` ignoring case (uses the unique index)."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=Lower(models.Value(email)))


class CustomerManager(BaseUserManager.from_queryset(CustomerQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> Customer:
        return self.with_email(username).get()

    def create_user(self, email: str, password: str | None = None, **fields) -> Customer:
        customer = self.model(email=email, **fields)
        customer.set_password(password)
        customer.save(using=self._db)
        return customer

    def create_superuser(self, email: str, password: str | None = None, **fields) -> Customer:
        fields.update(is_staff=True, is_superuser=True, confirmed_at=timezone.now())
        return self.create_user(email, password, **fields)


class Customer(AbstractBaseUser, PermissionsMixin):
    """A shop's customer; staff accounts are customers with ``is_staff``."""

    class Salutation(models.TextChoices):
        MR = "Mr"
        MRS = "Mrs"
        MS = "Ms"
        DR = "Dr"

    class Gender(models.TextChoices):
        MALE = "Male"
        FEMALE = "Female"
        DIVERSE = "Diverse"

    customer_reference = models.CharField(
        "reference", max_length=64, unique=True, null=True, blank=True, editable=False
    )
    email = models.EmailField("e-mail address", max_length=100)
    salutation = models.CharField(max_length=3, choices=Salutation, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    gender = models.CharField(max_length=7, choices=Gender, null=True, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(
        "active", default=True, help_text="Only active accounts can log in."
    )
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can log in to this admin site."
    )
    confirmed_at = models.DateTimeField("e-mail confirmed", null=True, blank=True)
    # SHA-256 of the e-mail confirmation key; the key itself is only ever in the e-mail.
    registration_key_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    anonymized_at = models.DateTimeField("anonymized", null=True, blank=True)
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)
    # Counts the writes to what the API shows of the customer; cached documents are keyed by
    # it (customers.document_cache), so a write makes every earlier document unreachable.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = CustomerManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="customer_email_ci_unique"),
        ]
        permissions = [("anonymize_customer", "Can anonymize customer")]

    def __str__(self) -> str:
        return self.customer_reference or f"customer #{self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_anonymized(self) -> bool:
        return self.anonymized_at is not None

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            # Counted in the same UPDATE, by the database, so concurrent saves never share one.
            self.data_version = models.F("data_version") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "data_version"}
        super().save(*args, **kwargs)
        if not self.customer_reference:
            # The reference numbers the customer like Glue does: PREFIX--n, n the row's id.
            self.customer_reference = f"{settings.CUSTOMER_REFERENCE_PREFIX}--{self.pk}"
            Customer.objects.filter(pk=self.pk).update(customer_reference=self.customer_reference)
