"""Conditional requests (RFC 9110 §13): entity tags, ``If-None-Match`` and ``If-Match``.

The service tags a document with the version of the data it was rendered from; this module
only knows how tags are written, read from the headers and compared.
"""

from __future__ import annotations

import re

# Count it up when the documents' wire format changes, so no client keeps an older rendering.
DOCUMENT_FORMAT = 1
_TAG = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|$)')


def entity_tag(version: int) -> str:
    """The strong entity tag of documents rendered from data at ``version``."""
    return f'"{DOCUMENT_FORMAT}.{version}"'


def _listed_tags(header: str, *, weak_too: bool) -> set[str] | None:
    """The tags an If-None-Match or If-Match header lists; None for ``*``."""
    if header.strip() == "*":
        return None
    return {tag for weak, tag in _TAG.findall(header) if weak_too or not weak}


def none_match(header: str | None, current: str) -> bool:
    """Whether ``If-None-Match`` lets the request through (weak comparison, §13.1.2)."""
    if header is None:
        return True
    listed = _listed_tags(header, weak_too=True)
    return listed is not None and current not in listed


def match(header: str | None, current: str) -> bool:
    """Whether ``If-Match`` lets the request through (strong comparison, §13.1.1)."""
    if header is None:
        return True
    listed = _listed_tags(header, weak_too=False)
    return listed is None or current in listed
