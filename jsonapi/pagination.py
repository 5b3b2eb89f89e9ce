"""``page[offset]`` / ``page[limit]`` pagination: the page, ``meta.page`` and the links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode

from django.db.models import QuerySet

OFFSET = "page[offset]"
LIMIT = "page[limit]"
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
LARGEST_SQL_INTEGER = 2**63 - 1


def _count(value: str | None, default: int, *, positive: bool) -> int:
    """A whole number from the query, or ``default`` when it is missing or not one."""
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    if number < 0 or (positive and number == 0):
        return default
    return number


@dataclass(frozen=True)
class Page:
    """Which rows of how many a document shows."""

    offset: int
    limit: int
    total: int

    def meta(self) -> dict[str, int]:
        return {"offset": self.offset, "limit": self.limit, "total": self.total}

    def links(self, request) -> dict[str, str | None]:
        """``self``, ``first``, ``prev``, ``next`` and ``last``, each with ``page[limit]``.

        ``last`` is the offset of the last page that holds rows (total 5, limit 1 → 4).
        """
        url = request.build_absolute_uri()
        base, _, query = url.partition("?")
        kept = [(name, value) for name, value in parse_qsl(query) if name not in (LIMIT, OFFSET)]
        prefix = f"{base}?{urlencode([*kept, (LIMIT, self.limit)])}&{quote(OFFSET)}="

        def at(offset: int) -> str:
            return f"{prefix}{offset}"

        last = max((self.total - 1) // self.limit * self.limit, 0)
        has_previous = self.offset > 0
        has_next = self.offset + self.limit < self.total
        return {
            "self": url,
            "first": at(0),
            "prev": at(max(min(self.offset - self.limit, last), 0)) if has_previous else None,
            "next": at(self.offset + self.limit) if has_next else None,
            "last": at(last),
        }


def paginate(rows: QuerySet | list, request) -> tuple[list, Page]:
    """The rows of the requested page, and the page.

    One row more than the limit is read: if it is not there, the total is the offset plus the
    rows read, which spares the count query for every list that fits on its page.
    """
    query = request.query_params
    limit = min(_count(query.get(LIMIT), DEFAULT_LIMIT, positive=True), MAX_LIMIT)
    offset = _count(query.get(OFFSET), 0, positive=False)
    if offset + limit + 1 > LARGEST_SQL_INTEGER:
        # Past the end of any table, and more than SQL's OFFSET can even say.
        return [], Page(offset, limit, _total(rows))
    found = list(rows[offset : offset + limit + 1])
    if len(found) <= limit and (found or offset == 0):
        return found, Page(offset, limit, offset + len(found))
    return found[:limit], Page(offset, limit, _total(rows))


def _total(rows: QuerySet | list) -> int:
    return rows.count() if isinstance(rows, QuerySet) else len(rows)
