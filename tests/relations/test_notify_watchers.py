"""``manage.py notify_watchers``: one e-mail per customer about watched products."""

from __future__ import annotations

import io
import json
import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from customers.services import anonymize_customer
from events.delivery import sweep
from events.models import OutgoingMail
from relations import notifications
from relations.models import ProductStock, Relation, WatchFeed
from tests.factories import CustomerFactory, RelationFactory

STOCK = {"stock": "1"}
PRICE = {"price": "1", "currency": "EUR", "pricevalue": "20.00"}


def watch(customer, product_id, config, **fields) -> Relation:
    return RelationFactory(
        customer=customer, relation_type="watch", ref_id=product_id, config=config, **fields
    )


def sold_out(*product_ids) -> None:
    """Earlier feeds showed these products out of stock: in stock now, they are back."""
    for product_id in product_ids:
        ProductStock.objects.create(product_id=product_id, in_stock=False, seen_at=timezone.now())


def offer(product_id, *, in_stock=True, price="25.00", currency="EUR") -> dict:
    return {"productId": product_id, "currency": currency, "price": price, "inStock": in_stock}


def write_feed(tmp_path, *lines) -> str:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    return str(path)


def run(feed_path) -> tuple[str, str]:
    """The command's output; the mails it queued are delivered after its commits."""
    out, err = io.StringIO(), io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("notify_watchers", feed_path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_one_email_per_customer_lists_every_announced_product(tmp_path, customer, mailoutbox):
    watch(customer, "sku-1", STOCK)
    watch(customer, "sku-2", PRICE)
    watch(customer, "sku-3", STOCK)
    other = CustomerFactory()
    watch(other, "sku-1", {**STOCK, **PRICE})
    sold_out("sku-1", "sku-3")
    feed = write_feed(
        tmp_path,
        offer("sku-1", in_stock=True, price="19.99"),
        offer("sku-2", in_stock=False, price="18.00"),
        offer("sku-3", in_stock=False),
    )

    out, err = run(feed)

    assert sorted(message.to[0] for message in mailoutbox) == sorted([customer.email, other.email])
    mine = next(message for message in mailoutbox if message.to == [customer.email])
    assert "sku-1: back in stock." in mine.body
    assert "sku-2: Now 18.00 EUR (you asked for 20.00 EUR or less)." in mine.body
    assert "sku-3" not in mine.body
    html, media_type = mine.alternatives[0]
    assert media_type == "text/html"
    assert "sku-2" in html
    assert mine.subject == "2 products you watch are available"
    theirs = next(message for message in mailoutbox if message.to == [other.email])
    assert "sku-1: back in stock. Now 19.99 EUR" in theirs.body
    assert out.startswith("2 e-mails queued, 0 expired watches deleted, 0 feed lines skipped")
    assert err == ""


def test_a_change_is_announced_once(tmp_path, customer, mailoutbox):
    relation = watch(customer, "sku-1", {**STOCK, **PRICE})
    feed = write_feed(tmp_path, offer("sku-1", price="19.00"))

    run(feed)
    run(feed)

    assert len(mailoutbox) == 1
    relation.refresh_from_db()
    assert relation.notified_state == "price:19.00 stock"
    assert relation.notified_at is not None


def test_back_in_stock_again_after_going_out_is_announced_again(tmp_path, customer, mailoutbox):
    watch(customer, "sku-1", STOCK)
    sold_out("sku-1")

    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))
    run(write_feed(tmp_path, offer("sku-1", in_stock=False)))
    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))

    assert len(mailoutbox) == 2


def test_a_further_price_drop_is_announced_and_a_rise_is_not(tmp_path, customer, mailoutbox):
    watch(customer, "sku-1", PRICE)

    run(write_feed(tmp_path, offer("sku-1", price="19.00")))
    run(write_feed(tmp_path, offer("sku-1", price="19.50")))
    run(write_feed(tmp_path, offer("sku-1", price="15.00")))

    assert len(mailoutbox) == 2
    assert "Now 15.00 EUR" in mailoutbox[1].body


@pytest.mark.parametrize(
    ("config", "line"),
    [
        (PRICE, offer("sku-1", price="20.01")),
        (PRICE, offer("sku-1", price="10.00", currency="USD")),
        (STOCK, offer("sku-1", in_stock=False)),
        ({"stock": "0", "price": "0"}, offer("sku-1", price="1.00")),
        (STOCK, offer("sku-2")),
    ],
)
def test_nothing_is_sent_when_no_watched_condition_is_met(
    tmp_path, customer, mailoutbox, config, line
):
    relation = watch(customer, "sku-1", config)

    run(write_feed(tmp_path, line))

    assert mailoutbox == []
    relation.refresh_from_db()
    assert relation.notified_at is None


def test_price_equal_to_the_limit_is_announced(tmp_path, customer, mailoutbox):
    watch(customer, "sku-1", PRICE)

    run(write_feed(tmp_path, offer("sku-1", price="20")))

    assert len(mailoutbox) == 1


