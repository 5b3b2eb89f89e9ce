"""Password restore keys and spent OAuth2 authorization codes: only their digests are stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from oauth2_provider.models import RefreshToken


class RestorePasswordKeyQuerySet(models.QuerySet):
    def usable(self) -> RestorePasswordKeyQuerySet:
        """Keys that are neither used nor expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())

    def spent(self) -> RestorePasswordKeyQuerySet:
        """Keys that can never work again: used or expired."""
        return self.filter(Q(used_at__isnull=False) | Q(expires_at__lte=timezone.now()))


class RestorePasswordKey(models.Model):
    """A key mailed by ``/customer-forgotten-password``; the key itself is only in the e-mail.

    One per customer: a newer request overwrites the row, so older keys stop working.
    """

    customer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restore_password_key"
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = RestorePasswordKeyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"restore password key #{self.pk}"


class SpentAuthorizationCodeQuerySet(models.QuerySet):
    def without_live_tokens(self) -> SpentAuthorizationCodeQuerySet:
        """Codes whose token family has no live refresh token, so nothing left to revoke."""
        live = RefreshToken.objects.filter(
            token_family=OuterRef("token_family"), revoked__isnull=True
        )
        return self.filter(~Exists(live))


class SpentAuthorizationCode(models.Model):
    """An OAuth2 authorization code that was exchanged, and the token family it bought.

    A code works once; presented again it has leaked, and the tokens issued from it are
    revoked (RFC 6749 §4.1.2). DOT deletes the grant on exchange, so this row is what is left
    of it: the code's digest, never the code.
    """

    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_family = models.UUIDField(editable=False)
    spent_at = models.DateTimeField(auto_now_add=True)

    objects = SpentAuthorizationCodeQuerySet.as_manager()

    def __str__(self) -> str:
        return f"spent authorization code #{self.pk}"
