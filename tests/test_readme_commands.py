"""Every ``manage.py`` command the README shows works as shown once ``make serve`` has run.

The commands run as a reader pastes them into a shell: in a copy of the checkout, with nothing
exported, after what ``make serve`` does before it serves (write ``.env``, migrate the SQLite
database, create the cache table).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMAND_PREFIX = ".venv/bin/python manage.py"
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    ".*_cache",
    ".env",
    "db.sqlite3*",
    "staticfiles",
    "results",
    "node_modules",
)


def readme_commands() -> list[str]:
    """Shell blocks that run ``manage.py`` (and no server or curl), then inline commands."""
    readme = (ROOT / "README.md").read_text()
    blocks = [
        textwrap.dedent(body) for body in re.findall(r"^ *```sh\n(.*?)^ *```", readme, re.S | re.M)
    ]
    shown = [block for block in blocks if COMMAND_PREFIX in block]
    shown = [block for block in shown if not re.search(r"\bcurl\b|^make ", block, flags=re.M)]
    inline = re.findall(rf"`({re.escape(COMMAND_PREFIX)} [^`]+)`", readme)
    return shown + inline


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A development checkout after ``make serve``'s preparations, its .venv this test's Python."""
    folder = tmp_path_factory.mktemp("checkout") / "service"
    shutil.copytree(ROOT, folder, ignore=NOT_COPIED)
    python = folder / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    subprocess.run(["make", "-s", ".env", f"PYTHON={sys.executable}"], cwd=folder, check=True)
    for command in ("migrate --noinput", "createcachetable"):
        result = shell(f"{COMMAND_PREFIX} {command}", folder)
        assert result.returncode == 0, result.stderr
    return folder


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """``command`` in bash, with nothing exported beyond what any shell has."""
    environment = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_readme_shows_the_operations_commands():
    shown = "\n".join(readme_commands())

    for command in (
        "createsuperuser",
        "create_oauth_client",
        "notify_watchers",
        "purge_spent_credentials",
        "spectacular",
    ):
        assert f"manage.py {command}" in shown, command


@pytest.mark.parametrize("command", readme_commands())
def test_a_readme_command_works_as_shown_after_make_serve(checkout, command):
    result = shell(command, checkout)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
