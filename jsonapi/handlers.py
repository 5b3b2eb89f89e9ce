"""JSON:API answers for what Django itself handles: unknown URLs, faults, CSRF failures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from jsonapi.errors import ErrorCode, ErrorObject, error_response, server_error_objects


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
