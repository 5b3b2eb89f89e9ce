from django.urls import path

from auth_api.views import AccessTokensView, RefreshTokensView, RefreshTokenView

urlpatterns = [
    path("access-tokens", AccessTokensView.as_view(), name="access-tokens"),
    path("refresh-tokens", RefreshTokensView.as_view(), name="refresh-tokens"),
    path("refresh-tokens/<str:refresh_token>", RefreshTokenView.as_view(), name="refresh-token"),
]
