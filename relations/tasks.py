"""Celery tasks of relations: ``notify_watchers`` split into chunks of customers."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="relations.notify_watchers_chunk")
def notify_watchers_chunk(feed_id: int, low: int, high: int) -> int:
    """Announce a stored feed to the customers with ids in ``[low, high)``."""
    from relations.notifications import notify_chunk

    return notify_chunk(feed_id, low, high)