def test_favorites_disabled_and_not_yet_started_watches_are_not_announced(
    tmp_path, customer, mailoutbox
):
    RelationFactory(customer=customer, relation_type="favorite", ref_id="sku-1", config=STOCK)
    watch(customer, "sku-2", STOCK, status=0)
    watch(customer, "sku-3", STOCK, date_start=timezone.now() + timedelta(days=1))
    watch(customer, "sku-4", STOCK, domain="service")

    run(write_feed(tmp_path, *(offer(f"sku-{n}") for n in range(1, 5))))

    assert mailoutbox == []


def test_expired_watches_are_deleted(tmp_path, customer, mailoutbox):
    now = timezone.now()
    expired = watch(customer, "sku-1", STOCK, date_end=now - timedelta(minutes=1))
    running = watch(customer, "sku-2", STOCK, date_end=now + timedelta(days=1))
    favorite = RelationFactory(customer=customer, date_end=now - timedelta(days=1))
    sold_out("sku-1", "sku-2")

    out, _ = run(write_feed(tmp_path, offer("sku-1"), offer("sku-2")))

    assert set(Relation.objects.all()) == {running, favorite}
    assert not Relation.objects.filter(pk=expired.pk).exists()
    assert "1 expired watches deleted" in out
    assert len(mailoutbox) == 1
    assert "sku-1" not in mailoutbox[0].body


def test_bad_lines_are_reported_and_skipped(tmp_path, customer, mailoutbox):
    watch(customer, "sku-1", STOCK)
    sold_out("sku-1")
    feed = write_feed(
        tmp_path,
        "not json",
        "[1, 2]",
        {"productId": "", "inStock": True},
        {"productId": "sku-1", "inStock": "yes"},
        {"productId": "sku-1", "price": 12.5, "currency": "EUR"},
        {"productId": "sku-1", "price": "12.50", "currency": "XXY"},
        "[" * 5000,
        "",
        offer("sku-1"),
    )

    out, err = run(feed)

    assert err.splitlines() == [
        "Skipped line 1: not valid JSON",
        "Skipped line 2: not a JSON object",
        "Skipped line 3: productId must be a string of 1-36 bytes",
        "Skipped line 4: inStock must be true or false",
        'Skipped line 5: price must be a decimal string >= 0, e.g. "12.50"',
        "Skipped line 6: currency must be an ISO 4217 code",
        "Skipped line 7: not valid JSON",
    ]
    assert "7 feed lines skipped" in out
    assert len(mailoutbox) == 1


def test_feed_from_standard_input(monkeypatch, customer, mailoutbox):
    watch(customer, "42", STOCK)
    sold_out("42")
    monkeypatch.setattr(
        "sys.stdin", io.TextIOWrapper(io.BytesIO(b'{"productId": 42, "inStock": true}\n'))
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("notify_watchers", "-", stdout=io.StringIO(), stderr=io.StringIO())

    assert len(mailoutbox) == 1


def test_anonymized_customers_get_no_mail(tmp_path, customer, mailoutbox):
    watch(customer, "sku-1", STOCK)
    anonymize_customer(customer=customer)

    run(write_feed(tmp_path, offer("sku-1")))

    assert mailoutbox == []


def test_a_missing_feed_file_is_a_command_error(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.jsonl"))


def test_a_failing_mail_server_keeps_the_mail_queued_and_announces_once(
    tmp_path, settings, customer, mailoutbox
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    relation = watch(customer, "sku-1", STOCK)
    sold_out("sku-1")
    feed = write_feed(tmp_path, offer("sku-1"))

    out, _ = run(feed)
    run(feed)

    assert out.startswith("1 e-mails queued")
    relation.refresh_from_db()
    assert relation.notified_state == "stock"
    queued = OutgoingMail.objects.get()
    assert (queued.recipient, queued.status, queued.attempts) == (customer.email, "pending", 1)
    assert queued.last_error.startswith("ConnectionRefusedError")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with TestCase.captureOnCommitCallbacks(execute=True):
        sweep(now=queued.next_attempt_at)
    assert [message.to for message in mailoutbox] == [[customer.email]]


def test_customers_are_announced_in_chunks_with_the_same_result(tmp_path, monkeypatch, mailoutbox):
    monkeypatch.setattr(notifications, "CHUNK_CUSTOMER_IDS", 2)
    customers = CustomerFactory.create_batch(5)
    for customer in customers:
        watch(customer, "sku-1", STOCK)
    sold_out("sku-1")

    out, _ = run(write_feed(tmp_path, offer("sku-1")))

    assert out.endswith("0 feed lines skipped, 3 chunks.\n")
    assert sorted(message.to[0] for message in mailoutbox) == sorted(c.email for c in customers)
    assert not WatchFeed.objects.exists()


def test_a_run_killed_half_way_and_started_again_announces_nothing_twice(
    tmp_path, monkeypatch, mailoutbox
):
    monkeypatch.setattr(notifications, "BATCH_CUSTOMERS", 2)
    customers = CustomerFactory.create_batch(5)
    for customer in customers:
        watch(customer, "sku-1", STOCK)
    sold_out("sku-1")
    feed = write_feed(tmp_path, offer("sku-1"))
    notify_batch = notifications._notify_batch
    batches = []

    def killed_in_the_second_batch(*args):
        batches.append(args)
        if len(batches) == 2:
            raise KeyboardInterrupt
        return notify_batch(*args)

    monkeypatch.setattr(notifications, "_notify_batch", killed_in_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        run(feed)
    assert len(mailoutbox) == 2
    monkeypatch.setattr(notifications, "_notify_batch", notify_batch)

    run(feed)
    run(feed)

    assert sorted(message.to[0] for message in mailoutbox) == sorted(c.email for c in customers)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_announce_each_product_once(tmp_path, settings, mailoutbox):
    settings.EMAIL_SEND_IN_BACKGROUND = False
    customers = CustomerFactory.create_batch(30)
    for customer in customers:
        watch(customer, "sku-1", STOCK)
        watch(customer, "sku-2", PRICE)
    sold_out("sku-1")
    feed = write_feed(tmp_path, offer("sku-1", price="10.00"), offer("sku-2", price="10.00"))

    def one_run() -> None:
        try:
            call_command("notify_watchers", feed, stdout=io.StringIO(), stderr=io.StringIO())
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(message.to[0] for message in mailoutbox) == sorted(c.email for c in customers)


# --- stock transitions ----------------------------------------------------------------------


def test_a_product_never_seen_out_of_stock_is_not_back_in_stock(tmp_path, customer, mailoutbox):
    relation = watch(customer, "sku-1", STOCK)

    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))
    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))

    assert mailoutbox == []
    state = ProductStock.objects.get(product_id="sku-1")
    assert (state.in_stock, state.restocked_at) == (True, None)
    relation.refresh_from_db()
    assert (relation.notified_state, relation.notified_at) == ("stock", None)


