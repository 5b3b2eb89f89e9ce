"""The JSON:API renderer: the views hand it whole documents, it encodes them."""

from __future__ import annotations

from rest_framework.renderers import BaseRenderer

from jsonapi.encoding import JSON_API_MEDIA_TYPE, encode


class JsonApiRenderer(BaseRenderer):
    """``application/vnd.api+json``: the document a view or the exception handler built."""

    media_type = JSON_API_MEDIA_TYPE
    format = "vnd.api+json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return encode(data, indent=bool((renderer_context or {}).get("indent")))
