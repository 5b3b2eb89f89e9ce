"""Glue's token resources: log in, refresh, log out."""

from __future__ import annotations

from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from auth_api import services
from auth_api.serializers import (
    AccessTokenRequestSerializer,
    RefreshTokenRequestSerializer,
    TokenPairSerializer,
)
from jsonapi.errors import ErrorCode
from jsonapi.views import request_attributes

LOGOUT_EVERYWHERE = "mine"


class AccessTokensView(APIView):
    """``POST /access-tokens``: e-mail and password for a token pair."""

    resource_name = "access-tokens"
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = TokenPairSerializer
    input_serializers = {"POST": AccessTokenRequestSerializer}
    documented_errors = {
        "POST": (ErrorCode.AUTHENTICATION_FAILED, ErrorCode.TOO_MANY_LOGIN_ATTEMPTS)
    }

    def post(self, request):
        credentials = AccessTokenRequestSerializer(data=request_attributes(request))
        credentials.is_valid(raise_exception=True)
        tokens = services.log_in(
            request=request,
            email=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        return Response(TokenPairSerializer(tokens).data, status=status.HTTP_201_CREATED)


class RefreshTokensView(APIView):
    """``POST /refresh-tokens``: a refresh token for a new pair; the old one is spent."""

    resource_name = "refresh-tokens"
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = TokenPairSerializer
    input_serializers = {"POST": RefreshTokenRequestSerializer}
    documented_errors = {"POST": (ErrorCode.REFRESH_FAILED,)}

    def post(self, request):
        body = RefreshTokenRequestSerializer(data=request_attributes(request))
        body.is_valid(raise_exception=True)
        tokens = services.refresh_tokens(refresh_token=body.validated_data["refresh_token"])
        return Response(TokenPairSerializer(tokens).data, status=status.HTTP_201_CREATED)


class RefreshTokenView(APIView):
    """``DELETE /refresh-tokens/{refreshToken|mine}``: always 204, nothing is revealed."""

    resource_name = "refresh-tokens"

    def delete(self, request, refresh_token: str):
        if refresh_token == LOGOUT_EVERYWHERE:
            services.revoke_all_tokens(request.user)
        else:
            services.revoke_refresh_token(customer=request.user, refresh_token=refresh_token)
        return Response(status=status.HTTP_204_NO_CONTENT)
