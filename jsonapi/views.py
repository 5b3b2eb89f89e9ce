"""JSON:API answers for what Django itself handles: unknown URLs, faults, CSRF failures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import ParseError
from rest_framework.request import Request

from jsonapi.errors import ErrorCode, ErrorObject, error_response, server_error_objects
from jsonapi.parsers import ResourceAttributes, ResourceList


@csrf_exempt  # an unknown URL is a 404 whatever the method, never a CSRF refusal
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
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


def _parsed_document(request: Request, accepted: type | tuple[type, ...]):
    data = request.data
    if not isinstance(data, accepted):
        raise ParseError("The request body must be a JSON:API document with a data member.")
    return data


def request_attributes(request: Request) -> ResourceAttributes:
    """The attributes of the request's resource object; 400 code 900 without a document."""
    return _parsed_document(request, ResourceAttributes)


def request_resources(request: Request) -> ResourceList | ResourceAttributes:
    """One resource object's attributes, or a list of them where the view accepts arrays."""
    return _parsed_document(request, (ResourceAttributes, ResourceList))
