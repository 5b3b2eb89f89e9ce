"""``manage.py check --deploy`` accepts the documented production environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "api.shop.example",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "BEHIND_TLS_PROXY": "1",
}


def deploy_check(**overrides):
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings", **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_environment_passes_the_deploy_checks():
    result = deploy_check()

    assert result.returncode == 0, result.stderr


def test_deploy_checks_catch_a_missing_https_redirect():
    result = deploy_check(SECURE_SSL_REDIRECT="0")

    assert result.returncode != 0
    assert "security.W008" in result.stderr
