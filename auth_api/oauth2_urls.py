"""/oauth/: authorize, token, revoke_token and introspect; nothing else of DOT's routes."""

from django.urls import path

from auth_api import oauth2_views as views
from jsonapi.handlers import not_found

app_name = "oauth2_provider"

ENDPOINTS = (
    ("authorize", views.AuthorizationView, "authorize"),
    ("token", views.TokenView, "token"),
    ("revoke_token", views.RevokeTokenView, "revoke-token"),
    ("introspect", views.IntrospectTokenView, "introspect"),
)

urlpatterns = [
    # DOT's spelling with the slash is the named one; clients configured by hand may leave it out.
    *(path(f"{route}/", view.as_view(), name=name) for route, view, name in ENDPOINTS),
    *(path(route, view.as_view()) for route, view, _ in ENDPOINTS),
    # Not served: DOT's Application.get_absolute_url names this route, and the admin's
    # "view on site" shortcut (/admin/r/...) follows it; without it, that page is a 500.
    path("applications/<slug:pk>/", not_found, name="detail"),
]
