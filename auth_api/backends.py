"""Session login (admin, browsable API, OAuth2 authorization) by e-mail, in any spelling."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from auth_api.services import may_log_in, verify_login
from customers import activities
from customers.models import ActivityType
from jsonapi.errors import ApiError


class CustomerBackend(ModelBackend):
    """Django's model backend with the rules of ``POST /access-tokens``.

    The same lockout counts failures per (client IP, account), only confirmed, not anonymized
    accounts may log in, and the account's activity log records the failure, so a login form is
    no side door around the API. The log in itself is recorded when a session starts
    (:func:`record_session_login`): a form may still refuse the account (the admin, non-staff).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        try:
            return verify_login(request=request, email=username, password=password)
        except ApiError as exc:
            raise PermissionDenied("too many log in attempts") from exc

    def user_can_authenticate(self, user) -> bool:
        return may_log_in(user)


def record_session_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: a session began (admin, browsable API, OAuth2 consent)."""
    activities.record_activity_of_live_customer(
        customer_id=user.pk, activity_type=ActivityType.LOGIN, request=request
    )
