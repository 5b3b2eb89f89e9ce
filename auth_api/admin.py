"""Staff view of OAuth2 applications and tokens: django-oauth-toolkit's admin, adjusted.

DOT registers these classes itself, named by its ``*_ADMIN_CLASS`` settings; its admin module
imports this one while it loads, so this module is imported through the admin site only.
"""

from __future__ import annotations

from oauth2_provider import admin as oauth2_admin


class ApplicationAdmin(oauth2_admin.ApplicationAdmin):
    """DOT's, without "View on site": the application pages it links to are not served."""

    view_on_site = False
