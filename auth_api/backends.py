"""Session login (admin, browsable API, OAuth2 authorization) by e-mail, in any spelling."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from auth_api.login_limits import count_login_attempt, login_succeeded
from auth_api.services import check_credentials, may_log_in, record_failed_login
from customers import activities
from customers.models import ActivityType
from jsonapi.errors import ApiError


class CustomerBackend(ModelBackend):
    """Django's model backend with the rules of ``POST /access-tokens``.

    The same lockout counts failures per (client IP, account), only confirmed, not anonymized
    accounts may log in, and the account's activity log records the log in or the failure, so
    a login form is no side door around the API.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        try:
            count_login_attempt(request, username)
        except ApiError as exc:
            raise PermissionDenied("too many log in attempts") from exc
        credentials = check_credentials(email=username, password=password)
        if not credentials.accepted:
            record_failed_login(request, credentials.customer)
            return None
        login_succeeded(request, username)
        activities.record_activity_of_live_customer(
            customer_id=credentials.customer.pk, activity_type=ActivityType.LOGIN, request=request
        )
        return credentials.customer

    def user_can_authenticate(self, user) -> bool:
        return may_log_in(user)
