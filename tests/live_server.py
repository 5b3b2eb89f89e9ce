"""gunicorn on a free loopback port with the production settings, for tests over real HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "live-server-test-secret-key",
    "ALLOWED_HOSTS": "127.0.0.1",
    "WEB_CONCURRENCY": "2",
    "LOG_LEVEL": "ERROR",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(environment: dict[str, str], log: Path | None = None) -> Iterator[str]:
    """Serve ``config.wsgi`` with ``config/gunicorn.py``; yields the base URL, then stops.

    With ``log``, everything the server writes (its log lines) goes to that file.
    """
    port = _free_port()
    output = log.open("w") if log is not None else None
    process = subprocess.Popen(
        [GUNICORN, "-c", "config/gunicorn.py", "config.wsgi:application"],
        cwd=ROOT,
        env={**os.environ, **environment, "BIND": f"127.0.0.1:{port}"},
        stdout=output,
        stderr=output,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url, process)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        if output is not None:
            output.close()


def _wait_until_serving(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            if requests.get(f"{base_url}/health/live", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start within 30 s")
