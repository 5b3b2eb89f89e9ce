"""The outbox: rows written in the business transaction, delivered after it by a worker.

An :class:`Event` says what happened to a customer's data; it is delivered to every
:class:`WebhookEndpoint` that wants its type, one :class:`WebhookDelivery` row per endpoint,
each try recorded as a :class:`DeliveryAttempt`. An :class:`OutgoingMail` is an e-mail waiting
for the mail server. Delivery rows share :class:`OutboxRow`'s bookkeeping.
"""

from __future__ import annotations

import base64
import secrets
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

SECRET_PREFIX = "whsec_"  # noqa: S105 (the Standard Webhooks prefix)


# Deliveries are HTTP POSTs: Django's URL validator also takes ftp:// and ftps://, which
# would fail every try for the whole retry window.
webhook_url_validator = URLValidator(schemes=["http", "https"])


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class EventType(models.TextChoices):
    CUSTOMER_REGISTERED = "customer.registered"
    CUSTOMER_CONFIRMED = "customer.confirmed"
    CUSTOMER_UPDATED = "customer.updated"
    CUSTOMER_EMAIL_CHANGED = "customer.email_changed"
    CUSTOMER_PASSWORD_CHANGED = "customer.password_changed"  # noqa: S105 (an event type)
    CUSTOMER_ANONYMIZED = "customer.anonymized"
    ADDRESS_CREATED = "address.created"
    ADDRESS_UPDATED = "address.updated"
    ADDRESS_DELETED = "address.deleted"
    RELATION_CREATED = "relation.created"
    RELATION_UPDATED = "relation.updated"
    RELATION_DELETED = "relation.deleted"
    PROPERTY_CREATED = "property.created"
    PROPERTY_UPDATED = "property.updated"
    PROPERTY_DELETED = "property.deleted"


class Event(models.Model):
    """Something that happened to a customer's data, in the order it happened."""

    # Random, so no index is needed to keep it unique: every write pays for each index.
    event_id = models.UUIDField("webhook id", default=uuid.uuid4, editable=False)
    event_type = models.CharField("type", max_length=64, choices=EventType)
    customer_reference = models.CharField("customer", max_length=64, db_index=True)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    occurred_at = models.DateTimeField("occurred", default=timezone.now)

    class Meta:
        ordering = ("-id",)

    def __str__(self) -> str:
        return f"{self.event_type} {self.customer_reference}"


class WebhookEndpoint(models.Model):
    """A receiver of events, registered by staff."""

    url = models.URLField("URL", max_length=500, validators=[webhook_url_validator])
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(
        max_length=100,
        default=new_webhook_secret,
        help_text="Receivers verify signatures with it (Standard Webhooks, whsec_…).",
    )
    event_types = models.JSONField(
        "event types",
        default=list,
        blank=True,
        help_text="The types this endpoint receives; none means every type.",
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("created", auto_now_add=True)

    def __str__(self) -> str:
        return self.description or self.url


class OutboxRow(models.Model):
    """What every row waiting for delivery records: its state, tries and next try."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed", "failed (retries used up)"
        DROPPED = "dropped", "dropped (nothing to send)"

    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField("next try", default=timezone.now, null=True)
    # A worker delivering the row holds it until then; a killed worker's hold runs out.
    leased_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField("last try", null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField("delivered", null=True, blank=True)
    created_at = models.DateTimeField("created", default=timezone.now)

    class Meta:
        abstract = True


class WebhookDelivery(OutboxRow):
    """One event on its way to one endpoint."""

    # Both looked up through the indexes below; endpoints are deactivated, never deleted.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    # The event's, copied: an endpoint gets a customer's events one after another.
    customer_reference = models.CharField("customer", max_length=64)
    last_status_code = models.PositiveSmallIntegerField("last answer", null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ("-id",)
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="delivery_once_per_endpoint")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_due",
            ),
            models.Index(
                fields=["endpoint", "customer_reference", "id"],
                condition=Q(status="pending"),
                name="delivery_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class DeliveryAttempt(models.Model):
    """One try of a delivery and the endpoint's answer."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField("tried", default=timezone.now)
    status_code = models.PositiveSmallIntegerField("answer", null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField("duration (ms)", default=0)

    class Meta:
        ordering = ("attempted_at", "id")

    def __str__(self) -> str:
        return f"{self.status_code or self.error} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"


class OutgoingMail(OutboxRow):
    """An e-mail waiting for the mail server.

    A rendered mail holds its subject and bodies until it is sent, then only its recipient
    and state: a link with a key is never kept longer than needed. A mail rendered later
    (a password restore request) holds the function that renders it and, as ``recipient``,
    the argument it is called with (the canonical e-mail asked for): the worker looks the
    account up and stores a key, so the request did the same work for every e-mail.
    """

    renderer = models.CharField(max_length=100, blank=True, editable=False)
    customer_reference = models.CharField("customer", max_length=64, blank=True, db_index=True)
    recipient = models.CharField(max_length=320, db_index=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)

    class Meta:
        verbose_name = "outgoing e-mail"
        ordering = ("-id",)
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="mail_due"
            ),
        ]

    def __str__(self) -> str:
        return f"e-mail #{self.pk}"
