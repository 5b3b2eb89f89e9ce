"""JSON:API's media type and the one JSON encoder of the service's documents (orjson)."""

from __future__ import annotations

import json

import orjson

JSON_API_MEDIA_TYPE = "application/vnd.api+json"
# Valid JSON, but not valid JavaScript in a <script> block: escaped as DRF's renderer does.
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


def encode(document: object, *, indent: bool = False) -> bytes:
    """UTF-8 JSON of ``document``, compact unless ``indent`` (the browsable API shows it)."""
    try:
        encoded = orjson.dumps(document, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:  # an integer past 64 bits, say a page offset a client made up
        encoded = _standard_library_dumps(document, indent)
    for raw, escaped in _LINE_SEPARATORS:
        if raw in encoded:
            encoded = encoded.replace(raw, escaped)
    return encoded


def _standard_library_dumps(document: object, indent: bool) -> bytes:
    separators = None if indent else (",", ":")
    text = json.dumps(
        document, ensure_ascii=False, indent=2 if indent else None, separators=separators
    )
    return text.encode("utf-8")
