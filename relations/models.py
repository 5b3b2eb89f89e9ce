"""A relation ties a customer to an item of another domain (Aimeos' customer lists)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from customers.models import CustomerItem

UNIQUE_CONSTRAINT = "relation_unique_per_customer"
DEFAULT_RELATION_TYPE = "default"
# Lists show relations by position, then by age; the id makes equal rows stable.
LIST_ORDER = ("position", "created_at", "id")


class Relation(CustomerItem):
    """A favorite product, a watched product, a saved payment service, anything."""

    class Status(models.IntegerChoices):
        ARCHIVED = -2
        REVIEW = -1
        DISABLED = 0
        ENABLED = 1

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer_relations"
    )
    domain = models.CharField(max_length=32)
    relation_type = models.CharField(max_length=64, default=DEFAULT_RELATION_TYPE)
    ref_id = models.CharField(
        "item id", max_length=36, help_text="The id of the related item in its own system."
    )
    date_start = models.DateTimeField("starts", null=True, blank=True)
    date_end = models.DateTimeField("ends", null=True, blank=True)
    config = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)
    status = models.SmallIntegerField(choices=Status, default=Status.ENABLED)
    # What notify_watchers last announced for a watched product, so a change is told once.
    notified_at = models.DateTimeField("last notified", null=True, blank=True, editable=False)
    notified_state = models.CharField(
        "state last notified", max_length=255, blank=True, editable=False
    )
    # Set by the service rather than auto_now_add: dateEnd may be computed from it.
    created_at = models.DateTimeField("created", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "domain", "relation_type", "ref_id"], name=UNIQUE_CONSTRAINT
            ),
            models.CheckConstraint(
                condition=Q(date_start__isnull=True)
                | Q(date_end__isnull=True)
                | Q(date_end__gt=F("date_start")),
                name="relation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[-2, -1, 0, 1]), name="relation_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "position", "created_at"], name="relation_order"),
            models.Index(fields=["relation_type", "domain", "ref_id"], name="relation_item"),
        ]

    def __str__(self) -> str:
        return f"{self.domain} {self.relation_type} {self.ref_id}"


class WatchFeed(models.Model):
    """A product feed that ``notify_watchers`` is announcing, shared by the workers doing it.

    The customers with watches are split into ranges of ids (chunks) that workers take in
    parallel; the counters say how far the run is.
    """

    created_at = models.DateTimeField("started", default=timezone.now)
    first_customer_id = models.PositiveBigIntegerField(null=True)
    chunks = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    customers_notified = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"feed of {self.created_at:%Y-%m-%d %H:%M}"


class WatchFeedOffer(models.Model):
    """One usable line of a :class:`WatchFeed`."""

    feed = models.ForeignKey(WatchFeed, on_delete=models.CASCADE, related_name="offers")
    product_id = models.CharField(max_length=36)
    in_stock = models.BooleanField(null=True)
    currency = models.CharField(max_length=3, null=True)
    # As written in the feed ("12.50"): announcements show the price as the shop wrote it.
    price = models.CharField(max_length=26, null=True)

    class Meta:
        indexes = [models.Index(fields=["feed", "product_id"], name="feed_offer_product")]

    def __str__(self) -> str:
        return self.product_id


class ProductStock(models.Model):
    """What the product feeds last said of a product's stock, so only a product's way from
    out of stock back into stock is news (a product never seen out of stock is not "back")."""

    product_id = models.CharField(max_length=36, unique=True)
    in_stock = models.BooleanField()
    # When a feed last showed the product back in stock after one that showed it out of stock.
    restocked_at = models.DateTimeField("back in stock", null=True, blank=True)
    seen_at = models.DateTimeField("last seen")

    def __str__(self) -> str:
        return self.product_id
