"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**environment):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.CUSTOMER_REFERENCE_PREFIX)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_missing_secret_key_outside_debug_refuses_to_start_with_a_clear_message():
    result = load_settings()

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = load_settings(SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "DE"]


def test_debug_mode_runs_without_a_secret_key_and_reads_other_settings():
    result = load_settings(DEBUG="1", CUSTOMER_REFERENCE_PREFIX="AT")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "AT"]
