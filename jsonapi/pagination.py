"""``page[offset]`` / ``page[limit]`` pagination with ``meta.page`` and ``links``."""

from rest_framework.response import Response
from rest_framework_json_api.pagination import JsonApiLimitOffsetPagination


class PagePagination(JsonApiLimitOffsetPagination):
    """Default limit 10, at most 100."""

    default_limit = 10
    max_limit = 100

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
