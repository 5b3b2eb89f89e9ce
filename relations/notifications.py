"""Tell customers about watched products that came back in stock or fell in price.

The product feed is JSON Lines, one product offer a line::

    {"productId": "sku-1", "currency": "EUR", "price": "12.50", "inStock": true}

Each product's last stock state is kept (:class:`ProductStock`): only a product that a feed
shows in stock after an earlier feed showed it out of stock is "back in stock" (its
``restocked_at``), never one that was only ever seen in stock. Each watch relation remembers
what it last announced (``notified_state``), so a product is announced once per change: again
only after it went out of stock and came back, or when its price fell below the last
announced price.

The feed is stored (:class:`WatchFeed`) and the customers with watches are split into ranges
of ids that run in parallel as Celery tasks on any number of workers (in this process without
a broker). Each batch of customers is announced in one transaction under the customers' row
locks: the new states and the queued e-mails commit together, so a run killed half way and
started again (or two runs at once) announces nothing twice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from customers.emails import customer_email
from customers.models import Customer
from events.services import queue_mail
from relations.models import ProductStock, Relation, WatchFeed, WatchFeedOffer
from relations.services import delete_expired_watches
from relations.watch import WATCH, is_currency, parse_decimal

PRODUCT_DOMAIN = "product"
EMAIL_TEMPLATE = "relations/email/watched_products"
IN_STOCK = "stock"
PRICE = "price:"
# Customer ids per chunk (one task), customers per transaction, offers per insert.
CHUNK_CUSTOMER_IDS = 5000
BATCH_CUSTOMERS = 200
INSERT_BATCH = 5000
# Products per query when the stock states are read and kept.
STOCK_BATCH = 2000


RunChunks = Callable[[WatchFeed, list[tuple[int, int]]], None]


class FeedLineError(ValueError):
    """A feed line that cannot be used; the message says why."""


@dataclass(frozen=True)
class Offer:
    """One line of the product feed."""

    product_id: str
    in_stock: bool | None = None
    currency: str | None = None
    price: Decimal | None = None


@dataclass
class Feed:
    """The usable offers by product id, and what was wrong with the other lines."""

    offers: dict[str, list[Offer]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Announcement:
    """What one e-mail tells about one watched product."""

    product_id: str
    back_in_stock: bool
    price: Decimal | None
    currency: str | None
    price_limit: Decimal | None


@dataclass
class Result:
    """What a run did."""

    emails_queued: int = 0
    expired_deleted: int = 0
    chunks: int = 0


def parse_offer(line: str) -> Offer:
    """One feed line as an offer; :class:`FeedLineError` when it is unusable."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise FeedLineError("not valid JSON") from exc
    if not isinstance(data, dict):
        raise FeedLineError("not a JSON object")
    product_id = data.get("productId")
    if isinstance(product_id, int) and not isinstance(product_id, bool):
        product_id = str(product_id)
    if not isinstance(product_id, str) or not 0 < len(product_id.encode("utf-8")) <= 36:
        raise FeedLineError("productId must be a string of 1-36 bytes")
    in_stock = data.get("inStock")
    if in_stock is not None and not isinstance(in_stock, bool):
        raise FeedLineError("inStock must be true or false")
    price = currency = None
    if data.get("price") is not None:
        price = parse_decimal(data["price"])
        if price is None:
            raise FeedLineError('price must be a decimal string >= 0, e.g. "12.50"')
        currency = data.get("currency")
        if not is_currency(currency):
            raise FeedLineError("currency must be an ISO 4217 code")
    return Offer(product_id=product_id, in_stock=in_stock, currency=currency, price=price)


def read_feed(lines: Iterable[str]) -> Feed:
    """Parse every line; bad lines are reported in ``errors`` and skipped."""
    feed = Feed()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            offer = parse_offer(line)
        except FeedLineError as exc:
            feed.errors.append(f"line {number}: {exc}")
            continue
        feed.offers[offer.product_id].append(offer)
    return feed


def _previous_price(tokens: set[str]) -> Decimal | None:
    prices = [Decimal(token.removeprefix(PRICE)) for token in tokens if token.startswith(PRICE)]
    return prices[0] if prices else None


def _last_stock(offers: Iterable[Offer]) -> bool | None:
    """Whether the feed's last offer that says so has the product in stock."""
    stock = [offer.in_stock for offer in offers if offer.in_stock is not None]
    return stock[-1] if stock else None


