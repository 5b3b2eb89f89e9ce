"""Staff view of OAuth2 applications and tokens: django-oauth-toolkit's admin, adjusted.

DOT registers these classes itself, named by its ``*_ADMIN_CLASS`` settings; its admin module
imports this one while it loads, so this module is imported through the admin site only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
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


class RefreshTokenAdmin(oauth2_admin.RefreshTokenAdmin):
    """DOT's, showing when a token was issued and whether it is revoked."""

    list_display = ("pk", "masked_token", "user", "application", "created", "is_revoked")
    list_filter = ("revoked", "application")

    @admin.display(boolean=True, description="revoked", ordering="revoked")
    def is_revoked(self, refresh_token: RefreshToken) -> bool:
        return refresh_token.revoked is not None
