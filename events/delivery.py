"""Delivering outbox rows: e-mails to the mail server, events to webhook endpoints.

A delivery takes a lease on its row in a short transaction, talks to the outside world
outside any transaction, and records the outcome in another. The lease keeps a second worker
off the row meanwhile; if the worker dies, the lease runs out and the sweep hands the row to
another. Each task names the row and the number of tries it had when the task was sent, so a
task sent twice (by the commit and by the sweep, say) tries once: deliveries are at least
once, and rarely more.

Webhooks follow the Standard Webhooks specification; an endpoint gets a customer's events in
the order they happened: a delivery waits while an older one of the same customer to the
same endpoint is pending.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import socket
import threading
import time
from datetime import datetime, timedelta

import requests
import requests.adapters
import urllib3
import urllib3.connection
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from events import dispatch, tasks
from events.models import (
    SECRET_PREFIX,
    DeliveryAttempt,
    Event,
    OutboxRow,
    OutgoingMail,
    WebhookDelivery,
)

logger = logging.getLogger(__name__)

PENDING = OutboxRow.Status.PENDING
SWEEP_BATCH = 500
SWEEP_BATCHES = 20  # at most 10,000 rows of each kind per sweep
# Deliveries of one customer to one endpoint that a task makes in a row before it hands on.
FOLLOW_ON = 100
# What is read of a webhook endpoint's answer body, at most (bytes), and in chunks of.
ANSWER_BODY_LIMIT = 64 * 1024
ANSWER_CHUNK = 8192
_local = threading.local()


def _lease_free(now: datetime) -> Q:
    return Q(leased_until__isnull=True) | Q(leased_until__lt=now)


def _take_lease(model: type[OutboxRow], pk: int, attempts: int, now: datetime) -> bool:
    """Hold the row for this worker if it is pending, free, and still at ``attempts`` tries."""
    lease = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    return bool(
        model.objects.filter(_lease_free(now), pk=pk, status=PENDING, attempts=attempts).update(
            leased_until=lease
        )
    )


def next_try(row: OutboxRow, now: datetime, delays: list[int], give_up_after: timedelta):
    """When to try a failed row again (the delays grow, the last repeats), or None: give up."""
    if now - row.created_at >= give_up_after:
        return None
    return now + timedelta(seconds=delays[min(row.attempts, len(delays)) - 1])


def _record_outcome(
    row: OutboxRow,
    now: datetime,
    *,
    error: str,
    delays: list[int],
    give_up_after: timedelta,
) -> None:
    """Count the try on ``row``: delivered when ``error`` is empty, else retried or given up."""
    row.attempts += 1
    row.last_attempt_at = now
    row.leased_until = None
    row.last_error = error[:500]
    if not error:
        row.status, row.delivered_at, row.next_attempt_at = OutboxRow.Status.DELIVERED, now, None
    else:
        row.next_attempt_at = next_try(row, now, delays, give_up_after)
        if row.next_attempt_at is None:
            row.status = OutboxRow.Status.FAILED


# --- E-mail -----------------------------------------------------------------------------------


def deliver_mail(mail_id: int, attempts: int) -> None:
    """Send the outgoing e-mail, if it is still pending at ``attempts`` tries."""
    now = timezone.now()
    with transaction.atomic():
        if not _take_lease(OutgoingMail, mail_id, attempts, now):
            return
        mail = OutgoingMail.objects.get(pk=mail_id)
        if mail.renderer and not _render(mail):
            return
    error = ""
    try:
        _message(mail).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        # The message is not logged: it may hold a key.
        logger.warning("Sending e-mail #%s failed (%s)", mail.pk, type(exc).__name__)
    _record_outcome(
        mail,
        timezone.now(),
        error=error,
        delays=settings.MAIL_RETRY_DELAYS,
        give_up_after=timedelta(hours=settings.MAIL_RETRY_HOURS),
    )
    fields = ["attempts", "last_attempt_at", "leased_until", "last_error", "status"]
    fields += ["delivered_at", "next_attempt_at"]
    if mail.status == OutboxRow.Status.DELIVERED:
        mail.body = mail.html_body = ""
        fields += ["body", "html_body"]
    mail.save(update_fields=fields)


def _render(mail: OutgoingMail) -> bool:
    """Render a mail whose content is made by the worker; False when there is nothing to send.

    Runs in the transaction that took the lease, so the rendered mail (and whatever the
    renderer stored, such as a restore key) is kept before anything is sent: a retry sends
    the same message.
    """
    message = import_string(mail.renderer)(mail.recipient)
    if message is None:
        mail.status, mail.leased_until, mail.next_attempt_at = OutboxRow.Status.DROPPED, None, None
        mail.recipient = ""
        mail.save(update_fields=["status", "leased_until", "next_attempt_at", "recipient"])
        return False
    alternatives = getattr(message, "alternatives", ())
    mail.renderer = ""
    (mail.recipient,) = message.to
    mail.subject = message.subject
    mail.body = message.body
    mail.html_body = next((content for content, kind in alternatives if kind == "text/html"), "")
    mail.save()
    return True


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient],
        headers={"Message-ID": f"<outbox-{mail.pk}-{mail.created_at:%Y%m%d%H%M%S}@events>"},
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


# --- Webhooks ---------------------------------------------------------------------------------


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The ``webhook-signature`` header: ``v1,`` and the base64 HMAC-SHA256 of
    ``id.timestamp.body`` with the secret's bytes (Standard Webhooks)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def webhook_body(event: Event) -> str:
    """The JSON body of the event's deliveries."""
    return json.dumps(
        {
            "type": event.event_type,
            "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
            "data": event.data,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def deliver_webhook(delivery_id: int, attempts: int) -> None:
    """POST the event to the endpoint, if the delivery is pending at ``attempts`` tries and
    no older event of the customer is waiting for that endpoint; then the customer's next
    events for that endpoint, one after another, up to ``FOLLOW_ON`` of them."""
    for _ in range(FOLLOW_ON):
        delivery = _claim_webhook(delivery_id, attempts)
        if delivery is None:
            return
        following = _attempt(delivery)
        if following is None:
            return
        delivery_id, attempts = following
    dispatch.run(tasks.deliver_webhook, delivery_id, attempts)


def _claim_webhook(delivery_id: int, attempts: int) -> WebhookDelivery | None:
    """Lease the delivery if it is the oldest pending one of its customer and endpoint, and
    the endpoint is active."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        _lease_free(now),
        ~Exists(_older_pending()),
        pk=delivery_id,
        status=PENDING,
        attempts=attempts,
    ).update(leased_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS))
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    if not delivery.endpoint.is_active:
        # It waits, pending, until the endpoint is active again.
        WebhookDelivery.objects.filter(pk=delivery_id).update(leased_until=None)
        return None
    return delivery


def _older_pending():
    """An older pending delivery of the same customer to the same endpoint (a subquery)."""
    return WebhookDelivery.objects.filter(
        endpoint_id=OuterRef("endpoint_id"),
        customer_reference=OuterRef("customer_reference"),
        status=PENDING,
        pk__lt=OuterRef("pk"),
    )


def _attempt(delivery: WebhookDelivery) -> tuple[int, int] | None:
    """Try the delivery once and record it; answers the customer's next delivery to the
    endpoint (id, tries) when this one is done with, else None."""
    status_code, error, duration_ms = _post(delivery)
    now = timezone.now()
    with transaction.atomic():
        _record_outcome(
            delivery,
            now,
            error=error,
            delays=settings.WEBHOOK_RETRY_DELAYS,
            give_up_after=timedelta(hours=settings.WEBHOOK_RETRY_HOURS),
        )
        delivery.last_status_code = status_code
        delivery.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "leased_until",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
                "last_status_code",
            ]
        )
        DeliveryAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            status_code=status_code,
            error=error[:500],
            duration_ms=duration_ms,
        )
    if delivery.status == PENDING:
        return None
    return (
        WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            customer_reference=delivery.customer_reference,
            status=PENDING,
            pk__gt=delivery.pk,
        )
        .order_by("pk")
        .values_list("pk", "attempts")
        .first()
    )


def _post(delivery: WebhookDelivery) -> tuple[int | None, str, int]:
    """Send the delivery once: (status code or None, error or "", milliseconds)."""
    event, endpoint = delivery.event, delivery.endpoint
    body = webhook_body(event)
    message_id = f"msg_{event.event_id.hex}"
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "customer-account-service-webhooks",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(endpoint.secret, message_id, timestamp, body),
    }
    started = time.monotonic()
    try:
        with _session().post(
            endpoint.url,
            data=body.encode(),
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
            stream=True,
        ) as response:
            _drop_answer_body(response, started + settings.WEBHOOK_TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        return None, type(exc).__name__, _elapsed_ms(started)
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return response.status_code, error, _elapsed_ms(started)


def _drop_answer_body(response: requests.Response, deadline: float) -> None:
    """Read and drop a short answer body, so that the connection can carry the next event.

    The status is the endpoint's whole answer. A body longer than ``ANSWER_BODY_LIMIT``, or
    one still arriving at the deadline, is cut off (the connection is then closed): an endless
    or dribbling answer would hold the worker, and read whole, fill its memory.
    """
    read = 0
    try:
        # read1: what has arrived, rather than waiting for a whole chunk.
        while chunk := response.raw.read1(ANSWER_CHUNK, decode_content=False):
            read += len(chunk)
            if read > ANSWER_BODY_LIMIT or time.monotonic() > deadline:
                return
    except (urllib3.exceptions.HTTPError, OSError):
        pass


def _session() -> requests.Session:
    """This thread's HTTP session: connections to an endpoint are kept open between events."""
    if not hasattr(_local, "session"):
        session = requests.Session()
        adapter = _HeaderDeadlineAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _local.session = session
    return _local.session


class _Watchdog:
    """One thread that shuts down the sockets of connections that are past their deadline.

    Started in the process that first needs it (a forked worker starts its own); it looks
    every ``INTERVAL`` seconds, so a deadline is kept to within that much.
    """

    INTERVAL = 0.1

    def __init__(self) -> None:
        self._deadlines: dict[_HeaderDeadline, float] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def watch(self, connection: _HeaderDeadline, seconds: float) -> None:
        with self._lock:
            self._deadlines[connection] = time.monotonic() + seconds
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="webhook-watchdog")
                self._thread.daemon = True
                self._thread.start()

    def forget(self, connection: _HeaderDeadline) -> None:
        with self._lock:
            self._deadlines.pop(connection, None)

    def _run(self) -> None:
        while True:
            time.sleep(self.INTERVAL)
            now = time.monotonic()
            with self._lock:
                due = [connection for connection, at in self._deadlines.items() if at <= now]
                for connection in due:
                    del self._deadlines[connection]
            for connection in due:
                connection.cut_off()


class _HeaderDeadline:
    """An HTTP connection whose answer's status and headers must all arrive within twice
    ``WEBHOOK_TIMEOUT_SECONDS``; at that deadline the socket is shut down.

    ``requests`` times each read, so an endpoint sending a header line now and then held the
    worker for ever, and, when the row's lease ran out, the next worker too. A silent endpoint
    still times out as a read does, after ``WEBHOOK_TIMEOUT_SECONDS`` (``ReadTimeout``).
    """

    sock: socket.socket | None

    def getresponse(self, *args, **kwargs):
        _watchdog.watch(self, 2 * settings.WEBHOOK_TIMEOUT_SECONDS)
        try:
            return super().getresponse(*args, **kwargs)
        finally:
            _watchdog.forget(self)

    def cut_off(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            self.sock.shutdown(socket.SHUT_RDWR)


_watchdog = _Watchdog()


class _HeaderDeadlineHTTPConnection(_HeaderDeadline, urllib3.connection.HTTPConnection):
    pass


class _HeaderDeadlineHTTPSConnection(_HeaderDeadline, urllib3.connection.HTTPSConnection):
    pass


class _HeaderDeadlineHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HeaderDeadlineHTTPConnection


class _HeaderDeadlineHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HeaderDeadlineHTTPSConnection


class _HeaderDeadlineAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter, with connections of :class:`_HeaderDeadline`."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _HeaderDeadlineHTTPPool,
            "https": _HeaderDeadlineHTTPSPool,
        }


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


# --- The sweep --------------------------------------------------------------------------------


def sweep(now: datetime | None = None) -> int:
    """Hand over every row that is due and not held by a worker; answers how many.

    A row handed over is not taken up again for ``OUTBOX_REQUEUE_SECONDS``: a task waiting
    in a long queue is not sent twice, and one that was lost is sent again after that. Of a
    customer's deliveries to an endpoint only the oldest pending one is handed over; the task
    that delivers it goes on with the next.
    """
    now = now or timezone.now()
    handed_over = 0
    queue_heads = Q(~Exists(_older_pending()), endpoint__is_active=True)
    for model, task, extra in (
        (OutgoingMail, tasks.deliver_mail, Q()),
        (WebhookDelivery, tasks.deliver_webhook, queue_heads),
    ):
        for _ in range(SWEEP_BATCHES):
            due = list(
                model.objects.filter(
                    _lease_free(now), extra, status=PENDING, next_attempt_at__lte=now
                )
                .order_by("pk")
                .values_list("pk", "attempts")[:SWEEP_BATCH]
            )
            requeue = now + timedelta(seconds=settings.OUTBOX_REQUEUE_SECONDS)
            model.objects.filter(pk__in=[pk for pk, _ in due]).update(next_attempt_at=requeue)
            for pk, attempts in due:
                dispatch.run(task, pk, attempts)
            handed_over += len(due)
            if len(due) < SWEEP_BATCH:
                break
    return handed_over


def purge(now: datetime | None = None) -> int:
    """Delete what was delivered or given up more than ``OUTBOX_RETENTION_DAYS`` ago."""
    before = (now or timezone.now()) - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    done = ~Q(status=PENDING)
    mails, _ = OutgoingMail.objects.filter(done, created_at__lt=before).delete()
    events, _ = (
        Event.objects.filter(occurred_at__lt=before).exclude(deliveries__status=PENDING).delete()
    )
    return mails + events