def _evaluate(
    relation: Relation, offers: list[Offer], restocked_at: datetime | None
) -> tuple[str, Announcement | None]:
    """The relation's new state, and what to announce about it (None: nothing new).

    ``restocked_at``: when the product last came back in stock after being out of stock
    (None: never seen so). Only a comeback during the watch's life is news.
    """
    config = relation.config
    previous = set(relation.notified_state.split())
    tokens: set[str] = set()
    back_in_stock = False
    if config.get("stock") == "1" and _last_stock(offers):
        tokens.add(IN_STOCK)
        back_in_stock = (
            IN_STOCK not in previous
            and restocked_at is not None
            and restocked_at >= relation.created_at
        )
    price = limit = None
    currency = config.get("currency")
    if config.get("price") == "1":
        limit = parse_decimal(config.get("pricevalue"))
        prices = [o.price for o in offers if o.currency == currency and o.price is not None]
        lowest = min(prices) if prices else None
        if lowest is not None and limit is not None and lowest <= limit:
            tokens.add(f"{PRICE}{lowest}")
            last = _previous_price(previous)
            if last is None or lowest < last:
                price = lowest
    state = " ".join(sorted(tokens))
    if not back_in_stock and price is None:
        return state, None
    return state, Announcement(relation.ref_id, back_in_stock, price, currency, limit)


def keep_stock_states(feed: Feed, now: datetime) -> None:
    """Note each product's stock as the feed shows it; a product shown in stock whose last
    known state was out of stock is back in stock now (``restocked_at``).

    Done once per run, before any customer is announced, so every chunk reads the same
    comeback; a run killed half way and started again finds the comeback already noted and
    still announces it to the customers the killed run did not reach.
    """
    states = {
        product_id: in_stock
        for product_id, offers in feed.offers.items()
        if (in_stock := _last_stock(offers)) is not None
    }
    product_ids = sorted(states)
    for start in range(0, len(product_ids), STOCK_BATCH):
        batch = product_ids[start : start + STOCK_BATCH]
        with transaction.atomic():
            known = {
                product_id: (in_stock, restocked_at)
                for product_id, in_stock, restocked_at in ProductStock.objects.select_for_update()
                .filter(product_id__in=batch)
                .order_by("product_id")
                .values_list("product_id", "in_stock", "restocked_at")
            }
            rows = [
                ProductStock(
                    product_id=product_id,
                    in_stock=states[product_id],
                    restocked_at=_restocked_at(known.get(product_id), states[product_id], now),
                    seen_at=now,
                )
                for product_id in batch
            ]
            # One INSERT … ON CONFLICT per batch: Django's bulk_update writes a CASE per row.
            ProductStock.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["product_id"],
                update_fields=["in_stock", "restocked_at", "seen_at"],
            )


def _restocked_at(
    known: tuple[bool, datetime | None] | None, in_stock: bool, now: datetime
) -> datetime | None:
    """When the product came back in stock, given what was known of it (stock, restocked)."""
    if known is None:
        return None  # first seen: not "back" in stock, whatever the feed says
    was_in_stock, restocked_at = known
    return now if in_stock and not was_in_stock else restocked_at


def _restocked(product_ids: set[str]) -> dict[str, datetime]:
    """When these products last came back in stock, those that ever did."""
    return dict(
        ProductStock.objects.filter(
            product_id__in=product_ids, in_stock=True, restocked_at__isnull=False
        ).values_list("product_id", "restocked_at")
    )


def store_feed(feed: Feed, now: datetime) -> WatchFeed:
    """Keep the feed's offers where every worker reads them, and split the work into chunks."""
    keep_stock_states(feed, now)
    stored = WatchFeed.objects.create(created_at=now)
    rows = (
        WatchFeedOffer(
            feed=stored,
            product_id=offer.product_id,
            in_stock=offer.in_stock,
            currency=offer.currency,
            price=None if offer.price is None else str(offer.price),
        )
        for offers in feed.offers.values()
        for offer in offers
    )
    WatchFeedOffer.objects.bulk_create(rows, batch_size=INSERT_BATCH)
    bounds = _watches(stored).aggregate(low=Min("customer_id"), high=Max("customer_id"))
    if bounds["low"] is not None:
        stored.first_customer_id = bounds["low"]
        stored.chunks = (bounds["high"] - bounds["low"]) // CHUNK_CUSTOMER_IDS + 1
        stored.save(update_fields=["first_customer_id", "chunks"])
    return stored


def chunk_bounds(feed: WatchFeed) -> list[tuple[int, int]]:
    """The customer id ranges ``[low, high)`` of the feed's chunks."""
    lows = (feed.first_customer_id + n * CHUNK_CUSTOMER_IDS for n in range(feed.chunks))
    return [(low, low + CHUNK_CUSTOMER_IDS) for low in lows]


def _watches(feed: WatchFeed):
    """Active watch relations of products that have started by the feed's time.

    Read by customer (the relations' customer index); which of them the feed concerns is
    found per batch, from the offers of their products.
    """
    return Relation.objects.filter(
        Q(date_start__isnull=True) | Q(date_start__lte=feed.created_at),
        relation_type=WATCH,
        domain=PRODUCT_DOMAIN,
        status=Relation.Status.ENABLED,
    )


