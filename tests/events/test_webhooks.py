"""§11.6: webhooks in the Standard Webhooks format, retried, in order per customer."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from customers.models import Customer
from customers.services import anonymize_customer, update_customer
from events.delivery import sweep
from events.models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint, new_webhook_secret
from tests.admin_pages import changelist_column
from tests.events.receiver import BareEndpoint
from tests.factories import CustomerFactory

TIMEOUT = 0.5


@pytest.fixture(autouse=True)
def _quick_retries(settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = TIMEOUT
    settings.WEBHOOK_RETRY_DELAYS = [5, 60, 300, 1800, 7200, 18000, 36000]


def rename(customer, *names: str) -> None:
    """One ``customer.updated`` event per name, each delivered after its commit."""
    for name in names:
        with TestCase.captureOnCommitCallbacks(execute=True):
            update_customer(customer=customer, changes={"first_name": name})


def sweep_at(when) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        sweep(now=when)


def accepted_names(receiver, customer) -> list[str]:
    return [
        item.data["firstName"]
        for item in receiver.accepted()
        if item.data["customerReference"] == customer.customer_reference
    ]


def test_a_delivery_is_signed_and_shaped_as_standard_webhooks(endpoint, receiver, customer):
    rename(customer, "Ewa")

    (item,) = receiver.accepted()
    assert item.message_id.startswith("msg_")
    assert item.event_type == "customer.updated"
    assert item.data["customerReference"] == customer.customer_reference
    assert item.data["firstName"] == "Ewa"
    assert receiver.refused == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_500_then_a_timeout_then_200_is_retried_and_delivered_in_order(
    endpoint, receiver, customer
):
    other = CustomerFactory()
    failing: dict[str, str] = {}

    def behaviour(message_id: str, number: int) -> tuple[int, float]:
        if failing.setdefault("id", message_id) != message_id:
            return 200, 0
        return {1: (500, 0), 2: (504, TIMEOUT * 3)}.get(number, (200, 0))

    receiver.behaviour = behaviour
    rename(customer, "A1", "A2", "A3")
    rename(other, "B1")

    assert accepted_names(receiver, customer) == []
    assert accepted_names(receiver, other) == ["B1"]  # another customer's queue is not held
    first = WebhookDelivery.objects.order_by("pk").first()
    assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
    assert first.next_attempt_at >= first.last_attempt_at + timedelta(seconds=5)

    sweep_at(first.next_attempt_at - timedelta(seconds=1))  # not yet due
    assert DeliveryAttempt.objects.filter(delivery=first).count() == 1
    sweep_at(first.next_attempt_at)
    first.refresh_from_db()
    assert (first.attempts, first.last_status_code, first.last_error) == (2, None, "ReadTimeout")
    assert first.next_attempt_at >= first.last_attempt_at + timedelta(seconds=60)
    assert accepted_names(receiver, customer) == []

    sweep_at(first.next_attempt_at)

    assert accepted_names(receiver, customer) == ["A1", "A2", "A3"]
    first.refresh_from_db()
    assert first.status == "delivered"
    assert [(attempt.status_code, attempt.error) for attempt in first.attempt_log.all()] == [
        (500, "HTTP 500"),
        (None, "ReadTimeout"),
        (200, ""),
    ]
    assert WebhookDelivery.objects.filter(status="pending").count() == 0
    assert receiver.refused == []


def test_a_failing_endpoint_is_retried_with_growing_delays_for_more_than_24_hours(
    endpoint, receiver, customer
):
    receiver.behaviour = lambda message_id, number: (503, 0)
    rename(customer, "Ewa")
    delivery = WebhookDelivery.objects.get()
    waited: list[timedelta] = []

    while delivery.status == "pending" and len(waited) < 50:
        # As if the delay had passed: the delivery was made that much earlier.
        delay = delivery.next_attempt_at - delivery.last_attempt_at
        waited.append(delay)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            created_at=delivery.created_at - delay
        )
        sweep_at(delivery.next_attempt_at)
        delivery.refresh_from_db()

    assert delivery.status == "failed"
    assert delivery.next_attempt_at is None
    assert sum(waited, timedelta()) >= timedelta(hours=24)
    assert waited == sorted(waited)
    assert waited[0] == timedelta(seconds=5)
    assert delivery.attempts == len(waited) + 1 == delivery.attempt_log.count()


def test_a_given_up_delivery_no_longer_holds_the_customers_later_events(
    endpoint, receiver, customer
):
    failing: dict[int, str] = {}
    receiver.behaviour = lambda message_id, number: (
        (503, 0) if failing.setdefault(0, message_id) == message_id else (200, 0)
    )
    rename(customer, "Ewa", "Eva")
    first = WebhookDelivery.objects.order_by("pk").first()
    assert accepted_names(receiver, customer) == []
    WebhookDelivery.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )

    sweep_at(first.next_attempt_at)

    first.refresh_from_db()
    assert first.status == "failed"
    assert accepted_names(receiver, customer) == ["Eva"]


def test_endpoints_get_only_the_types_they_want_and_only_while_active(receiver, customer):
    WebhookEndpoint.objects.create(url=receiver.url, secret=receiver.secret, event_types=["x"])
    inactive = WebhookEndpoint.objects.create(
        url=receiver.url, secret=receiver.secret, is_active=False
    )
    wanted = WebhookEndpoint.objects.create(
        url=receiver.url, secret=receiver.secret, event_types=["customer.anonymized"]
    )

    rename(customer, "Ewa")
    with TestCase.captureOnCommitCallbacks(execute=True):
        anonymize_customer(customer=customer)

    (item,) = receiver.accepted()
    assert item.event_type == "customer.anonymized"
    assert item.data == {"customerReference": customer.customer_reference}
    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [wanted.pk]
    assert not inactive.deliveries.exists()


def test_staff_see_each_deliverys_tries_and_can_send_it_again(
    admin_client, endpoint, receiver, customer
):
    receiver.behaviour = lambda message_id, number: (500, 0) if number == 1 else (200, 0)
    rename(customer, "Ewa")
    delivery = WebhookDelivery.objects.get()

    page = admin_client.get(f"/admin/events/webhookdelivery/{delivery.pk}/change/")
    listing = admin_client.get("/admin/events/webhookdelivery/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        resent = admin_client.post(
            "/admin/events/webhookdelivery/",
            {"action": "send_selected_again", "_selected_action": [delivery.pk]},
        )

    assert page.status_code == 200
    assert "HTTP 500" in page.content.decode()
    assert changelist_column(listing.content.decode(), "last_status_code") == ["500"]
    assert resent.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    (item,) = receiver.accepted()
    assert item.message_id == f"msg_{delivery.event.event_id.hex}"
    assert receiver.secret not in page.content.decode()


def test_a_new_endpoint_gets_a_secret_shown_once(admin_client, db):
    created = admin_client.post(
        "/admin/events/webhookendpoint/add/",
        {
            "url": "https://crm.shop.example/hooks",
            "event_types": ["customer.anonymized"],
            "is_active": "on",
        },
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    page = admin_client.get(f"/admin/events/webhookendpoint/{endpoint.pk}/change/")

    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in created.content.decode()
    assert endpoint.secret not in page.content.decode()
    assert endpoint.event_types == ["customer.anonymized"]


@pytest.mark.parametrize(
    "url", ["ftp://crm.shop.example/hooks", "ftps://crm.shop.example/hooks", "file:///etc/x"]
)
def test_an_endpoint_is_an_http_or_https_url(admin_client, url):
    answer = admin_client.post(
        "/admin/events/webhookendpoint/add/", {"url": url, "is_active": "on"}
    )
    endpoint = WebhookEndpoint(url=url, secret=new_webhook_secret())

    assert answer.status_code == 200  # the form again, with its error
    assert "Enter a valid URL." in answer.content.decode()
    assert not WebhookEndpoint.objects.exists()
    with pytest.raises(ValidationError, match="url"):
        endpoint.full_clean()


@pytest.fixture
def admin_client(client, db):
    staff = Customer.objects.create_superuser("staff@example.com", "staff password 2026")
    client.force_login(staff)
    return client


def test_the_sweep_hands_over_only_the_oldest_pending_delivery_of_each_queue(
    endpoint, receiver, customer, monkeypatch
):
    receiver.behaviour = lambda message_id, number: (503, 0)
    other = CustomerFactory()
    rename(customer, "A1", "A2", "A3")
    rename(other, "B1", "B2")
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    handed_over = []
    monkeypatch.setattr("events.dispatch.run", lambda task, *args: handed_over.append(args))

    assert sweep() == 2

    heads = {
        WebhookDelivery.objects.filter(customer_reference=someone.customer_reference)
        .order_by("pk")
        .values_list("pk", "attempts")
        .first()
        for someone in (customer, other)
    }
    assert set(handed_over) == heads
    assert sweep() == 0  # handed over: not again before OUTBOX_REQUEUE_SECONDS


@pytest.fixture
def bare_endpoint(db):
    """A :class:`BareEndpoint` registered as the webhook endpoint; its answer is set by the test."""
    served = BareEndpoint(answer=lambda number: ([b"Content-Length: 2"], [b"{}"]))
    WebhookEndpoint.objects.create(url=served.url, secret=new_webhook_secret())
    yield served
    served.stop()


def slowly(items, pause: float):
    for item in items:
        time.sleep(pause)
        yield item


LONG = 256 * 1024 * 1024  # bytes, sent as fast as the sender reads
SLOW = 40  # bytes or header lines, one per TIMEOUT / 5: each arrives before a read times out
TEXT = [b"Content-Type: text/plain"]
# The headers' deadline is twice the timeout: this one gives the status line 3 s to arrive on a
# busy machine, and the 40 header lines (4 s) still outlast it.
SLOW_HEADERS_TIMEOUT = 1.5


@pytest.mark.parametrize(
    ("answer", "timeout"),
    [
        pytest.param(lambda: (TEXT, [b"x" * 65536] * (LONG // 65536)), TIMEOUT, id="long body"),
        pytest.param(lambda: (TEXT, slowly([b"x"] * SLOW, TIMEOUT / 5)), TIMEOUT, id="slow body"),
        pytest.param(
            lambda: (slowly([b"X-Slow: 1"] * SLOW, TIMEOUT / 5), []),
            SLOW_HEADERS_TIMEOUT,
            id="slow headers",
        ),
    ],
)
def test_a_long_or_slow_answer_neither_holds_the_worker_nor_fills_its_memory(
    bare_endpoint, customer, settings, answer, timeout
):
    """The status is the endpoint's answer; the rest is read only so far, and only so long."""
    settings.WEBHOOK_TIMEOUT_SECONDS = timeout
    bare_endpoint.answer = lambda number: answer()

    rename(customer, "Ewa")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("delivered", 200), delivery.last_error
    assert bare_endpoint.answered.wait(timeout=30)
    assert bare_endpoint.hung_up


def test_an_endpoint_that_answers_briefly_gets_a_customers_events_over_one_connection(
    bare_endpoint, customer
):
    rename(customer, "A1", "A2", "A3")

    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["delivered"] * 3
    assert bare_endpoint.connections == 1
