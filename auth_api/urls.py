from django.urls import path

from auth_api.token_endpoint import token
from auth_api.views import (
    AccessTokensView,
    CustomerPasswordView,
    ForgottenPasswordView,
    OwnPasswordView,
    RefreshTokensView,
    RefreshTokenView,
    RestorePasswordAliasView,
    RestorePasswordView,
)

urlpatterns = [
    path("token", token, name="token"),
    path("access-tokens", AccessTokensView.as_view(), name="access-tokens"),
    path("refresh-tokens", RefreshTokensView.as_view(), name="refresh-tokens"),
    path("refresh-tokens/<str:refresh_token>", RefreshTokenView.as_view(), name="refresh-token"),
    path("customer-password", OwnPasswordView.as_view(), name="own-password"),
    path(
        "customer-password/<str:customer_reference>",
        CustomerPasswordView.as_view(),
        name="customer-password",
    ),
    path(
        "customer-forgotten-password",
        ForgottenPasswordView.as_view(),
        name="customer-forgotten-password",
    ),
    path(
        "customer-restore-password",
        RestorePasswordView.as_view(),
        name="customer-restore-password",
    ),
    path(
        "customer-restore-password/<str:any_id>",
        RestorePasswordAliasView.as_view(),
        name="customer-restore-password-with-id",
    ),
]
