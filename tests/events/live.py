"""Processes of the outbox's tests over real HTTP: a Celery worker, an SMTP sink."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from pathlib import Path

import redis
from aiosmtpd.controller import Controller

from tests.live_server import ROOT, _free_port

CELERY = str(Path(sys.executable).parent / "celery")
# Side-by-side checkouts on one machine give each its own broker database.
BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
# Quick retries, sweeps and leases, so a test sees them happen within seconds.
QUICK_OUTBOX = {
    "CELERY_BROKER_URL": BROKER_URL,
    "OUTBOX_SWEEP_SECONDS": "1",
    "OUTBOX_REQUEUE_SECONDS": "3",
    "OUTBOX_LEASE_SECONDS": "5",
    "MAIL_RETRY_DELAYS": "1,2",
    "WEBHOOK_RETRY_DELAYS": "1,2",
    "WEBHOOK_TIMEOUT_SECONDS": "5",
    "EMAIL_TIMEOUT": "5",
}


def rabbitmq_is_up() -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", 5672)) == 0


def empty_broker(url: str = BROKER_URL) -> None:
    """No task of an earlier run waits in the broker."""
    if url.startswith("redis://"):
        redis.Redis.from_url(url).flushdb()


class Worker:
    """``celery -A config worker --beat`` with the given environment, in its own process group."""

    def __init__(self, environment: dict[str, str], folder: Path) -> None:
        self.environment = {**os.environ, **environment}
        self.folder = folder
        self.log = folder / "worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        output = self.log.open("a")
        self.process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "config",
                "worker",
                "--beat",
                "--schedule",
                str(self.folder / "beat-schedule"),
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.environment,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL to the worker and its pool: no chance to finish or give anything back."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""


@contextmanager
def worker(environment: dict[str, str], folder: Path) -> Iterator[Worker]:
    running = Worker(environment, folder)
    running.start()
    try:
        yield running
    finally:
        running.stop()


class SmtpSink:
    """An SMTP server on a fixed loopback port that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.messages: list[tuple[str, str]] = []  # (recipient, body)
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd names its hooks so
        message = message_from_bytes(envelope.content)
        body = next(
            part.get_payload(decode=True).decode()
            for part in message.walk()
            if part.get_content_type() == "text/plain"
        )
        with self._lock:
            self.messages.extend((recipient, body) for recipient in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def recipients(self) -> list[str]:
        with self._lock:
            return [recipient for recipient, _ in self.messages]


def wait_until(condition: Callable[[], bool], seconds: float, what: str, log=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds} s" + (f"\n{log()}" if log else ""))


def server_python(environment: dict[str, str], code: str) -> object:
    """Run ``code`` with Django set up on the server's database; answers what it printed (JSON)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**os.environ, **environment},
        check=True,
        capture_output=True,
        text=True,
    )
    output = result.stdout.strip().splitlines()
    return json.loads(output[-1]) if output else None
