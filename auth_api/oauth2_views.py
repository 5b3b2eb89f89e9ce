"""The OAuth2 endpoints served under /oauth/: django-oauth-toolkit's views, narrowed to the
authorization code grant with PKCE, refresh, revocation and introspection.

Their errors are RFC 6749 JSON documents, never DOT's HTML error page; a wrong method is a
JSON:API 405 like on every other URL of the service.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from oauth2_provider import views as oauth2_views
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.models import get_application_model
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.common import Request as OAuthlibRequest
from oauthlib.oauth2.rfc6749 import errors

from auth_api.services import record_refresh_token_replay
from jsonapi.errors import error_response, method_not_allowed

OAUTH_ERROR_MEDIA_TYPE = "application/json"


def oauth_error_response(error: errors.OAuth2Error) -> HttpResponse:
    """oauthlib's error as the RFC 6749 JSON document, with its status and headers."""
    response = HttpResponse(
        error.json, status=error.status_code, content_type=OAUTH_ERROR_MEDIA_TYPE
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


class OAuthEndpoint:
    """A wrong method answers as on every other URL of the service: a JSON:API 405."""

    def http_method_not_allowed(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refused = super().http_method_not_allowed(request, *args, **kwargs)
        return error_response([method_not_allowed(request.method, refused["Allow"])])


class ConsentRequired(Exception):
    """DOT would issue a code without asking the customer, and the client may not skip that."""


class AuthorizationView(OAuthEndpoint, oauth2_views.AuthorizationView):
    """The consent page; a request that cannot be answered by a redirect gets JSON.

    A public client is shown the consent page every time (RFC 8252 §8.6): anyone can send a
    customer's browser to its authorization URL with their own PKCE challenge, so an earlier
    approval (``approval_prompt=auto``) or ``skip_authorization`` must not turn that request
    into a code. Confidential clients keep DOT's behaviour: their code is useless without
    their secret.

    A redirect goes only to a redirect URI registered for the client: the consent form's
    hidden fields are checked against the client again before DOT reads them.
    """

    # DOT's page, with a title.
    template_name = "auth_api/authorize.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)
        except ConsentRequired:
            # DOT keeps the page's context in oauth2_data (its form's initial data come from
            # there); the page is the one it renders when nothing lets it skip the consent.
            return self.render_to_response(self.get_context_data(**self.oauth2_data))

    def create_authorization_response(self, request, scopes, credentials, allow):
        """Issue the code; without the consent form posted, only to a confidential client.

        DOT's ``get`` calls this to approve without asking; the only other caller is the
        submitted consent form.
        """
        if request.method != "POST" and not self._is_confidential(credentials["client_id"]):
            raise ConsentRequired
        return super().create_authorization_response(request, scopes, credentials, allow)

    @staticmethod
    def _is_confidential(client_id: str) -> bool:
        application_model = get_application_model()
        return application_model.objects.filter(
            client_id=client_id, client_type=application_model.CLIENT_CONFIDENTIAL
        ).exists()

    def error_response(self, error: OAuthToolkitError, application, **kwargs) -> HttpResponse:
        if isinstance(error, FatalClientError) or not error.oauthlib_error.redirect_uri:
            return oauth_error_response(error.oauthlib_error)
        return super().error_response(error, application, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        missing = ", ".join(sorted(form.errors))
        description = f"Missing or invalid authorization form fields: {missing}."
        return oauth_error_response(errors.InvalidRequestError(description=description))

    def form_valid(self, form) -> HttpResponse:
        application = (
            get_application_model().objects.filter(client_id=form.cleaned_data["client_id"]).first()
        )
        if application is None:
            return oauth_error_response(errors.InvalidClientIdError())
        if not application.redirect_uri_allowed(form.cleaned_data["redirect_uri"]):
            return oauth_error_response(errors.MismatchingRedirectURIError())
        return super().form_valid(form)


class TokenView(OAuthEndpoint, oauth2_views.TokenView):
    """Token requests, all answered by oauthlib's server, each in one transaction.

    DOT's ``post`` hands the device code grant to its own device flow before oauthlib sees the
    request; this service has no device flow, so oauthlib refuses the grant like any other it
    does not offer. The transaction holds the lock the validator takes on an authorization
    code's grant until the code is spent. A refused refresh with a spent refresh token (DOT
    revokes its family) goes into its customer's activity log, as at ``/refresh-tokens``.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with transaction.atomic():
            response = self.authorization_flow_token_response(request)
            if response.status_code == 400 and request.POST.get("grant_type") == "refresh_token":
                record_refresh_token_replay(
                    refresh_token=request.POST.get("refresh_token", ""), request=request
                )
            return response


class RevokeTokenView(OAuthEndpoint, oauth2_views.RevokeTokenView):
    """RFC 7009 revocation, as DOT serves it."""


@method_decorator(csrf_exempt, name="dispatch")
class IntrospectTokenView(OAuthEndpoint, OAuthLibMixin, View):
    """RFC 7662 introspection, for resource servers: confidential clients with their secret.

    DOT's view also answers public clients (whose empty secret matches the one stored), bearer
    tokens with an ``introspection`` scope, and tokens in a GET query string. Here only a POST
    of a confidential client that authenticates with its secret (HTTP Basic or the form's
    ``client_secret``) is answered, and a token is read only from the form body.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "token" in request.GET:
            description = "Send the token in the form body, never in the query string."
            return oauth_error_response(errors.InvalidRequestError(description=description))
        client = self.authenticated_client(request)
        if client is None or client.client_type != client.CLIENT_CONFIDENTIAL:
            description = (
                "Only a confidential client authenticating with its secret may introspect."
            )
            response = oauth_error_response(errors.InvalidClientError(description=description))
            response["WWW-Authenticate"] = 'Basic realm="oauth"'
            return response
        return oauth2_views.IntrospectTokenView.get_token_response(request.POST.get("token"))

    def authenticated_client(self, request: HttpRequest):
        """The application whose credentials (RFC 6749 §2.3.1) the request carries, or None.

        The same check as DOT's ``authenticate_client``, which answers only yes or no; the
        query string is left out, so no credential is read from it either.
        """
        core = self.get_oauthlib_core()
        oauth_request = OAuthlibRequest(
            request.build_absolute_uri(request.path),
            request.method,
            urlencode(core.extract_body(request)),
            core.extract_headers(request),
        )
        if not core.server.request_validator.authenticate_client(oauth_request):
            return None
        return oauth_request.client
