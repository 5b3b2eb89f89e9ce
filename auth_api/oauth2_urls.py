"""/oauth/: authorize, token, revoke_token and introspect; nothing else of DOT's routes."""

from django.urls import path

from auth_api import oauth2_views as views
from jsonapi.handlers import not_found

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", views.AuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    # Not served: DOT's Application.get_absolute_url names this route, and the admin's
    # "view on site" shortcut (/admin/r/...) follows it; without it, that page is a 500.
    path("applications/<slug:pk>/", not_found, name="detail"),
]
