"""A local webhook receiver that verifies every delivery with the ``standardwebhooks`` library."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

# (webhook-id, number of this id's request) -> (status, seconds to wait before answering)
Behaviour = Callable[[str, int], tuple[int, float]]


def always_ok(message_id: str, number: int) -> tuple[int, float]:
    return 200, 0


@dataclass
class Received:
    """One verified request: its id, the event type and data, and the answer it got."""

    message_id: str
    event_type: str
    data: dict
    status: int


@dataclass
class Receiver:
    """Serves on a free loopback port from a thread until :meth:`stop`."""

    secret: str
    behaviour: Behaviour = always_ok
    received: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    in_flight: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver._handle(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers["Content-Length"]))
        try:
            payload = Webhook(self.secret).verify(body, dict(request.headers.items()))
        except WebhookVerificationError as exc:
            with self._lock:
                self.refused.append(str(exc))
            self._answer(request, 401)
            return
        message_id = request.headers["webhook-id"]
        with self._lock:
            self._counts[message_id] = self._counts.get(message_id, 0) + 1
            status, delay = self.behaviour(message_id, self._counts[message_id])
            self.in_flight += 1
        item = Received(message_id, payload["type"], payload["data"], status)
        if not delay:
            # Recorded before the answer: the sender may look as soon as it reads the status.
            self._record(item)
        try:
            time.sleep(delay)
            self._answer(request, status)
        except OSError:
            item.status = 0  # the sender hung up (timed out)
        finally:
            if delay:
                self._record(item)

    def _record(self, item: Received) -> None:
        with self._lock:
            self.in_flight -= 1
            self.received.append(item)

    @staticmethod
    def _answer(request: BaseHTTPRequestHandler, status: int) -> None:
        request.send_response(status)
        request.send_header("Content-Length", "2")
        request.end_headers()
        request.wfile.write(b"{}")

    def accepted(self) -> list[Received]:
        with self._lock:
            return [item for item in self.received if 200 <= item.status < 300]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __repr__(self) -> str:
        return json.dumps([(r.event_type, r.status) for r in self.received])
