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
    accounts may log in, and the account's activity log records the log in or the failure, so
    a login form is no side door around the API.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        try:
            customer = verify_login(request=request, email=username, password=password)
        except ApiError as exc:
            raise PermissionDenied("too many log in attempts") from exc
        if customer is None:
            return None
        activities.record_activity_of_live_customer(
            customer_id=customer.pk, activity_type=ActivityType.LOGIN, request=request
        )
        return customer

    def user_can_authenticate(self, user) -> bool:
        return may_log_in(user)
