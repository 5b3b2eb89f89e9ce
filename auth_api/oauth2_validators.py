"""django-oauth-toolkit's request validator, remembering spent authorization codes."""

from __future__ import annotations

from oauth2_provider import oauth2_validators

from auth_api.services import (
    FIRST_PARTY_CLIENT_ID,
    end_sessions_past_the_cap,
    lock_authorization_code,
    record_spent_authorization_code,
    revoke_tokens_of_spent_code,
    token_family_of,
)


class OAuth2Validator(oauth2_validators.OAuth2Validator):
    """DOT's validator; a reused authorization code revokes the tokens issued from it.

    RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization
    server MUST deny the request and SHOULD revoke (when possible) all tokens previously
    issued based on that authorization code." DOT deletes the grant when its code is
    exchanged; the code's digest is kept with the token family the exchange issued.
    """

    def validate_code(self, client_id, code, client, request, *args, **kwargs) -> bool:
        """Whether the code is live; a spent one revokes the tokens it was exchanged for.

        The grant stays locked until the token request's transaction ends, so a second
        request with the same code waits for the first and then finds the code spent.
        """
        lock_authorization_code(code=code, application=client)
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        revoke_tokens_of_spent_code(code)
        return False

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs) -> bool:
        """The storefront's tokens are refreshed at /refresh-tokens only.

        That is where replays revoke the token family and a closed account stops refreshing;
        DOT would otherwise let the storefront's public client refresh them here too.
        """
        if client.client_id == FIRST_PARTY_CLIENT_ID:
            return False
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)

    def save_bearer_token(self, token, request, *args, **kwargs):
        saved = super().save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type == "authorization_code":
            record_spent_authorization_code(
                code=request.code, token_family=token_family_of(token["refresh_token"])
            )
            end_sessions_past_the_cap(request.user.pk)
        return saved
