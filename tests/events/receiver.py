"""Local webhook endpoints: a receiver that verifies every delivery with the ``standardwebhooks``
library, and a bare one whose answers a test writes chunk by chunk."""

from __future__ import annotations

import json
import socketserver
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

# (webhook-id, number of this id's request) -> (status, seconds to wait before answering)
Behaviour = Callable[[str, int], tuple[int, float]]


def always_ok(message_id: str, number: int) -> tuple[int, float]:
    return 200, 0


class LoopbackServer:
    """Serves on a free loopback port from a thread of its own until :meth:`stop`."""

    def _serve_from_thread(self, server: socketserver.ThreadingMixIn) -> None:
        self.server = server
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Received:
    """One verified request: its id, the event type and data, and the answer it got."""

    message_id: str
    event_type: str
    data: dict
    status: int


@dataclass
class Receiver(LoopbackServer):
    """Verifies each request and answers as ``behaviour`` says."""

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

        self._serve_from_thread(ThreadingHTTPServer(("127.0.0.1", 0), Handler))

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

    def __repr__(self) -> str:
        return json.dumps([(r.event_type, r.status) for r in self.received])


# (the number of the request on its connection) -> the answer's header lines and body chunks,
# each sent as the iterable yields it
Answer = Callable[[int], tuple[Iterable[bytes], Iterable[bytes]]]


@dataclass
class BareEndpoint(LoopbackServer):
    """A bare HTTP/1.1 endpoint on a free loopback port that answers each request with 200,
    ``answer``'s header lines and body chunks, each sent as it comes; it verifies nothing.

    It counts the connections it accepted and the body bytes it sent, notes when the sender
    hung up before the whole body was sent, and sets ``answered`` when an answer is over.
    """

    answer: Answer
    connections: int = 0
    bytes_sent: int = 0
    hung_up: bool = False
    answered: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        endpoint = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                endpoint._serve(self.rfile, self.wfile)

        self._serve_from_thread(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler))

    def _serve(self, rfile, wfile) -> None:
        self.connections += 1
        number = 0
        while headers := _request_headers(rfile):
            rfile.read(int(headers.get(b"content-length", 0)))
            number += 1
            header_lines, body = self.answer(number)
            try:
                wfile.write(b"HTTP/1.1 200 OK\r\n")
                for line in header_lines:
                    wfile.write(line + b"\r\n")
                    wfile.flush()
                wfile.write(b"\r\n")
                for chunk in body:
                    wfile.write(chunk)
                    wfile.flush()
                    self.bytes_sent += len(chunk)
            except OSError:
                self.hung_up = True
                return
            finally:
                self.answered.set()


def _request_headers(rfile) -> dict[bytes, bytes]:
    """The next request's headers by lower-case name (b"": the request line); {} once it closed."""
    lines = []
    while (line := rfile.readline()) not in (b"\r\n", b"\n", b""):
        lines.append(line)
    if not lines:
        return {}
    pairs = (line.partition(b":") for line in lines[1:])  # the request line is not a header
    return {b"": lines[0], **{name.strip().lower(): value.strip() for name, _, value in pairs}}
