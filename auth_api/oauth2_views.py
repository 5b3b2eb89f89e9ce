"""The OAuth2 endpoints served under /oauth/: django-oauth-toolkit's views, narrowed to the
authorization code grant with PKCE, refresh, revocation and introspection."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from oauth2_provider import views as oauth2_views


class TokenView(oauth2_views.TokenView):
    """Token requests, all answered by oauthlib's server.

    DOT's ``post`` hands the device code grant to its own device flow before oauthlib sees the
    request; this service has no device flow, so oauthlib refuses the grant like any other it
    does not offer.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.authorization_flow_token_response(request)
