"""Refuse oversized bodies before anything reads them."""

from django.conf import settings

from jsonapi.errors import body_too_large, error_response


class RequestBodyLimitMiddleware:
    """Answer 413 when ``Content-Length`` exceeds ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (1 MiB)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return error_response([body_too_large()])
        return self.get_response(request)
