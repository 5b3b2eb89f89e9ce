"""Business rules that change customer relations: add, change, remove."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from customers.locking import lock_customer_for_write
from customers.models import Customer
from customers.services import count_within_cap, delete_item
from events.services import record_item_event
from jsonapi.errors import ApiError, ErrorCode
from relations.models import Relation
from relations.watch import WATCH, watch_timeframe

MAX_RELATIONS_PER_CUSTOMER = 1000
WRITABLE_FIELDS = frozenset(
    {
        "domain",
        "relation_type",
        "ref_id",
        "date_start",
        "date_end",
        "config",
        "position",
        "status",
    }
)


def is_group_domain(domain: str) -> bool:
    """Group memberships are never customer-settable: any ``/``, ``-`` or ``_`` separated
    segment ``group`` or ``groups`` (``customer/group``, ``customer-groups``, ``group-customer``).
    """
    return any(segment in ("group", "groups") for segment in re.split(r"[/_-]", domain))


def _attribute(index: int | None, name: str) -> str:
    return name if index is None else f"{index}.{name}"


def _key(relation: Relation) -> tuple[str, str, str]:
    return relation.domain, relation.relation_type, relation.ref_id


def _check_domain(relation: Relation, index: int | None) -> None:
    if is_group_domain(relation.domain):
        raise ApiError(ErrorCode.UNAUTHORIZED, attribute=_attribute(index, "domain"))


def _timeframe(relation: Relation) -> int | None:
    """A watch's timeframe in days; other relations' configs are not validated, so none."""
    return watch_timeframe(relation.config) if relation.relation_type == WATCH else None


def _set_watch_end(relation: Relation, index: int | None, *, recompute: bool = False) -> None:
    """A watch with a timeframe but no end ends ``timeframe`` days after its creation.

    ``recompute``: the client changed the timeframe and sent no end, so the new timeframe
    replaces the end the old one gave (Aimeos counts the days from the creation time).
    """
    if relation.relation_type != WATCH or (relation.date_end is not None and not recompute):
        return
    days = watch_timeframe(relation.config)
    if days is None:
        return
    relation.date_end = relation.created_at + timedelta(days=days)
    if relation.date_start is not None and relation.date_end <= relation.date_start:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            detail="The timeframe ends before the start date.",
            attribute=_attribute(index, "config.timeframe"),
        )


def _first_taken(customer_id: int, relations: Sequence[Relation]) -> int | None:
    """The index of the first relation whose key another of the customer's relations has."""
    keys = Q()
    for relation in relations:
        domain, relation_type, ref_id = _key(relation)
        keys |= Q(domain=domain, relation_type=relation_type, ref_id=ref_id)
    others = (
        Relation.objects.filter(customer_id=customer_id)
        .filter(keys)
        .exclude(pk__in=[relation.pk for relation in relations])
    )
    taken = set(others.values_list("domain", "relation_type", "ref_id"))
    return next((i for i, relation in enumerate(relations) if _key(relation) in taken), None)


def _conflict(index: int, single: bool) -> ApiError:
    return ApiError(
        ErrorCode.RELATION_EXISTS, attribute=_attribute(None if single else index, "ref_id")
    )


def create_relations(
    *, customer: Customer, items: Sequence[dict[str, Any]], single: bool = False
) -> list[Relation]:
    """Add relations to the customer, all or none.

    ``items`` are validated attributes; ``single`` says the client sent one resource object,
    so errors point at ``/data/attributes`` rather than ``/data/{index}/attributes``. The
    customer row is locked while counting so concurrent requests cannot pass the cap; the
    unique constraint decides races between equal relations.
    """
    now = timezone.now()
    relations = []
    for index, attributes in enumerate(items):
        relation = Relation(customer=customer, created_at=now, **attributes)
        where = None if single else index
        _check_domain(relation, where)
        _set_watch_end(relation, where)
        relations.append(relation)
    seen: dict[tuple[str, str, str], int] = {}
    for index, relation in enumerate(relations):
        if _key(relation) in seen:
            raise _conflict(index, single)
        seen[_key(relation)] = index
    try:
        with transaction.atomic():
            lock_customer_for_write(customer.pk)
            count_within_cap(
                Relation.objects.filter(customer=customer),
                adding=len(relations),
                cap=MAX_RELATIONS_PER_CUSTOMER,
                detail=f"A customer has at most {MAX_RELATIONS_PER_CUSTOMER} relations.",
            )
            taken = _first_taken(customer.pk, relations)
            if taken is not None:
                raise _conflict(taken, single)
            Relation.objects.bulk_create(relations)
            for relation in relations:
                record_item_event(customer=customer, item=relation, action="created")
    except IntegrityError as exc:
        taken = _first_taken(customer.pk, relations)
        if taken is None:
            raise
        raise _conflict(taken, single) from exc
    return relations


def update_relation(*, relation: Relation, changes: dict[str, Any]) -> Relation:
    """Change the given attributes of a relation; the others stay as they were."""
    unknown = set(changes) - WRITABLE_FIELDS
    if unknown:
        raise ValueError(f"not writable: {sorted(unknown)}")
    try:
        with transaction.atomic():
            customer = lock_customer_for_write(relation.customer_id)
            # Re-read under the lock: saving a row deleted meanwhile would insert it again.
            relation = Relation.objects.filter(pk=relation.pk).first()
            if relation is None:
                raise ApiError(ErrorCode.RELATION_NOT_FOUND)
            old_timeframe = _timeframe(relation)
            for name, value in changes.items():
                setattr(relation, name, value)
            _check_domain(relation, None)
            _set_watch_end(
                relation,
                None,
                recompute="date_end" not in changes and _timeframe(relation) != old_timeframe,
            )
            if _first_taken(relation.customer_id, [relation]) is not None:
                raise _conflict(0, single=True)
            relation.save(force_update=True)
            record_item_event(customer=customer, item=relation, action="updated")
    except IntegrityError as exc:
        if _first_taken(relation.customer_id, [relation]) is None:
            raise
        raise _conflict(0, single=True) from exc
    return relation


def delete_relation(*, relation: Relation) -> None:
    """Remove one relation."""
    delete_item(relation)


def delete_expired_watches(*, now: datetime | None = None) -> int:
    """Remove watch relations whose end date has passed; answers how many."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            Relation.objects.filter(relation_type=WATCH, date_end__lt=now).select_related(
                "customer"
            )
        )
        for relation in expired:
            record_item_event(customer=relation.customer, item=relation, action="deleted")
        deleted, _ = Relation.objects.filter(pk__in=[relation.pk for relation in expired]).delete()
    return deleted


def delete_all_relations(customer: Customer) -> None:
    """Delete every one of the customer's relations (anonymization)."""
    Relation.objects.filter(customer=customer).delete()
