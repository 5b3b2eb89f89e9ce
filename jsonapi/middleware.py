"""Requests looked at before they reach a view: oversized bodies, Glue's spellings of routes."""

from django.conf import settings
from django.urls import Resolver404, resolve

from jsonapi.errors import body_too_large, error_response, length_required, missing_id
from jsonapi.handlers import not_found


class RequestBodyLimitMiddleware:
    """Answer 413 when ``Content-Length`` exceeds ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (1 MiB).

    A chunked body (no ``Content-Length``) is refused with 411: Django would read it as empty,
    and its size is known only once it is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return error_response([length_required()])
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return error_response([body_too_large()])
        return self.get_response(request)


class RouteSpellingMiddleware:
    """Routes as Glue clients spell them (contract §11.1).

    - A trailing slash is accepted on every route: ``POST /customers/`` is ``POST /customers``.
    - A path with an empty id (``/customers//addresses/{uuid}``) answers 400 "Resource id is not
      specified." instead of 404; but creating under an empty customer reference (``POST
      /customers//addresses``) is creating under a reference that is not the caller's, and
      answers as that does (403 code 411, §1), as Glue does.

    Only paths that no route matches are looked at again, so every other request costs one
    ``endswith`` and one ``in``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        looks_respelled = (path.endswith("/") and len(path) > 1) or "//" in path
        if looks_respelled and _matches_no_route(path):
            respelled = _respelled(path)
            if respelled is not None:
                request.path_info = respelled
            elif _matches_a_route(path.replace("//", "/-/")):
                if request.method != "POST":
                    return error_response([missing_id()])
                # "-" is nobody's reference: the view refuses it like any foreign one.
                request.path_info = path.replace("//", "/-/")
        return self.get_response(request)


def _matches_no_route(path: str) -> bool:
    return resolve(path).func is not_found


def _matches_a_route(path: str) -> bool:
    try:
        return not _matches_no_route(path)
    except Resolver404:
        return False


def _respelled(path: str) -> str | None:
    """The path without its trailing slash, when that is a route."""
    stripped = path.rstrip("/")
    if path.endswith("/") and stripped and _matches_a_route(stripped):
        return stripped
    return None
