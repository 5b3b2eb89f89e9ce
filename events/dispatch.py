"""Where delivery work runs: on Celery workers, or in this process when no broker is set.

``CELERY_BROKER_URL`` set: work is sent to the broker after the commit, and the workers' beat
sweeps for rows that are due. Unset (``make serve``, tests): the same functions run in this
process after the commit — on a worker thread, or inline when ``EMAIL_SEND_IN_BACKGROUND``
is off — and a sweeper thread of each serving process (runserver, gunicorn) retries what is
due. Either way the rows are the truth: a task
that never runs is found again by the sweep.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)

# Not daemon threads: a worker that exits still finishes what it has accepted.
_workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="outbox")
_pending: set[Future] = set()


def uses_broker() -> bool:
    return bool(settings.CELERY_BROKER_URL)


def after_commit(task, *args) -> None:
    """Run the Celery ``task`` with ``args`` once the transaction commits; a rollback runs nothing.

    The hand-over happens off the request thread (unless ``EMAIL_SEND_IN_BACKGROUND`` is off),
    so no answer waits for the broker or, without one, for the work. A broker that cannot be
    reached loses nothing: the row is there, and the sweep finds it.
    """
    transaction.on_commit(lambda: _hand_over(task, *args), robust=True)


def run(task, *args) -> None:
    """Run the Celery ``task`` now: on a worker through the broker, else right here."""
    if uses_broker():
        task.apply_async(args, retry=False)
    else:
        task.run(*args)


def _hand_over(task, *args) -> None:
    if not settings.EMAIL_SEND_IN_BACKGROUND:
        run(task, *args)
        return
    future = _workers.submit(_run_in_thread, run, task, *args)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


def _run_in_thread(function: Callable, *args) -> None:
    try:
        function(*args)
    except Exception:
        logger.exception("Outbox work failed")
    finally:
        connections.close_all()  # the thread's own


def wait_for_deliveries(timeout: float = 10) -> None:
    """Block until the in-process work handed over so far is done (tests, shutdown)."""
    wait(list(_pending), timeout=timeout)


def start_sweeper_if_serving() -> None:
    """Without a broker, a serving process sweeps the outbox itself from its start."""
    if uses_broker() or not settings.EMAIL_SEND_IN_BACKGROUND:
        return
    serving = os.environ.get("RUN_MAIN") == "true" or "gunicorn" in os.path.basename(sys.argv[0])
    if serving:
        threading.Thread(target=_sweep_forever, name="outbox-sweeper", daemon=True).start()


def _sweep_forever() -> None:
    from events.delivery import sweep  # it hands work back to this module

    while True:
        time.sleep(settings.OUTBOX_SWEEP_SECONDS)
        try:
            sweep()
        except Exception:
            logger.exception("Sweeping the outbox failed")
        finally:
            connections.close_all()
