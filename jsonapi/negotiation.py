"""Content negotiation: JSON:API answers for every client, and the two body types it reads."""

from django.utils.http import parse_header_parameters
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import BaseParser

# What a body's media type may carry besides its name: the charset clients add on their own,
# and JSON:API's profile, which changes nothing the service reads. Any other parameter is
# refused, ``ext`` first: the service implements no JSON:API extension (JSON:API 1.1 says 415).
BODY_TYPE_PARAMETERS = frozenset({"charset", "profile"})


class JsonApiContentNegotiation(DefaultContentNegotiation):
    """Glue clients send ``Accept: application/json``; they get the JSON:API document."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers: list[BaseParser]) -> BaseParser | None:
        """The parser named by the body's media type exactly: no wildcard (``*/*``) and no
        parameter beyond :data:`BODY_TYPE_PARAMETERS` (None: 415)."""
        content_type = request.content_type or ""
        if len(content_type) > self.max_media_type_length:
            return None
        media_type, parameters = parse_header_parameters(content_type)
        if not parameters.keys() <= BODY_TYPE_PARAMETERS:
            return None
        return next((parser for parser in parsers if parser.media_type == media_type), None)
