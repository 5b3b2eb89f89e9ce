"""The contract's error codes, the project exception that carries them, and their wire format.

Every error leaves the service through :func:`exception_handler` (DRF views) or
:func:`error_response` (plain Django views and middleware), so the JSON:API error document is
built in exactly one place.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from inflection import camelize
from rest_framework import exceptions as drf
from rest_framework.response import Response

from jsonapi.encoding import JSON_API_MEDIA_TYPE, encode
from operations.logging import redact_path
from operations.throttling import RateLimited

logger = logging.getLogger(__name__)


class ErrorCode(Enum):
    """Application codes of the contract (§6): code, HTTP status and message."""

    INVALID_ACCESS_TOKEN = ("001", 401, "Invalid access token.")
    MISSING_ACCESS_TOKEN = ("002", 403, "Missing access token.")
    AUTHENTICATION_FAILED = ("003", 401, "Failed to authenticate user.")
    REFRESH_FAILED = ("004", 401, "Failed to refresh token.")
    # Glue's text since 2022: it does not tell an existing account from a typo (§11.2).
    EMAIL_TAKEN = (
        "400",
        422,
        "If this email address is already in use, you will receive a password reset link. "
        "Otherwise you must first validate your e-mail address to finish registration. "
        "Please check your e-mail.",
    )
    CUSTOMER_NOT_FOUND = ("402", 404, "Customer not found.")
    ADDRESS_NOT_FOUND = ("404", 404, "Address was not found.")
    PASSWORDS_DIFFER = (
        "406",
        422,
        "Value in field {field} should be identical to value in the confirmPassword field.",
    )
    INVALID_PASSWORD = ("408", 400, "Invalid password")
    UNAUTHORIZED = ("411", 403, "Unauthorized request.")
    INVALID_GENDER = ("414", 422, "Provided gender is invalid.")
    INVALID_RESTORE_KEY = ("415", 422, "Restore password key is not valid.")
    INVALID_CONFIRMATION_KEY = (
        "423",
        422,
        "This email confirmation code is invalid or has been already used.",
    )
    TOO_MANY_REQUESTS = ("429", 429, "Too many requests. Retry after {seconds} seconds.")
    TOO_MANY_LOGIN_ATTEMPTS = (
        "4401",
        429,
        "Too many log in attempts from your address. "
        "Please wait {minutes} minutes before trying again.",
    )
    PRECONDITION_FAILED = ("006", 412, "If-Match header value is invalid.")
    CUSTOMER_ID_MISSING = ("405", 400, "Resource id is not specified.")
    ADDRESS_ID_MISSING = ("412", 400, "Resource id is not specified.")
    RESOURCE_ID_MISSING = ("", 400, "Resource id is not specified.")
    INVALID_DOCUMENT = ("900", 400, "Invalid JSON.")
    VALIDATION_FAILED = ("901", 422, "Validation failed.")
    RELATION_NOT_FOUND = ("1001", 404, "Relation was not found.")
    RELATION_EXISTS = ("1002", 409, "This relation already exists.")
    PROPERTY_NOT_FOUND = ("1003", 404, "Property was not found.")
    PROPERTY_EXISTS = ("1004", 409, "This property already exists.")
    # The contract names no code for an unknown activity or group (customers only read them):
    # the status alone, as for every error outside its table (§6).
    ACTIVITY_NOT_FOUND = ("", 404, "Activity was not found.")
    GROUP_NOT_FOUND = ("", 404, "Customer group was not found.")

    def __init__(self, code: str, status: int, detail: str) -> None:
        self.code = code
        self.status = status
        self.detail = detail

    @classmethod
    def by_code(cls, code: str) -> ErrorCode | None:
        return _BY_CODE.get(code)


_BY_CODE = {error.code: error for error in ErrorCode}


class ApiError(drf.APIException):
    """A broken rule of the contract, raised by services and views, answered as JSON:API.

    A DRF ``APIException``, so that DRF takes it for an answer wherever it catches those:
    the browsable API asking the permissions whether to offer a form, ``OPTIONS`` asking them
    which methods to describe.
    """

    def __init__(
        self,
        error: ErrorCode,
        *,
        detail: str | None = None,
        attribute: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or error.detail, code=error.code)
        self.error = error
        self.status_code = error.status
        self.attribute = attribute
        self.headers = dict(headers or {})

    @classmethod
    def throttled(cls, error: ErrorCode, retry_after: int) -> ApiError:
        """A 429 carrying ``Retry-After`` and the wait in the message."""
        retry_after = max(int(retry_after), 1)
        detail = error.detail.format(seconds=retry_after, minutes=math.ceil(retry_after / 60))
        return cls(error, detail=detail, headers={"Retry-After": str(retry_after)})


def field_error(error: ErrorCode, **message_args: str) -> drf.ValidationError:
    """A serializer validation error that keeps the contract's code for one attribute."""
    return drf.ValidationError(error.detail.format(**message_args), code=error.code)


