"""Delivering e-mail after the transaction commits, off the request thread.

An SMTP exchange takes far longer than the rest of a request; sent inline, it would make a
forgotten-password request for a known e-mail measurably slower than for an unknown one.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor, wait

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

logger = logging.getLogger(__name__)

# Not daemon threads: a worker that exits still sends what it has accepted.
_senders = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mail")
_pending: set[Future] = set()


def deliver_after_commit(message: EmailMessage) -> None:
    """Send ``message`` once the current transaction commits; a rollback sends nothing."""
    transaction.on_commit(lambda: _deliver(message))


def _deliver(message: EmailMessage) -> None:
    if not settings.EMAIL_SEND_IN_BACKGROUND:
        _send(message)
        return
    future = _senders.submit(_send, message)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:
        # The message holds a key: log that sending failed, never what was sent.
        logger.exception("Sending an e-mail failed")


def wait_for_deliveries(timeout: float = 10) -> None:
    """Block until the e-mails handed over so far are sent (tests, graceful shutdown)."""
    wait(list(_pending), timeout=timeout)
