"""Celery tasks of the outbox. Each is idempotent: it works on rows, and rows say what is done.

Tasks are acknowledged after they ran (``acks_late``) and given back when their worker dies
(``task_reject_on_worker_lost``); what is lost even so is found by :func:`sweep_outbox`.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="events.deliver_mail")
def deliver_mail(mail_id: int, attempts: int) -> None:
    """Send one outgoing e-mail."""
    from events.delivery import deliver_mail

    deliver_mail(mail_id, attempts)


@shared_task(name="events.deliver_webhook")
def deliver_webhook(delivery_id: int, attempts: int) -> None:
    """POST one event to one endpoint."""
    from events.delivery import deliver_webhook

    deliver_webhook(delivery_id, attempts)


@shared_task(name="events.sweep_outbox")
def sweep_outbox() -> int:
    """Hand over every row that is due (run by beat every ``OUTBOX_SWEEP_SECONDS``)."""
    from events.delivery import sweep

    return sweep()


@shared_task(name="events.purge_outbox")
def purge_outbox() -> int:
    """Delete rows delivered long ago (run by beat hourly)."""
    from events.delivery import purge

    return purge()
