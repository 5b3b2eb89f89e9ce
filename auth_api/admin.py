"""Staff view of OAuth2 applications and tokens: django-oauth-toolkit's admin, adjusted.

DOT registers these classes itself, named by its ``*_ADMIN_CLASS`` settings; its admin module
imports this one while it loads, so this module is imported through the admin site only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from oauth2_provider import admin as oauth2_admin
from oauth2_provider import forms as oauth2_forms
from oauth2_provider.models import RefreshToken


class ApplicationForm(oauth2_forms.ApplicationForm):
    """DOT's form, which never puts an existing application's stored secret into the page.

    Left empty, the field keeps the secret; a value entered replaces it.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        secret = self.fields.get("client_secret")
        if secret is None or not self.instance.pk:
            return
        secret.widget = forms.PasswordInput(attrs={"autocomplete": "new-password"})
        # A callable model default makes Django repeat the initial value in a hidden input.
        secret.show_hidden_initial = False
        secret.required = False
        secret.help_text = (
            "Not shown. Leave empty to keep the current secret; a value entered here replaces "
            "it (copy it before saving)."
        )

    def clean_client_secret(self) -> str:
        return self.cleaned_data["client_secret"] or self.instance.client_secret


class ApplicationAdmin(oauth2_admin.ApplicationAdmin):
    """DOT's, without "View on site": the application pages it links to are not served."""

    form = ApplicationForm
    view_on_site = False


class IssuedCredentialAdmin(admin.ModelAdmin):
    """Credentials are issued by the OAuth2 flows and revoked, never edited by hand.

    Whoever could change a token's or a code's user would hold a credential of that user.
    The change permission is kept for the list, where it allows revoking.
    """

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return obj is None and super().has_change_permission(request)


class AccessTokenAdmin(IssuedCredentialAdmin, oauth2_admin.AccessTokenAdmin):
    """DOT's, read-only."""

    @admin.action(permissions=["change"], description="Revoke selected access tokens")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().revoke_tokens(request, queryset)


class GrantAdmin(IssuedCredentialAdmin, oauth2_admin.GrantAdmin):
    """DOT's, read-only."""


class IDTokenAdmin(IssuedCredentialAdmin, oauth2_admin.IDTokenAdmin):
    """DOT's, read-only."""


class RefreshTokenAdmin(IssuedCredentialAdmin, oauth2_admin.RefreshTokenAdmin):
    """DOT's, read-only, with when each token was issued and whether it is revoked."""

    list_display = ("pk", "masked_token", "user", "application", "created", "is_revoked")
    list_filter = ("revoked", "application")

    @admin.action(permissions=["change"], description="Revoke selected refresh tokens")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().revoke_tokens(request, queryset)

    @admin.display(boolean=True, description="revoked", ordering="revoked")
    def is_revoked(self, refresh_token: RefreshToken) -> bool:
        return refresh_token.revoked is not None
