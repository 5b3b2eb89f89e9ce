"""The resources a client can find from the root URL, read from the URL configuration.

A named route is a resource when its name is the ``resource_name`` of its view (``customers``,
``access-tokens``, ``customer-relations``...), so a new app's collection route shows up here
as soon as it is included in ``config/urls.py``. Routes with parameters are given as URI
templates (RFC 6570): ``/customers/{customerReference}/customer-relations``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from inflection import camelize

_PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def _resource_name(pattern: URLPattern) -> str | None:
    view_class = getattr(pattern.callback, "cls", None)
    return getattr(view_class, "resource_name", None)


def _routes(patterns: list, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(name, route)`` of every named path whose name is its view's resource type."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace is None:
                yield from _routes(pattern.url_patterns, route)
        elif pattern.name and pattern.name == _resource_name(pattern):
            yield pattern.name, route


def _template(route: str) -> str:
    return _PARAMETER.sub(lambda match: "{" + camelize(match.group(1), False) + "}", route)


def resource_routes(urlconf: str | None = None) -> dict[str, str]:
    """Resource type → its path (a URI template when it has parameters), relative to the root.

    When one name has several routes, the one with the fewest parameters wins.
    """
    found: dict[str, str] = {}
    for name, route in _routes(get_resolver(urlconf).url_patterns):
        path = _template(route)
        if name not in found or path.count("{") < found[name].count("{"):
            found[name] = path
    return found
