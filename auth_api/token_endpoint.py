"""``POST /token``: Glue's OAuth endpoint for the shop's own storefront (contract §11.2).

Form-encoded, answered with RFC 6749 JSON rather than JSON:API: ``grant_type=password``
(``username``, ``password``) and ``grant_type=refresh_token`` (``refresh_token``). The tokens,
limits and lockout are those of ``/access-tokens`` and ``/refresh-tokens``.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from auth_api import services
from auth_api.views import NO_STORE
from jsonapi.errors import ApiError, ErrorCode, ErrorObject, error_response

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
CREDENTIAL_MAX_LENGTH = 255
# The descriptions are RFC 6749's own, as Glue words them.
INVALID_REQUEST = (
    "The request is missing a required parameter, includes an invalid parameter value, "
    "includes a parameter more than once, or is otherwise malformed."
)
UNSUPPORTED_GRANT_TYPE = "The authorization grant type is not supported by the server."
WRONG_CREDENTIALS = "The user credentials were incorrect."
INVALID_REFRESH_TOKEN = "The refresh token is invalid."  # noqa: S105 (a message)


def _oauth_json(status: int, body: dict, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    for name, value in {**NO_STORE, **(headers or {})}.items():
        response[name] = value
    return response


def _error(error: str, description: str, status: int = 400, **headers: str) -> HttpResponse:
    return _oauth_json(status, {"error": error, "error_description": description}, headers)


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _parameter(request: HttpRequest, name: str) -> str:
    """One non-empty parameter, sent once, of a sane length; else invalid_request."""
    values = request.POST.getlist(name)
    if len(values) != 1 or not values[0] or len(values[0]) > CREDENTIAL_MAX_LENGTH:
        raise _Refused(_error("invalid_request", INVALID_REQUEST))
    return values[0]


def _password_grant(request: HttpRequest) -> services.TokenPair:
    username, password = _parameter(request, "username"), _parameter(request, "password")
    try:
        return services.log_in(request=request, email=username, password=password)
    except ApiError as exc:
        if exc.error is ErrorCode.TOO_MANY_LOGIN_ATTEMPTS:
            raise _Refused(
                _error("too_many_requests", exc.detail, status=429, **exc.headers)
            ) from exc
        raise _Refused(_error("invalid_grant", WRONG_CREDENTIALS)) from exc


def _refresh_grant(request: HttpRequest) -> services.TokenPair:
    refresh_token = _parameter(request, "refresh_token")
    try:
        return services.refresh_tokens(refresh_token=refresh_token, request=request)
    except ApiError as exc:
        raise _Refused(_error("invalid_grant", INVALID_REFRESH_TOKEN)) from exc


GRANTS = {"password": _password_grant, "refresh_token": _refresh_grant}


@csrf_exempt  # credentials in the body, no cookie: nothing for a forged form to ride on
def token(request: HttpRequest) -> HttpResponse:
    """Tokens for the storefront, as Glue's ``/token`` answers them."""
    if request.method != "POST":
        return error_response(
            [ErrorObject(405, f'Method "{request.method}" not allowed.', headers={"Allow": "POST"})]
        )
    if request.content_type != FORM_MEDIA_TYPE:
        return _error("invalid_request", INVALID_REQUEST)
    try:
        grant_type = _parameter(request, "grant_type")
        grant = GRANTS.get(grant_type)
        if grant is None:
            return _error("unsupported_grant_type", UNSUPPORTED_GRANT_TYPE)
        tokens = grant(request)
    except _Refused as refused:
        return refused.response
    return _oauth_json(
        200,
        {
            "token_type": tokens.token_type,
            "expires_in": tokens.expires_in,
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
        },
    )
