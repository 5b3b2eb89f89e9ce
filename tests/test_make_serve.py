"""What ``make serve`` hands runserver: debug settings, and mail links at its own address."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Stands in for the .venv's Python: prints what runserver would be started with.
FAKE_PYTHON = """#!/bin/sh
if [ "$2" = runserver ]; then
  printf '%s\\n' "$3" "$DEBUG" "$CUSTOMER_CONFIRMATION_URL" "$PASSWORD_RESTORE_URL"
fi
"""


def make_serve(folder: Path, *arguments: str, **environment: str) -> list[str]:
    """``make serve`` in a checkout whose .venv is installed and whose Python is the fake."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    python = folder / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True, exist_ok=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    checksum = subprocess.run(
        ["cksum", "pyproject.toml"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout.split()[0]
    (folder / ".venv" / f".installed-{checksum}").touch()
    env = {k: v for k, v in os.environ.items() if not k.endswith("_URL") and k != "DEBUG"}
    result = subprocess.run(
        ["make", "-s", "serve", f"PYTHON={sys.executable}", *arguments],
        cwd=folder,
        env={**env, **environment},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-4:]


def test_make_serve_serves_in_debug_mode_with_mail_links_at_its_port(tmp_path):
    served = make_serve(tmp_path, "PORT=8123")

    assert served == [
        "127.0.0.1:8123",
        "1",
        "http://127.0.0.1:8123/customer-confirmation?key={key}",
        "http://127.0.0.1:8123/customer-restore-password?key={key}",
    ]
    assert (tmp_path / ".env").read_text().startswith("DEBUG=1\n")


@pytest.mark.parametrize("name", ["CUSTOMER_CONFIRMATION_URL", "PASSWORD_RESTORE_URL"])
def test_an_exported_mail_link_wins_over_make_serves(tmp_path, name):
    served = make_serve(tmp_path, **{name: "https://shop.example/link?key={key}"})

    assert "https://shop.example/link?key={key}" in served
