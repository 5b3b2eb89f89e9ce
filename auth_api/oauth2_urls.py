"""/oauth/: authorize, token, revoke_token and introspect; nothing else of DOT's routes."""

from django.urls import path
from oauth2_provider import views as oauth2_views

from auth_api import oauth2_views as views

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", oauth2_views.AuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth2_views.IntrospectTokenView.as_view(), name="introspect"),
]
