"""``manage.py purge_spent_credentials``."""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from auth_api.models import RestorePasswordKey, SpentAuthorizationCode
from auth_api.services import (
    issue_tokens,
    record_spent_authorization_code,
    revoke_refresh_token,
    token_checksum,
)
from operations.keys import key_digest
from tests.factories import CustomerFactory


def make_key(digest: str, **fields) -> RestorePasswordKey:
    fields.setdefault("expires_at", timezone.now() + timedelta(hours=1))
    return RestorePasswordKey.objects.create(
        customer=CustomerFactory(), key_digest=digest, **fields
    )


def test_purge_deletes_spent_restore_keys_and_expired_tokens(customer, capsys):
    live_key = make_key("live")
    make_key("used", used_at=timezone.now())
    make_key("expired", expires_at=timezone.now() - timedelta(seconds=1))
    live = issue_tokens(customer)
    stale = issue_tokens(customer)
    # Revoked refresh tokens are kept until they expire, to detect replays (reuse protection).
    past = timezone.now() - timedelta(seconds=settings.REFRESH_TOKEN_EXPIRE_SECONDS + 1)
    stale_access = AccessToken.objects.filter(token_checksum=token_checksum(stale.access_token))
    stale_access.update(expires=past)
    RefreshToken.objects.filter(access_token__in=stale_access).update(revoked=past)

    call_command("purge_spent_credentials")

    assert list(RestorePasswordKey.objects.all()) == [live_key]
    assert "Deleted 2 spent restore password keys" in capsys.readouterr().out
    assert list(AccessToken.objects.values_list("token_checksum", flat=True)) == [
        token_checksum(live.access_token)
    ]
    assert list(RefreshToken.objects.values_list("token_checksum", flat=True)) == [
        token_checksum(live.refresh_token)
    ]


def test_purge_forgets_spent_authorization_codes_with_no_live_token_left(customer):
    live, revoked = issue_tokens(customer), issue_tokens(customer)
    for code, tokens in [("live-code", live), ("revoked-code", revoked)]:
        family = RefreshToken.objects.get(token_checksum=token_checksum(tokens.refresh_token))
        record_spent_authorization_code(code=code, token_family=family.token_family)
    revoke_refresh_token(customer=customer, refresh_token=revoked.refresh_token)

    call_command("purge_spent_credentials")

    assert list(SpentAuthorizationCode.objects.values_list("code_digest", flat=True)) == [
        key_digest("live-code")
    ]
