"""JSON:API answers for what Django itself handles: unknown URLs, faults, CSRF failures."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from jsonapi.errors import (
    ErrorCode,
    ErrorObject,
    error_response,
    method_not_allowed,
    server_error_objects,
)


@csrf_exempt  # an unknown URL is a 404 for every method; there is nothing to protect
def not_found(
    request: HttpRequest, exception: Exception | None = None, **route_values: str
) -> HttpResponse:
    return error_response([ErrorObject(404, "Not found.")])


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response([ErrorObject(400, "Bad request.")])


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    error = ErrorCode.UNAUTHORIZED
    return error_response([ErrorObject(error.status, error.detail, error.code)])


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(server_error_objects())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response([ErrorObject(403, "CSRF verification failed.")])


READ_METHODS = ("GET", "HEAD")


def reads_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A plain Django view that only reads: any other method is a JSON:API 405.

    Exempt from CSRF, which has nothing to protect there: a POST is told 405, not 403.
    """

    @csrf_exempt
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in READ_METHODS:
            return error_response([method_not_allowed(request.method, ", ".join(READ_METHODS))])
        return view(request, *args, **kwargs)

    return guarded