def notify_chunk(feed_id: int, low: int, high: int) -> int:
    """Announce the feed to the customers with ids in ``[low, high)``; answers the e-mails
    queued. Safe to run again, or at the same time as another run."""
    feed = WatchFeed.objects.filter(pk=feed_id).first()
    if feed is None:
        return 0
    customer_ids = sorted(
        set(
            _watches(feed)
            .filter(customer_id__gte=low, customer_id__lt=high)
            .values_list("customer_id", flat=True)
            .distinct()
        )
    )
    queued = 0
    for start in range(0, len(customer_ids), BATCH_CUSTOMERS):
        queued += _notify_batch(feed, customer_ids[start : start + BATCH_CUSTOMERS])
    WatchFeed.objects.filter(pk=feed_id).update(
        chunks_done=F("chunks_done") + 1, customers_notified=F("customers_notified") + queued
    )
    return queued


def _notify_batch(feed: WatchFeed, customer_ids: list[int]) -> int:
    """One transaction: lock the customers, read their watches, queue mails, keep the states."""
    with transaction.atomic():
        customers = {
            customer.pk: customer
            for customer in Customer.objects.select_for_update()
            .filter(pk__in=customer_ids, is_active=True, anonymized_at__isnull=True)
            .order_by("pk")
        }
        relations = list(
            _watches(feed)
            .filter(customer_id__in=list(customers))
            .only("customer_id", "ref_id", "config", "notified_state", "notified_at", "created_at")
            .order_by("customer_id", "position", "created_at")
        )
        offers = _offers(feed, {relation.ref_id for relation in relations})
        restocked = _restocked(set(offers))
        by_customer: dict[int, list[Relation]] = defaultdict(list)
        for relation in relations:
            if relation.ref_id in offers:
                by_customer[relation.customer_id].append(relation)
        changed: list[Relation] = []
        queued = 0
        for customer_id, watched in by_customer.items():
            queued += _notify(
                customers[customer_id], watched, offers, restocked, feed.created_at, changed
            )
        if changed:
            Relation.objects.bulk_update(changed, ["notified_state", "notified_at"])
    return queued


def _offers(feed: WatchFeed, product_ids: set[str]) -> dict[str, list[Offer]]:
    """The feed's offers of these products, in the feed's order."""
    offers: dict[str, list[Offer]] = defaultdict(list)
    rows = (
        WatchFeedOffer.objects.filter(feed=feed, product_id__in=product_ids)
        .order_by("pk")
        .values_list("product_id", "in_stock", "currency", "price")
    )
    for product_id, in_stock, currency, price in rows:
        offers[product_id].append(
            Offer(
                product_id=product_id,
                in_stock=in_stock,
                currency=currency,
                price=None if price is None else Decimal(price),
            )
        )
    return offers


def _notify(
    customer: Customer,
    relations: list[Relation],
    offers: dict[str, list[Offer]],
    restocked: dict[str, datetime],
    now: datetime,
    changed: list[Relation],
) -> int:
    """Queue one e-mail to the customer if there is news; note the relations whose state
    changed in ``changed``. Answers the e-mails queued (0 or 1)."""
    announcements: list[Announcement] = []
    for relation in relations:
        state, announcement = _evaluate(
            relation, offers[relation.ref_id], restocked.get(relation.ref_id)
        )
        if announcement is not None:
            announcements.append(announcement)
            relation.notified_at = now
        if announcement is not None or state != relation.notified_state:
            relation.notified_state = state
            changed.append(relation)
    if not announcements:
        return 0
    message = customer_email(customer, template=EMAIL_TEMPLATE, context={"products": announcements})
    queue_mail(message, customer=customer)
    return 1


def notify_watchers(
    *, feed: Feed, now: datetime | None = None, run_chunks: RunChunks | None = None
) -> Result:
    """Delete expired watches, then queue one e-mail per customer about its watched products.

    ``run_chunks(feed, bounds)`` does the chunks and waits for them (Celery workers); by
    default they run here, one after the other.
    """
    now = now or timezone.now()
    # Left by runs that were killed: their chunks are long done.
    WatchFeed.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    result = Result(expired_deleted=delete_expired_watches(now=now))
    stored = store_feed(feed, now)
    try:
        if stored.chunks:
            bounds = chunk_bounds(stored)
            if run_chunks is None:
                for low, high in bounds:
                    notify_chunk(stored.pk, low, high)
            else:
                run_chunks(stored, bounds)
        stored.refresh_from_db()
        result.emails_queued = stored.customers_notified
        result.chunks = stored.chunks
    finally:
        stored.delete()
    return result
