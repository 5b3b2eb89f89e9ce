"""What people read of the API in a browser or an OPTIONS answer: descriptions, the session."""

from __future__ import annotations

import re

from django.contrib import auth
from rest_framework import status
from rest_framework.utils import formatting
from rest_framework.views import get_view_description
from rest_framework_json_api import renderers

# reST inline markup of the docstrings: ``literal``, `interpreted`, :role:`text`, `link`_.
LITERAL = re.compile(r"``(.+?)``")
INTERPRETED = re.compile(r"(?::[\w.-]+:)?`([^`]+)`_{0,2}")


def plain_text(docstring: str) -> str:
    """``docstring`` without reST's inline markup: a double-backquoted path reads as the path."""
    return INTERPRETED.sub(r"\1", LITERAL.sub(r"\1", docstring))


def view_description(view, html: bool = False) -> str:
    """DRF's description of a view (its docstring) as plain text, for OPTIONS and the pages.

    The service's ``VIEW_DESCRIPTION_FUNCTION``. Docstrings are written in reST for the code's
    readers; the OpenAPI document renders them as CommonMark, where the markup reads well.
    """
    description = plain_text(get_view_description(view, html=False))
    return formatting.markup_description(description) if html else description


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DJA's browsable API, with the status a JSON client gets and the session's user shown.

    DRF's renderer turns a 204 into a 200 to show a page; here a 204 stays a 204 without
    content, and DRF's form script loads the URL again, so a browser sees what is left after a
    DELETE. Public endpoints authenticate nobody (a stale token must not stop a login), so
    DRF's ``request.user`` is anonymous there even while the browser is logged in, and DRF's
    page would offer "Log in" to a logged-in staff member or customer.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code == status.HTTP_204_NO_CONTENT:
            return b""
        return super().render(data, accepted_media_type, renderer_context)

    def get_context(self, data, accepted_media_type, renderer_context) -> dict:
        context = super().get_context(data, accepted_media_type, renderer_context)
        request = renderer_context["request"]
        if not request.user.is_authenticated:
            context["user"] = auth.get_user(request)
        return context
