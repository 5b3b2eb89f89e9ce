"""The customer, which is also the user model of the service."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from customers.email_address import canonical_email
from jsonapi.fields import has_control_characters

EMAIL_CONSTRAINT = "customer_email_canonical_unique"
VAT_ID_PATTERN = r"^[A-Za-z0-9 .-]+\Z"
VAT_ID_MESSAGE = "The VAT id must consist of letters, digits, spaces, - and . only."
LANGUAGE_ID_PATTERN = r"^[a-z]{2}(_[A-Z]{2})?\Z"
LANGUAGE_ID_MESSAGE = 'The language id must look like "de" or "de_DE".'


def refuse_control_characters(value: str) -> None:
    """What the API refuses (§11.3), the admin's forms refuse too."""
    if value and has_control_characters(value):
        raise ValidationError("This value must not contain control characters.")


class CustomerQuerySet(models.QuerySet):
    def with_email(self, email: str) -> CustomerQuerySet:
        """The customer whose e-mail is a spelling of ``email`` (its canonical form's index)."""
        return self.filter(email_canonical=canonical_email(email))


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
    # The account's key: customers.email_address.canonical_email(email), kept by save().
    email_canonical = models.CharField(max_length=320, editable=False)
    salutation = models.CharField(max_length=3, choices=Salutation)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    gender = models.CharField(max_length=7, choices=Gender, null=True, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # Aimeos' optional profile data (customer.title, .company, .vatid, .telephone, .languageid).
    title = models.CharField(
        max_length=64, null=True, blank=True, validators=[refuse_control_characters]
    )
    company = models.CharField(
        max_length=100, null=True, blank=True, validators=[refuse_control_characters]
    )
    vat_id = models.CharField(
        "VAT id",
        max_length=32,
        null=True,
        blank=True,
        validators=[RegexValidator(VAT_ID_PATTERN, VAT_ID_MESSAGE)],
    )
    phone = models.CharField(
        max_length=64, null=True, blank=True, validators=[refuse_control_characters]
    )
    language_id = models.CharField(
        "language",
        max_length=5,
        null=True,
        blank=True,
        validators=[RegexValidator(LANGUAGE_ID_PATTERN, LANGUAGE_ID_MESSAGE)],
        help_text='xx or xx_YY ("de", "de_AT"): the language of the e-mails the customer gets.',
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Only active accounts can log in."
    )
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can log in to this admin site."
    )
    confirmed_at = models.DateTimeField("e-mail confirmed", null=True, blank=True)
    # When the customer accepted the terms (acceptedTerms at registration): a consent, dated.
    terms_accepted_at = models.DateTimeField(
        "terms accepted", null=True, blank=True, editable=False
    )
    # SHA-256 of the e-mail confirmation key; the key itself is only ever in the e-mail.
    registration_key_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # An e-mail change waiting for its confirmation (EMAIL_CHANGE_CONFIRMATION): the new
    # address, the SHA-256 of the key mailed to it, and when that key expires.
    pending_email = models.EmailField(
        "pending e-mail address", max_length=100, null=True, blank=True, editable=False
    )
    email_change_key_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    email_change_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymized_at = models.DateTimeField("anonymized", null=True, blank=True)
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)
    # Counts the writes to what the API shows of the customer (its own saves and every write of
    # its items, CustomerItemQuerySet); cached documents are keyed by it, so a write makes every
    # earlier document unreachable.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Part of every browser session's hash: counting it up ends all the customer's sessions
    # ("log out everywhere"), as a new password hash does.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = CustomerManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    # What createsuperuser asks for beside the e-mail: a staff account is a customer too.
    REQUIRED_FIELDS = ["salutation", "first_name", "last_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email_canonical"], name=EMAIL_CONSTRAINT),
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

    def get_session_auth_hash(self) -> str:
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=secret)

    def _session_hash(self, secret: str | None) -> str:
        """Django's session hash of the password, with the session epoch mixed in."""
        return salted_hmac(
            "customers.Customer.session_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def save(self, *args, **kwargs) -> None:
        self.email_canonical = canonical_email(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_canonical"}
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


def count_versions_up(customer_ids: Iterable[int], using: str | None = None) -> None:
    """These customers' data changed: documents rendered before are outdated."""
    ids = {pk for pk in customer_ids if pk is not None}
    if ids:
        Customer.objects.using(using).filter(pk__in=ids).update(
            data_version=models.F("data_version") + 1
        )


class CustomerItemQuerySet(models.QuerySet):
    """The items of customers (addresses, relations, properties), whatever writes them.

    Every write API Django offers — ``update``, ``delete``, ``bulk_create``, ``bulk_update``
    here, ``save`` and ``delete`` on :class:`CustomerItem` — counts the owning customers'
    ``data_version`` up in the same transaction, so no cached document outlives a change made
    by the API, the admin, a command or a shell.
    """

    def _count_owner_versions_up(self) -> None:
        """Count up the versions of the customers these items belong to now, in one UPDATE."""
        owners = self.order_by().values("customer_id")
        Customer.objects.using(self.db).filter(pk__in=models.Subquery(owners)).update(
            data_version=models.F("data_version") + 1
        )

    def update(self, **changes) -> int:
        with transaction.atomic(using=self.db, savepoint=False):
            self._count_owner_versions_up()
            moved_to = changes.get("customer_id", changes.get("customer"))
            if moved_to is not None:
                count_versions_up([getattr(moved_to, "pk", moved_to)], using=self.db)
            return super().update(**changes)

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            self._count_owner_versions_up()
            return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            count_versions_up((item.customer_id for item in objs), using=self.db)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            if "customer" in fields or "customer_id" in fields:
                self.filter(pk__in=[item.pk for item in objs])._count_owner_versions_up()
            updated = super().bulk_update(objs, fields, *args, **kwargs)
            count_versions_up((item.customer_id for item in objs), using=self.db)
        return updated


class CustomerItem(models.Model):
    """An item of a customer; see :class:`CustomerItemQuerySet`.

    Concrete models declare the ``customer`` foreign key.
    """

    objects = CustomerItemQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)
            owners = {self.customer_id, getattr(self, "_stored_customer_id", None)}
            count_versions_up(owners, using=self._state.db)
        self._stored_customer_id = self.customer_id

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            deleted = super().delete(*args, **kwargs)
            count_versions_up([self.customer_id], using=self._state.db)
        return deleted

    @classmethod
    def from_db(cls, db, field_names, values):
        item = super().from_db(db, field_names, values)
        item._stored_customer_id = item.__dict__.get("customer_id")
        return item


class ActivityType(models.TextChoices):
    """What happened to an account (contract §11.5)."""

    LOGIN = "login"
    LOGIN_FAILED = "login-failed"
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password-changed"  # noqa: S105 (an activity type)
    PASSWORD_RESTORED = "password-restored"  # noqa: S105 (an activity type)
    EMAIL_CHANGE_REQUESTED = "email-change-requested"
    EMAIL_CHANGED = "email-changed"
    PROFILE_CHANGED = "profile-changed"
    TOKEN_REFRESHED_REUSED = "token-refreshed-reused"  # noqa: S105 (an activity type)


ACTIVITY_ORDER = ("-created_at", "-id")


class CustomerActivity(models.Model):
    """One entry of a customer's activity log: what happened, when, from where.

    Not a :class:`CustomerItem`: a log in writes one row and nothing else, so recording does
    not count the customer's ``data_version`` up; the activity list and the data export tag
    their documents by their content instead (``customers.views``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities"
    )
    activity_type = models.CharField("activity", max_length=32, choices=ActivityType)
    created_at = models.DateTimeField("when", default=timezone.now, editable=False)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField("user agent", max_length=255, blank=True)

    class Meta:
        verbose_name = "customer activity"
        verbose_name_plural = "customer activities"
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="activity_order"),
            models.Index(fields=["created_at"], name="activity_age"),
        ]

    def __str__(self) -> str:
        return self.activity_type
