"""Work that follows a commit, off the request thread: e-mails above all.

An SMTP exchange takes far longer than the rest of a request; done inline, it would make a
forgotten-password request for a known e-mail measurably slower than for an unknown one. Work
handed over here runs once the transaction commits (a rollback runs nothing), on one of two
worker threads, or inline when ``EMAIL_SEND_IN_BACKGROUND`` is off (tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connections, transaction

logger = logging.getLogger(__name__)

# Not daemon threads: a worker that exits still finishes what it has accepted.
_workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mail")
_pending: set[Future] = set()


def deliver_after_commit(message: EmailMessage) -> None:
    """Send ``message`` once the current transaction commits; a rollback sends nothing."""
    run_after_commit(lambda: send_now(message))


def run_after_commit(task: Callable[[], None]) -> None:
    """Run ``task`` once the current transaction commits, off the request thread."""
    transaction.on_commit(lambda: _submit(task))


def send_now(message: EmailMessage) -> None:
    """Send ``message``; a failure is logged, never raised (the message may hold a key)."""
    try:
        message.send()
    except Exception:
        logger.exception("Sending an e-mail failed")


def _submit(task: Callable[[], None]) -> None:
    if not settings.EMAIL_SEND_IN_BACKGROUND:
        task()
        return
    future = _workers.submit(_run_in_worker, task)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


def _run_in_worker(task: Callable[[], None]) -> None:
    try:
        task()
    except Exception:
        logger.exception("Background work after a commit failed")
    finally:
        connections.close_all()  # the worker thread's own: work here is rare


def wait_for_deliveries(timeout: float = 10) -> None:
    """Block until the work handed over so far is done (tests, graceful shutdown)."""
    wait(list(_pending), timeout=timeout)