@dataclass
class ErrorObject:
    """One member of a JSON:API ``errors`` array."""

    status: int
    detail: str
    code: str | None = None
    pointer: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        data: dict = {"status": str(self.status)}
        if self.code:
            data["code"] = self.code
        data["detail"] = self.detail
        if self.pointer:
            data["source"] = {"pointer": self.pointer}
        return data


def attribute_pointer(attribute: str) -> str:
    """``first_name`` → ``/data/attributes/firstName``; ``1.ref_id`` → ``/data/1/attributes/refId``.

    A leading number is the index of a resource object in a ``data`` array.
    """
    parts = attribute.split(".")
    data = "/data"
    if parts[0].isdigit():
        data = f"/data/{parts.pop(0)}"
    if not parts:
        return data
    return f"{data}/attributes/" + "/".join(camelize(part, False) for part in parts)


MISSING_ATTRIBUTE_DETAIL = "This field is missing."


def _validation_errors(detail: object, path: tuple[str, ...] = ()) -> Iterator[ErrorObject]:
    """Flatten DRF's nested validation detail into one error per failing attribute."""
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            yield from _validation_errors(value, (*path, str(key)))
        return
    if isinstance(detail, list):
        for index, item in enumerate(detail):
            # A list serializer's errors: one mapping per resource object of a data array.
            item_path = (*path, str(index)) if isinstance(item, Mapping) else path
            yield from _validation_errors(item, item_path)
        return
    code = getattr(detail, "code", None)
    contract_error = ErrorCode.by_code(code) if code else None
    if contract_error is None or contract_error.status != 422:
        contract_error = ErrorCode.VALIDATION_FAILED
    message = MISSING_ATTRIBUTE_DETAIL if code == "required" else str(detail)
    attribute = ".".join(part for part in path if part != "non_field_errors")
    label = ".".join(
        camelize(part, False) for part in attribute.split(".") if part and not part.isdigit()
    )
    if contract_error is ErrorCode.VALIDATION_FAILED and label:
        message = f"{label} => {message}"  # as Glue writes a rule's message (§11.1)
    yield ErrorObject(
        status=422,
        code=contract_error.code,
        detail=message,
        pointer=attribute_pointer(attribute) if attribute else "/data",
    )


# DRF's exceptions with a contract code, and whether their own message is more telling.
_DRF_ERRORS: tuple[tuple[type[drf.APIException], ErrorCode, bool], ...] = (
    (drf.ParseError, ErrorCode.INVALID_DOCUMENT, True),
    (drf.NotAuthenticated, ErrorCode.MISSING_ACCESS_TOKEN, False),
    (drf.AuthenticationFailed, ErrorCode.INVALID_ACCESS_TOKEN, False),
    (drf.PermissionDenied, ErrorCode.UNAUTHORIZED, True),
)


