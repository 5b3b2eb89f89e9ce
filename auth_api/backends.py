"""Session login (admin, browsable API, OAuth2 authorization) by e-mail, in any spelling."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from auth_api.login_limits import count_login_attempt, login_succeeded
from jsonapi.errors import ApiError


class CustomerBackend(ModelBackend):
    """Django's model backend with the rules of ``POST /access-tokens``.

    The same lockout counts failures per (client IP, account), and only confirmed,
    not anonymized accounts may log in, so a login form is no side door around the API.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return super().authenticate(request, username, password, **kwargs)
        try:
            count_login_attempt(request, username)
        except ApiError as exc:
            raise PermissionDenied("too many log in attempts") from exc
        customer = super().authenticate(request, username, password, **kwargs)
        if customer is not None:
            login_succeeded(request, username)
        return customer

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_anonymized", False):
            return False
        if settings.REQUIRE_EMAIL_CONFIRMATION and not getattr(user, "is_confirmed", True):
            return False
        return super().user_can_authenticate(user)
