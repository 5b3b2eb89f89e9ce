"""The layers of the code: shared plumbing depends on no app, and no two apps on each other.

``operations`` (logging, limits, keys, mail) and ``jsonapi`` (the wire format) are shared
plumbing: every app may use them, they use no app, and ``jsonapi`` may use ``operations`` but
not the other way round. Between the apps, a dependency goes one way only: the item apps and
``auth_api`` build on ``customers``; ``accounts`` may use them all.
"""

from __future__ import annotations

import ast
from itertools import combinations
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PLUMBING = ("operations", "jsonapi")
# The service's own apps as installed, so a new app is checked from the day it is installed.
APPS = tuple(
    name for name in settings.INSTALLED_APPS if (ROOT / name).is_dir() and name not in PLUMBING
)
PACKAGES = (*PLUMBING, *APPS)


def imported_packages(package: str) -> dict[str, set[str]]:
    """The service's packages ``package`` imports, each with the modules that import it."""
    found: dict[str, set[str]] = {}
    for module in (ROOT / package).rglob("*.py"):
        if "migrations" in module.parts:
            continue
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    found.setdefault(top, set()).add(str(module.relative_to(ROOT)))
    return found


def test_shared_plumbing_imports_no_app():
    for package in PLUMBING:
        apps = {
            name: modules for name, modules in imported_packages(package).items() if name in APPS
        }
        assert apps == {}, f"{package} imports an app"


def test_operations_does_not_import_jsonapi():
    assert "jsonapi" not in imported_packages("operations")


def test_no_two_apps_import_each_other():
    imports = {app: imported_packages(app) for app in APPS}
    both_ways = [
        (first, second, sorted(imports[first][second]), sorted(imports[second][first]))
        for first, second in combinations(APPS, 2)
        if second in imports[first] and first in imports[second]
    ]
    assert both_ways == []


def test_nothing_imports_accounts():
    assert [app for app in APPS if "accounts" in imported_packages(app)] == []
