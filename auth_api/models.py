"""Password restore keys: only their digest is stored, each works once and expires."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


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
