"""Query parameters of JSON:API requests: comma-separated lists, sent once or repeated."""

from __future__ import annotations

from django.http import HttpRequest


def list_parameter(request: HttpRequest, name: str) -> frozenset[str] | None:
    """The names of ``?name=a,b`` — and of ``?name=a&name=b``, as client generators send it.

    None when the parameter is absent, so ``fields[TYPE]=`` (an empty fieldset) differs from
    no fieldset at all.
    """
    query = getattr(request, "query_params", request.GET)
    if name not in query:
        return None
    return frozenset(
        part.strip() for value in query.getlist(name) for part in value.split(",") if part.strip()
    )
