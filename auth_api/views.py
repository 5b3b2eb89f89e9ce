"""Glue's token resources: log in, refresh, log out."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from auth_api import services
from auth_api.resources import (
    ACCESS_TOKENS,
    CUSTOMER_FORGOTTEN_PASSWORD,
    CUSTOMER_PASSWORD,
    CUSTOMER_RESTORE_PASSWORD,
    REFRESH_TOKENS,
)
from auth_api.serializers import (
    AccessTokenRequestSerializer,
    ForgottenPasswordSerializer,
    PasswordChangeSerializer,
    RefreshTokenRequestSerializer,
    RestorePasswordSerializer,
)
from customers.permissions import IsReferencedCustomer
from jsonapi.errors import ApiError, ErrorCode
from jsonapi.views import ResourceView

LOGOUT_EVERYWHERE = "mine"
# Token answers must not be kept by any cache between the client and us (RFC 6749 §5.1).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def token_pair_response(view: ResourceView, tokens: services.TokenPair) -> Response:
    document = view.documents().single(view.resource, tokens)
    return Response(document, status=status.HTTP_201_CREATED, headers=NO_STORE)


class AccessTokensView(ResourceView):
    """``POST /access-tokens``: e-mail and password for a token pair."""

    resource = ACCESS_TOKENS
    permission_classes = [AllowAny]
    authentication_classes = []
    input_serializers = {"POST": AccessTokenRequestSerializer}
    documented_errors = {
        "POST": (ErrorCode.AUTHENTICATION_FAILED, ErrorCode.TOO_MANY_LOGIN_ATTEMPTS)
    }

    def post(self, request):
        credentials = self.validate_body()
        tokens = services.log_in(
            request=request,
            email=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        return token_pair_response(self, tokens)


class RefreshTokensView(ResourceView):
    """``POST /refresh-tokens``: a refresh token for a new pair; the old one is spent."""

    resource = REFRESH_TOKENS
    permission_classes = [AllowAny]
    authentication_classes = []
    input_serializers = {"POST": RefreshTokenRequestSerializer}
    documented_errors = {"POST": (ErrorCode.REFRESH_FAILED,)}

    def post(self, request):
        body = self.validate_body()
        tokens = services.refresh_tokens(
            refresh_token=body.validated_data["refresh_token"], request=request
        )
        return token_pair_response(self, tokens)

    @extend_schema(exclude=True)
    def delete(self, request):
        """``DELETE /refresh-tokens`` names no token: 400, as Glue answers it."""
        raise ApiError(ErrorCode.RESOURCE_ID_MISSING)


class RefreshTokenView(ResourceView):
    """``DELETE /refresh-tokens/{refreshToken|mine}``: always 204, nothing is revealed."""

    resource = REFRESH_TOKENS

    def delete(self, request, refresh_token: str):
        if refresh_token == LOGOUT_EVERYWHERE:
            services.log_out_everywhere(request.user, request=request)
        else:
            services.revoke_refresh_token(
                customer=request.user, refresh_token=refresh_token, request=request
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CustomerPasswordView(ResourceView):
    """``PATCH /customer-password[/{ref}]``: the current password for a new one.

    Without a reference (the Glue 201903 seed's URL) it is the caller's own password.
    """

    resource = CUSTOMER_PASSWORD
    # A body id, when sent, must be the URL's reference (JSON:API's id rule).
    lookup_url_kwarg = "customer_reference"
    permission_classes = [IsAuthenticated, IsReferencedCustomer]
    input_serializers = {"PATCH": PasswordChangeSerializer}
    documented_errors = {
        "PATCH": (
            ErrorCode.INVALID_PASSWORD,
            ErrorCode.PASSWORDS_DIFFER,
            ErrorCode.TOO_MANY_LOGIN_ATTEMPTS,
        )
    }

    def get_serializer_context(self) -> dict:
        # The policy compares the new password with the caller's own names and e-mail.
        return {**super().get_serializer_context(), "customer": self.request.user}

    def patch(self, request, customer_reference: str | None = None):
        body = self.validate_body()
        services.change_password(
            request=request,
            customer=request.user,
            current_password=body.validated_data["password"],
            new_password=body.validated_data["new_password"],
            keep=request.auth,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class OwnPasswordView(CustomerPasswordView):
    """``PATCH /customer-password``, the Glue 201903 seed's URL; documented once, above."""

    schema = None


class ForgottenPasswordView(ResourceView):
    """``POST /customer-forgotten-password``: always 204, whether the e-mail is known or not."""

    resource = CUSTOMER_FORGOTTEN_PASSWORD
    permission_classes = [AllowAny]
    authentication_classes = []
    input_serializers = {"POST": ForgottenPasswordSerializer}
    documented_errors = {"POST": (ErrorCode.TOO_MANY_REQUESTS,)}

    def post(self, request):
        body = self.validate_body()
        services.request_password_restore(request=request, email=body.validated_data["email"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class RestorePasswordView(ResourceView):
    """``PATCH /customer-restore-password[/{anyId}]``: the mailed key for a new password.

    Glue clients put some id into the URL; it is ignored, and no lookup kwarg is declared so a
    body id never conflicts with it.
    """

    resource = CUSTOMER_RESTORE_PASSWORD
    permission_classes = [AllowAny]
    authentication_classes = []
    input_serializers = {"PATCH": RestorePasswordSerializer}
    documented_errors = {"PATCH": (ErrorCode.INVALID_RESTORE_KEY, ErrorCode.PASSWORDS_DIFFER)}

    def patch(self, request, any_id: str | None = None):
        body = self.validate_body()
        services.restore_password(
            restore_password_key=body.validated_data["restore_password_key"],
            password=body.validated_data["password"],
            request=request,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RestorePasswordAliasView(RestorePasswordView):
    """``PATCH /customer-restore-password/{anyId}``, Glue's spelling; documented once, above."""

    schema = None
