"""Tell customers about watched products that came back in stock or fell in price.

The product feed is JSON Lines, one product offer a line::

    {"productId": "sku-1", "currency": "EUR", "price": "12.50", "inStock": true}

Each watch relation remembers what it last announced (``notified_state``), so a product is
announced once per change: again only after it went out of stock and came back, or when its
price fell below the last announced price.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from customers.emails import send_templated_email
from customers.models import Customer
from relations.models import Relation
from relations.services import delete_expired_watches
from relations.watch import WATCH, is_currency, parse_decimal

logger = logging.getLogger(__name__)

PRODUCT_DOMAIN = "product"
EMAIL_TEMPLATE = "relations/email/watched_products"
IN_STOCK = "stock"
PRICE = "price:"
QUERY_CHUNK = 500


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

    emails_sent: int = 0
    emails_failed: int = 0
    expired_deleted: int = 0


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


def _evaluate(relation: Relation, offers: list[Offer]) -> tuple[str, Announcement | None]:
    """The relation's new state, and what to announce about it (None: nothing new)."""
    config = relation.config
    previous = set(relation.notified_state.split())
    tokens: set[str] = set()
    back_in_stock = False
    if config.get("stock") == "1":
        stock = [offer.in_stock for offer in offers if offer.in_stock is not None]
        if stock and stock[-1]:
            tokens.add(IN_STOCK)
            back_in_stock = IN_STOCK not in previous
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


def _watched(product_ids: list[str], now: datetime) -> Iterator[Relation]:
    """Active watch relations of active customers for these products, by customer."""
    for start in range(0, len(product_ids), QUERY_CHUNK):
        chunk = product_ids[start : start + QUERY_CHUNK]
        yield from (
            Relation.objects.filter(
                relation_type=WATCH,
                domain=PRODUCT_DOMAIN,
                ref_id__in=chunk,
                status=Relation.Status.ENABLED,
                customer__is_active=True,
                customer__anonymized_at__isnull=True,
            )
            .filter(Q(date_start__isnull=True) | Q(date_start__lte=now))
            .select_related("customer")
            .order_by("customer_id", "position", "created_at")
        )


def _notify(
    customer: Customer, relations: list[Relation], feed: Feed, now: datetime
) -> bool | None:
    """E-mail one customer and record the new states; None when there is nothing to tell."""
    announcements: list[Announcement] = []
    changed: list[Relation] = []
    for relation in relations:
        state, announcement = _evaluate(relation, feed.offers[relation.ref_id])
        if announcement is not None:
            announcements.append(announcement)
            relation.notified_at = now
        if announcement is not None or state != relation.notified_state:
            relation.notified_state = state
            changed.append(relation)
    if announcements:
        try:
            send_templated_email(
                to=customer.email,
                template=EMAIL_TEMPLATE,
                context={"customer": customer, "products": announcements},
            )
        except Exception:
            # The states stay as they were, so the next run tries again.
            logger.exception("Watch notification to %s failed", customer)
            return False
    if changed:
        Relation.objects.bulk_update(changed, ["notified_state", "notified_at"])
    return True if announcements else None


def notify_watchers(*, feed: Feed, now: datetime | None = None) -> Result:
    """Delete expired watches, then send each customer one e-mail about its watched products."""
    now = now or timezone.now()
    result = Result(expired_deleted=delete_expired_watches(now=now))
    by_customer: dict[int, list[Relation]] = defaultdict(list)
    for relation in _watched(sorted(feed.offers), now):
        by_customer[relation.customer_id].append(relation)
    for relations in by_customer.values():
        sent = _notify(relations[0].customer, relations, feed, now)
        if sent is True:
            result.emails_sent += 1
        elif sent is False:
            result.emails_failed += 1
    return result
