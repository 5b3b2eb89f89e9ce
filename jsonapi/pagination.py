"""``page[offset]`` / ``page[limit]`` pagination with ``meta.page`` and ``links``."""

from rest_framework.response import Response
from rest_framework_json_api.pagination import JsonApiLimitOffsetPagination

LARGEST_SQL_INTEGER = 2**63 - 1


class PagePagination(JsonApiLimitOffsetPagination):
    """Default limit 10, at most 100."""

    default_limit = 10
    max_limit = 100

    def paginate_queryset(self, queryset, request, view=None):
        """The page, and the total without a count query when the page shows the end.

        One row more than the limit is read: if it is not there, the total is the offset plus
        the rows read, which spares the count query for every list that fits on its page.
        """
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        if self.offset + self.limit + 1 > LARGEST_SQL_INTEGER:
            # Past the end of any table, and more than SQL's OFFSET can even say.
            self.count = self.get_count(queryset)
            return []
        rows = list(queryset[self.offset : self.offset + self.limit + 1])
        if len(rows) <= self.limit and (rows or self.offset == 0):
            self.count = self.offset + len(rows)
        else:
            self.count = self.get_count(queryset)
        return rows[: self.limit]

    def get_paginated_response(self, data):
        return Response(
            {
                "results": data,
                "meta": {"page": {"offset": self.offset, "limit": self.limit, "total": self.count}},
                "links": {
                    "first": self.get_first_link(),
                    "last": self.get_last_link(),
                    "next": self.get_next_link(),
                    "prev": self.get_previous_link(),
                },
            }
        )
