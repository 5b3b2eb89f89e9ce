"""Work that runs once the answer has been sent: what a client must not be able to time.

Django sends ``request_finished`` when the server closes the response, after the last byte
went out; work put off with :func:`after_response` runs then, on the request's own thread.
Django has already judged the thread's database connection by then (``CONN_MAX_AGE``): one
the work opens is judged when the thread's next request starts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)
_local = threading.local()


def after_response(function: Callable[..., Any], /, **kwargs: Any) -> None:
    """Call ``function(**kwargs)`` once this request's answer has been sent; outside a
    request (a command, a task), right away."""
    pending = getattr(_local, "pending", None)
    if pending is None:
        function(**kwargs)
    else:
        pending.append((function, kwargs))


def _request_started(**signal_kwargs: Any) -> None:
    _local.pending = []


def _request_finished(**signal_kwargs: Any) -> None:
    pending, _local.pending = getattr(_local, "pending", None) or [], None
    for function, kwargs in pending:
        try:
            function(**kwargs)
        except Exception:
            logger.exception("Work after the answer failed: %s", function.__qualname__)


def connect() -> None:
    request_started.connect(_request_started, dispatch_uid="after_response.started")
    request_finished.connect(_request_finished, dispatch_uid="after_response.finished")
