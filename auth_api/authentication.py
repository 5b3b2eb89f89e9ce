"""Bearer token authentication from the ``Authorization`` header only."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from auth_api.services import customer_for_access_token


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <accessToken>``; tokens in query strings are never read."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise AuthenticationFailed()
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed() from exc
        found = customer_for_access_token(token)
        if found is None:
            raise AuthenticationFailed()
        return found

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
