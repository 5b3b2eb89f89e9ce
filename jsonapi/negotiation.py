"""Content negotiation that answers JSON:API even to clients that ask for plain JSON."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class JsonApiContentNegotiation(DefaultContentNegotiation):
    """Glue clients send ``Accept: application/json``; they get the JSON:API document."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type
