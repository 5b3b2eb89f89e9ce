"""Writing to the outbox, inside the business transaction: events, e-mails, and forgetting.

Each function here must run in the transaction of the change it records, so the row and the
change commit or roll back together; the delivery is handed over for after the commit.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from events import dispatch, tasks
from events.models import (
    Event,
    EventType,
    OutboxRow,
    OutgoingMail,
    WebhookDelivery,
    WebhookEndpoint,
)
from events.payloads import Customer, attribute_name, customer_data, item_data


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("Outbox rows are written in the transaction of the change.")


def record_event(
    *, customer: Customer, event_type: EventType, data: dict[str, Any] | None = None
) -> Event:
    """Record that ``event_type`` happened to the customer, for every endpoint that wants it."""
    _require_transaction()
    reference = customer.customer_reference
    event = Event.objects.create(
        event_type=event_type,
        customer_reference=reference,
        data={"customerReference": reference, **(data or {})},
    )
    endpoints = [pk for pk, types in _active_endpoints() if not types or event_type in types]
    if endpoints:
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                event=event,
                endpoint_id=endpoint,
                customer_reference=reference,
                next_attempt_at=_first_sweep(),
            )
            for endpoint in endpoints
        )
        for delivery in deliveries:
            dispatch.after_commit(tasks.deliver_webhook, delivery.pk, 0)
    return event


_endpoints: tuple[float, list[tuple[int, list[str]]]] = (0.0, [])


def _active_endpoints() -> list[tuple[int, list[str]]]:
    """(id, event types) of the active endpoints, read at most every
    ``WEBHOOK_ENDPOINT_CACHE_SECONDS``: every write asks, and endpoints seldom change."""
    global _endpoints
    read_at, endpoints = _endpoints
    if time.monotonic() - read_at >= settings.WEBHOOK_ENDPOINT_CACHE_SECONDS:
        endpoints = list(
            WebhookEndpoint.objects.filter(is_active=True).values_list("pk", "event_types")
        )
        _endpoints = (time.monotonic(), endpoints)
    return endpoints


def record_customer_event(*, customer: Customer, event_type: EventType, **extra: Any) -> Event:
    """An event carrying the customer's profile."""
    return record_event(
        customer=customer, event_type=event_type, data={**customer_data(customer), **extra}
    )


def record_customer_changes(*, customer: Customer, changed: Iterable[str]) -> None:
    """``customer.email_changed`` for a new e-mail, ``customer.updated`` for the rest."""
    changed = set(changed)
    if "email" in changed:
        record_event(
            customer=customer,
            event_type=EventType.CUSTOMER_EMAIL_CHANGED,
            data={"email": customer.email},
        )
    others = sorted(changed - {"email"})
    if others:
        record_customer_event(
            customer=customer,
            event_type=EventType.CUSTOMER_UPDATED,
            changed=[attribute_name(name) for name in others],
        )


def record_item_event(*, customer: Customer, item: models.Model, action: str) -> Event:
    """``address.created``, ``relation.deleted``, …: ``action`` is created, updated or deleted.

    The data names the item by its kind (``{"address": {...}}``); a deleted item's, by its id.
    """
    kind = item._meta.model_name
    data = {"id": str(item.pk)} if action == "deleted" else item_data(item)
    return record_event(
        customer=customer, event_type=EventType(f"{kind}.{action}"), data={kind: data}
    )


def queue_mail(message: EmailMessage, *, customer: Customer | None = None) -> OutgoingMail:
    """Send ``message`` (one recipient) once the transaction commits, until it is delivered."""
    _require_transaction()
    (recipient,) = message.to
    alternatives = getattr(message, "alternatives", ())
    html = next((content for content, kind in alternatives if kind == "text/html"), "")
    mail = OutgoingMail.objects.create(
        customer_reference=customer.customer_reference if customer else "",
        recipient=recipient,
        subject=message.subject,
        body=message.body,
        html_body=html,
        next_attempt_at=_first_sweep(),
    )
    dispatch.after_commit(tasks.deliver_mail, mail.pk, 0)
    return mail


def queue_rendered_later(*, renderer: str, argument: str) -> OutgoingMail:
    """A mail that the worker renders: ``renderer`` (a dotted function path) is called with
    ``argument`` and answers the message, or None when there is nothing to send."""
    _require_transaction()
    mail = OutgoingMail.objects.create(
        renderer=renderer, recipient=argument, next_attempt_at=_first_sweep()
    )
    dispatch.after_commit(tasks.deliver_mail, mail.pk, 0)
    return mail


def forget_customer(customer: Customer) -> None:
    """Keep nothing personal of the customer in the outbox (anonymization).

    Earlier events keep their place in the order and are still delivered, carrying the
    customer's reference alone; e-mails to the customer, sent or not, are deleted.
    """
    _require_transaction()
    reference = customer.customer_reference
    Event.objects.filter(customer_reference=reference).update(data={"customerReference": reference})
    OutgoingMail.objects.filter(
        Q(customer_reference=reference)
        | Q(recipient__in={customer.email, customer.email_canonical})
    ).delete()


def send_again(deliveries: Iterable[WebhookDelivery]) -> int:
    """Deliver these again, whatever their state; answers how many (the admin's action)."""
    count = 0
    for delivery in deliveries:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=OutboxRow.Status.PENDING, next_attempt_at=_first_sweep(), leased_until=None
        )
        dispatch.after_commit(tasks.deliver_webhook, delivery.pk, delivery.attempts)
        count += 1
    return count


def _first_sweep() -> datetime:
    """When the sweep takes a row up if the hand-over after the commit never ran."""
    return timezone.now() + timedelta(seconds=settings.OUTBOX_REQUEUE_SECONDS)
