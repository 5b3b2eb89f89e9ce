"""What people read of the API in a browser or an OPTIONS answer: plain-text descriptions."""

from __future__ import annotations

import re

from rest_framework.utils import formatting
from rest_framework.views import get_view_description

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
