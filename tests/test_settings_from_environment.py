"""Settings come from the environment; production refuses to start without a secret key."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_missing_secret_key_without_an_env_file_refuses_to_start(tmp_path):
    result = load_settings(ENV_FILE=str(tmp_path / ".env"))

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def write_development_env(folder: Path) -> Path:
    """Run the Makefile's ``.env`` target, which ``make serve`` runs, in ``folder``."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    subprocess.run(["make", "-s", ".env", f"PYTHON={sys.executable}"], cwd=folder, check=True)
    return folder / ".env"


def test_make_writes_a_development_env_file_once_with_a_generated_key(tmp_path):
    env_file = write_development_env(tmp_path)
    written = env_file.read_text()
    write_development_env(tmp_path)

    debug, secret_key = written.splitlines()
    assert debug == "DEBUG=1"
    assert secret_key.startswith("SECRET_KEY=")
    assert len(secret_key.removeprefix("SECRET_KEY=")) >= 50
    assert env_file.read_text() == written
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    (tmp_path / "other").mkdir()
    assert write_development_env(tmp_path / "other").read_text() != written


def test_settings_read_the_env_file_without_anything_exported(tmp_path):
    env_file = write_development_env(tmp_path)
    env_file.write_text(env_file.read_text() + "CUSTOMER_REFERENCE_PREFIX=AT\n")

    result = load_settings(ENV_FILE=str(env_file))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "AT"]


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = write_development_env(tmp_path)
    env_file.write_text(env_file.read_text() + "CUSTOMER_REFERENCE_PREFIX=AT\n")

    result = load_settings(ENV_FILE=str(env_file), DEBUG="0", CUSTOMER_REFERENCE_PREFIX="PL")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "PL"]


def test_debug_is_off_unless_asked_for():
    result = load_settings(SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "DE"]


def test_debug_mode_runs_without_a_secret_key_and_reads_other_settings():
    result = load_settings(DEBUG="1", CUSTOMER_REFERENCE_PREFIX="AT")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "AT"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOGIN_FAILURE_LIMIT", "abc"),
        ("REGISTRATION_RATE", "3/fortnight"),
        ("REGISTRATION_RATE", "3"),
        ("LOGIN_IP_FAILURE_LIMIT", "0/15m"),
        ("PASSWORD_RESET_RATE", "5/0h"),
        ("REGISTRATION_ATTEMPT_RATE", "-1/h"),
    ],
)
def test_a_rate_that_cannot_be_read_stops_the_start_up_naming_the_setting(name, value):
    result = load_settings(DEBUG="1", **{name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name}: " in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "ture"),
        ("SECURE_SSL_REDIRECT", "always"),
        ("TRUSTED_PROXY_COUNT", "1.5"),
        ("RATE_LIMIT_IPV6_PREFIX", "/64"),
        ("RATE_LIMIT_IPV6_PREFIX", "129"),
        ("RATE_LIMIT_IPV6_PREFIX", "0"),
        ("DATABASE_CONN_MAX_AGE", "abc"),
        ("RESTORE_PASSWORD_KEY_TTL", "1h"),
        ("ACCESS_TOKEN_EXPIRE_SECONDS", "8 hours"),
        ("DATABASE_URL", "postgress://shop:s3cret@db/accounts"),
        ("DATABASE_URL", "accounts.sqlite3"),
        ("CACHE_URL", "memcache-ish://s3cret@cache"),
        ("EMAIL_URL", "smtp://mail:s3cret@mail.example:submission"),
        ("LOG_LEVEL", "LOUD"),
        ("CUSTOMER_CONFIRMATION_URL", "https://shop.example/confirm"),
        ("PASSWORD_RESTORE_URL", "https://shop.example/restore?key={token}"),
    ],
)
def test_any_setting_that_cannot_be_read_stops_the_start_up_naming_it(name, value):
    result = load_settings(**{"SECRET_KEY": "x" * 50, name: value})

    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith(f"django.core.exceptions.ImproperlyConfigured: {name}: "), message
    assert "s3cret" not in result.stderr


@pytest.mark.parametrize(
    ("value", "debug"),
    [
        ("1", "True"),
        ("yes", "True"),
        ("On", "True"),
        ("0", "False"),
        ("off", "False"),
        ("", "False"),
    ],
)
def test_yes_and_no_words_are_read_as_booleans(value, debug):
    result = load_settings(SECRET_KEY="x" * 50, DEBUG=value)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [debug, "DE"]


def test_a_bare_number_of_login_failures_is_that_many_per_15_minutes():
    code = "from auth_api.login_limits import *; from operations.throttling import _rate; "
    code += "from django.conf import settings as s; print(_rate(s.LOGIN_FAILURE_LIMIT))"
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}}
    env.update(DEBUG="1", LOGIN_FAILURE_LIMIT="1000", DJANGO_SETTINGS_MODULE="config.settings")
    setup = "import django; django.setup(); "
    result = subprocess.run(
        [sys.executable, "-c", setup + code], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Rate(count=1000, seconds=900)"
