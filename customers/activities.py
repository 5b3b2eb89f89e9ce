"""The account's activity log: one function records every entry (contract §11.5)."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Subquery
from django.http import HttpRequest
from django.utils import timezone

from customers.locking import lock_live_customer
from customers.models import ActivityType, CustomerActivity
from operations.client_ip import client_ip

USER_AGENT_MAX_LENGTH = 255
# Far above what a year of an account's use records (a few entries a day), and a bound on what
# a customer's own requests (a PATCH or log in a second) or other clients' failed log ins can
# add: every entry is rendered in the data export, which renders the whole log in one document.
MAX_ACTIVITIES_PER_CUSTOMER = 10_000


def _ip_address(request: HttpRequest) -> str | None:
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record_activity(
    *, customer_id: int, activity_type: ActivityType, request: HttpRequest | None = None
) -> None:
    """Add an entry to the customer's activity log, and keep only its newest
    :data:`MAX_ACTIVITIES_PER_CUSTOMER` entries: one INSERT and one DELETE.

    Every entry is written here; callers reach it through the module
    (``activities.record_activity``), so replacing it replaces all recording.

    The caller holds the customer's row lock (``customers.locking``) in its transaction, so an
    anonymization, which deletes the log under that lock, never leaves an entry behind.
    """
    meta = request.META if request is not None else {}
    CustomerActivity.objects.create(
        customer_id=customer_id,
        activity_type=activity_type,
        ip_address=_ip_address(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
    )
    _forget_entries_past_the_cap(customer_id)


def _forget_entries_past_the_cap(customer_id: int) -> None:
    """Delete the entries older than the customer's newest ``MAX_ACTIVITIES_PER_CUSTOMER``.

    One statement, reading the customer's entries newest first by the log's index.
    """
    entries = CustomerActivity.objects.filter(customer_id=customer_id)
    last_kept = entries.order_by("-created_at").values("created_at")[
        MAX_ACTIVITIES_PER_CUSTOMER - 1 : MAX_ACTIVITIES_PER_CUSTOMER
    ]
    entries.filter(created_at__lt=Subquery(last_kept)).delete()


def record_activity_of_live_customer(
    *, customer_id: int, activity_type: ActivityType, request: HttpRequest | None = None
) -> None:
    """:func:`record_activity` for a caller holding no lock; nothing for a closed account.

    Commits on its own, so a failed log in is recorded although its request fails.
    """
    with transaction.atomic():
        if lock_live_customer(customer_id) is not None:
            record_activity(customer_id=customer_id, activity_type=activity_type, request=request)


def purge_old_activities() -> int:
    """Delete entries older than ``ACTIVITY_RETENTION_DAYS``; answers how many."""
    cutoff = timezone.now() - timedelta(days=settings.ACTIVITY_RETENTION_DAYS)
    deleted, _ = CustomerActivity.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def forget_activities(customer_id: int) -> None:
    """Delete the customer's whole log (anonymization, under the customer's lock)."""
    CustomerActivity.objects.filter(customer_id=customer_id).delete()
