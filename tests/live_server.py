"""gunicorn on a free loopback port with the production settings, for tests over real HTTP."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
# Tests over HTTP register, log in and send bad documents far more often than a person does.
SERVICE_ENVIRONMENT = {
    **PRODUCTION_ENVIRONMENT,
    "REGISTRATION_RATE": "100000/h",
    "REGISTRATION_ATTEMPT_RATE": "100000/h",
    "LOGIN_FAILURE_LIMIT": "100000/m",
    "LOGIN_IP_FAILURE_LIMIT": "100000/m",
    "PASSWORD_RESET_RATE": "100000/h",
    # The tests read the confirmation mail right after registering.
    "EMAIL_SEND_IN_BACKGROUND": "0",
}
JSON_API = "application/vnd.api+json"
PASSWORD = "fuzzing is a walk in the park"


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


def migrated_sqlite_database(path: Path, environment: dict[str, str]) -> str:
    """A fresh SQLite file with every migration applied (the cache table too): its URL."""
    url = f"sqlite:///{path}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={**os.environ, **environment, "DATABASE_URL": url},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return url


@dataclass(frozen=True)
class Customer:
    """A customer as a client knows it: its reference and an access token."""

    reference: str
    token: str


@dataclass(frozen=True)
class LiveService:
    """A running service: its base URL and the folder its e-mails are written to."""

    base_url: str
    mail: Path
    # The server's environment: its database, for what only staff can do (manage.py).
    environment: dict[str, str] = field(default_factory=dict)

    def manage(self, *arguments: str) -> str:
        """Run a ``manage.py`` command on the server's database; answers its output."""
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env={**os.environ, **self.environment},
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def post(
        self, path: str, resource_type: str, attributes: dict, status: int, token: str = ""
    ) -> dict | None:
        """POST one resource object; asserts the status and returns the document."""
        headers = {"Content-Type": JSON_API}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = requests.post(
            f"{self.base_url}/{path}",
            json={"data": {"type": resource_type, "attributes": attributes}},
            headers=headers,
            timeout=10,
        )
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    def register_and_log_in(self, email: str) -> Customer:
        """A confirmed customer, the way a client gets one."""
        registration = {
            "salutation": "Ms",
            "firstName": "Live",
            "lastName": "Tester",
            "email": email,
            "password": PASSWORD,
            "confirmPassword": PASSWORD,
            "acceptedTerms": True,
        }
        reference = self.post("customers", "customers", registration, 201)["data"]["id"]
        key = self.confirmation_key(email)
        self.post("customer-confirmation", "customer-confirmation", {"registrationKey": key}, 204)
        login = {"username": email, "password": PASSWORD}
        tokens = self.post("access-tokens", "access-tokens", login, 201)
        return Customer(reference, tokens["data"]["attributes"]["accessToken"])

    def confirmation_key(self, email: str) -> str:
        """The key of the confirmation e-mail sent to ``email``."""
        for message in self.mail.iterdir():
            text = message.read_text()
            if f"To: {email}" in text:
                return re.search(r"key=([A-Za-z0-9_-]+)", text)[1]
        raise AssertionError(f"no confirmation e-mail to {email}")