def errors_for_exception(exc: Exception) -> list[ErrorObject] | None:
    """The JSON:API errors for an exception, or None when it is an unexpected fault."""
    if isinstance(exc, ApiError):
        pointer = attribute_pointer(exc.attribute) if exc.attribute else None
        return [
            ErrorObject(exc.error.status, str(exc.detail), exc.error.code, pointer, exc.headers),
        ]
    if isinstance(exc, drf.ValidationError):
        return list(_validation_errors(exc.detail)) or [
            ErrorObject(422, ErrorCode.VALIDATION_FAILED.detail, "901", "/data")
        ]
    if isinstance(exc, InterfaceError | OperationalError):
        # Lost or refused connections, lock timeouts: the client may simply retry.
        logger.error("Database unavailable: %s", type(exc).__name__, exc_info=exc)
        return [ErrorObject(503, "The service is temporarily unavailable.", headers=RETRY_SOON)]
    if isinstance(exc, RequestDataTooBig):
        return [body_too_large()]
    if isinstance(exc, Http404):
        return [ErrorObject(404, "Not found.")]
    if isinstance(exc, DjangoPermissionDenied):
        return [ErrorObject(403, ErrorCode.UNAUTHORIZED.detail, ErrorCode.UNAUTHORIZED.code)]
    if isinstance(exc, RateLimited):
        return errors_for_exception(
            ApiError.throttled(ErrorCode.TOO_MANY_REQUESTS, exc.retry_after)
        )
    if isinstance(exc, drf.Throttled):
        return errors_for_exception(ApiError.throttled(ErrorCode.TOO_MANY_REQUESTS, exc.wait or 1))
    for exc_class, error, own_detail in _DRF_ERRORS:
        if isinstance(exc, exc_class):
            detail = str(exc.detail) if own_detail else error.detail
            return [ErrorObject(error.status, detail, error.code)]
    if isinstance(exc, drf.APIException):
        return [ErrorObject(exc.status_code, str(exc.detail))]
    return None


RETRY_SOON = {"Retry-After": "5"}


def missing_id(error: ErrorCode = ErrorCode.RESOURCE_ID_MISSING) -> ErrorObject:
    """400 for a change of a resource the URL names no id of (Glue's "resource id")."""
    return ErrorObject(error.status, error.detail, error.code or None)


def body_too_large() -> ErrorObject:
    return ErrorObject(413, "Request body is larger than 1 MiB.")


def method_not_allowed(method: str, allow: str) -> ErrorObject:
    """405 for ``method``, naming the methods the URL takes (``Allow``)."""
    return ErrorObject(405, f'Method "{method}" not allowed.', headers={"Allow": allow})


def length_required() -> ErrorObject:
    return ErrorObject(
        411, "A request body needs a Content-Length header; chunked bodies are refused."
    )


def server_error_objects() -> list[ErrorObject]:
    return [ErrorObject(500, "Internal server error.")]


def document(errors: Iterable[ErrorObject]) -> dict:
    return {"errors": [error.as_dict() for error in errors]}


def _status_and_headers(errors: list[ErrorObject]) -> tuple[int, dict[str, str]]:
    statuses = {error.status for error in errors}
    status = statuses.pop() if len(statuses) == 1 else max(statuses) // 100 * 100
    headers: dict[str, str] = {}
    for error in errors:
        headers.update(error.headers)
    return status, headers


def exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's exception handler: every exception becomes a JSON:API error document."""
    errors = errors_for_exception(exc)
    if errors is None:
        request = context.get("request")
        logger.error(
            "Unhandled error on %s %s",
            getattr(request, "method", "?"),
            redact_path(getattr(request, "path", "?")),
            exc_info=exc,
        )
        errors = server_error_objects()
    status, headers = _status_and_headers(errors)
    if isinstance(exc, drf.AuthenticationFailed) or (
        isinstance(exc, ApiError) and exc.error is ErrorCode.INVALID_ACCESS_TOKEN
    ):
        headers.setdefault("WWW-Authenticate", 'Bearer error="invalid_token"')
    return _with_reason(Response(document(errors), status=status, headers=headers))


# RFC 9110's name for 422; Python still says "Unprocessable Entity" (RFC 4918).
REASON_PHRASES = {422: "Unprocessable Content"}


def _with_reason(response: HttpResponse) -> HttpResponse:
    if response.status_code in REASON_PHRASES:
        response.reason_phrase = REASON_PHRASES[response.status_code]
    return response


def error_response(errors: list[ErrorObject]) -> HttpResponse:
    """A JSON:API error response for code outside DRF (middleware, Django's handlers)."""
    status, headers = _status_and_headers(errors)
    response = HttpResponse(
        encode(document(errors)),
        status=status,
        content_type=JSON_API_MEDIA_TYPE,
    )
    for name, value in headers.items():
        response[name] = value
    return _with_reason(response)