def test_only_the_way_from_out_of_stock_to_in_stock_is_announced(tmp_path, customer, mailoutbox):
    watch(customer, "sku-1", STOCK)

    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))
    run(write_feed(tmp_path, offer("sku-1", in_stock=False)))
    assert mailoutbox == []
    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))
    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))

    assert len(mailoutbox) == 1
    assert "sku-1: back in stock." in mailoutbox[0].body
    assert ProductStock.objects.get(product_id="sku-1").restocked_at is not None


def test_a_watch_added_while_out_of_stock_hears_of_the_comeback(tmp_path, customer, mailoutbox):
    run(write_feed(tmp_path, offer("sku-1", in_stock=False)))
    watch(customer, "sku-1", STOCK)

    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))

    assert [message.to for message in mailoutbox] == [[customer.email]]


def test_a_watch_added_after_the_comeback_hears_nothing(tmp_path, customer, mailoutbox):
    other = CustomerFactory()
    watch(other, "sku-1", STOCK)
    sold_out("sku-1")
    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))
    assert [message.to for message in mailoutbox] == [[other.email]]
    watch(customer, "sku-1", STOCK)

    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))

    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "line",
    [{"productId": "sku-1", "price": "30.00", "currency": "EUR"}, offer("sku-2", in_stock=True)],
    ids=["stock-not-stated", "product-not-in-feed"],
)
def test_a_feed_that_says_nothing_of_the_stock_keeps_the_last_state(
    tmp_path, customer, mailoutbox, line
):
    watch(customer, "sku-1", STOCK)
    run(write_feed(tmp_path, offer("sku-1", in_stock=False)))

    run(write_feed(tmp_path, line))
    run(write_feed(tmp_path, offer("sku-1", in_stock=True)))

    assert len(mailoutbox) == 1
    assert ProductStock.objects.get(product_id="sku-1").in_stock is True


def test_the_last_line_of_a_product_decides_its_stock(tmp_path, customer, mailoutbox):
    watch(customer, "sku-1", STOCK)
    sold_out("sku-1")

    run(write_feed(tmp_path, offer("sku-1", in_stock=True), offer("sku-1", in_stock=False)))

    assert mailoutbox == []
    assert ProductStock.objects.get(product_id="sku-1").in_stock is False


def test_a_run_killed_before_any_customer_still_announces_the_comeback(
    tmp_path, monkeypatch, customer, mailoutbox
):
    watch(customer, "sku-1", STOCK)
    sold_out("sku-1")
    feed = write_feed(tmp_path, offer("sku-1"))
    notify_batch = notifications._notify_batch

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(notifications, "_notify_batch", killed)
    with pytest.raises(KeyboardInterrupt):
        run(feed)
    assert mailoutbox == []
    monkeypatch.setattr(notifications, "_notify_batch", notify_batch)

    run(feed)
    run(feed)

    assert [message.to for message in mailoutbox] == [[customer.email]]
