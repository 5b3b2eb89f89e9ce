"""How OpenAPI describes the bearer tokens: Glue's /access-tokens and standard OAuth2 alike."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Both kinds of access token travel as ``Authorization: Bearer <token>``."""

    target_class = "auth_api.authentication.BearerTokenAuthentication"
    name = ["bearerAuth", "oauth2"]

    def get_security_requirement(self, auto_schema) -> list[dict]:
        return [{"bearerAuth": []}, {"oauth2": list(settings.OAUTH2_PROVIDER["DEFAULT_SCOPES"])}]

    def get_security_definition(self, auto_schema) -> list[dict]:
        return [
            {
                "type": "http",
                "scheme": "bearer",
                "description": "The accessToken from POST /access-tokens or /refresh-tokens.",
            },
            {
                "type": "oauth2",
                "description": "Authorization code with PKCE (S256) for apps.",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": "/oauth/authorize/",
                        "tokenUrl": "/oauth/token/",
                        "refreshUrl": "/oauth/token/",
                        "scopes": settings.OAUTH2_PROVIDER["SCOPES"],
                    }
                },
            },
        ]
