"""gunicorn replaces a worker whose memory grew past GUNICORN_MAX_WORKER_MEMORY_MB."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
import requests

from tests.conftest import running_service
from tests.live_server import GUNICORN, PRODUCTION_ENVIRONMENT, ROOT

pytestmark = pytest.mark.django_db

RESTART = re.compile(r"peaked at \d+ MiB")


def restarts_after_requests(folder, django_db_blocker, **overrides) -> tuple[list[int], int]:
    """The statuses of five reads, and how many worker restarts the server logged."""
    log = folder / "server.log"
    with running_service(folder, django_db_blocker, log=log, **overrides) as service:
        statuses = [
            requests.get(f"{service.base_url}/health/live", timeout=10).status_code
            for _ in range(5)
        ]
    return statuses, len(RESTART.findall(log.read_text()))


def test_a_worker_past_the_limit_is_replaced_after_its_answer(tmp_path, django_db_blocker):
    statuses, restarts = restarts_after_requests(
        tmp_path, django_db_blocker, GUNICORN_MAX_WORKER_MEMORY_MB="1"
    )

    assert statuses == [200] * 5
    assert restarts >= 5


def test_a_worker_within_the_default_limit_keeps_serving(tmp_path, django_db_blocker):
    statuses, restarts = restarts_after_requests(tmp_path, django_db_blocker)

    assert statuses == [200] * 5
    assert restarts == 0


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_an_unreadable_limit_stops_the_start_up_naming_the_setting(value):
    started = subprocess.run(
        [GUNICORN, "-c", "config/gunicorn.py", "--check-config", "config.wsgi:application"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENVIRONMENT, "GUNICORN_MAX_WORKER_MEMORY_MB": value},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert started.returncode != 0
    assert "GUNICORN_MAX_WORKER_MEMORY_MB" in started.stdout + started.stderr
