"""Staff view of OAuth2 applications and tokens: django-oauth-toolkit's admin, adjusted.

DOT registers these classes itself, named by its ``*_ADMIN_CLASS`` settings; its admin module
imports this one while it loads, so this module is imported through the admin site only.
"""

from __future__ import annotations

from django.contrib import admin
from oauth2_provider import admin as oauth2_admin
from oauth2_provider.models import RefreshToken


class ApplicationAdmin(oauth2_admin.ApplicationAdmin):
    """DOT's, without "View on site": the application pages it links to are not served."""

    view_on_site = False


class RefreshTokenAdmin(oauth2_admin.RefreshTokenAdmin):
    """DOT's, showing when a token was issued and whether it is revoked."""

    list_display = ("pk", "masked_token", "user", "application", "created", "is_revoked")
    list_filter = ("revoked", "application")

    @admin.display(boolean=True, description="revoked", ordering="revoked")
    def is_revoked(self, refresh_token: RefreshToken) -> bool:
        return refresh_token.revoked is not None
