"""URL map: the Glue resources at the root, the admin, and JSON:API errors for the rest."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerOauthRedirectView

from jsonapi import handlers
from jsonapi.discovery import DiscoveryView
from jsonapi.docs import DocsView, SchemaView
from operations import health

urlpatterns = [
    path("", DiscoveryView.as_view(), name="discovery"),
    path("admin/", admin.site.urls),
    path("health", handlers.reads_only(health.health), name="health"),
    path("health/live", handlers.reads_only(health.live), name="health-live"),
    path("schema", SchemaView.as_view(), name="schema"),
    path("docs", DocsView.as_view(url_name="schema"), name="docs"),
    # Where Swagger UI's OAuth2 "Authorize" sends the customer back with the code: next to /docs.
    path(
        "oauth2-redirect.html",
        SpectacularSwaggerOauthRedirectView.as_view(),
        name="docs-oauth2-redirect",
    ),
    # Standard OAuth2 for apps: authorize (PKCE), token, revoke, introspect; no device flow and
    # no self-service application pages (clients are registered with create_oauth_client).
    path("oauth/", include("auth_api.oauth2_urls")),
    # Session login and logout for the browsable API and the OAuth2 authorization page.
    path("api-auth/", include("auth_api.session_urls")),
    path("", include("customers.urls")),
    path("", include("addresses.urls")),
    path("", include("auth_api.urls")),
    path("", include("relations.urls")),
    path("", include("properties.urls")),
    path("", include("customer_groups.urls")),
    # Last: any other URL is a JSON:API 404, in debug mode too.
    re_path(r"^", handlers.not_found),
]

handler400 = "jsonapi.handlers.bad_request"
handler403 = "jsonapi.handlers.permission_denied"
handler404 = "jsonapi.handlers.not_found"
handler500 = "jsonapi.handlers.server_error"
