"""/api-auth/: the session login and logout of the browsable API and the OAuth2 consent page.

DRF's two routes, except that a browser already logged in (to the admin, say) is sent on to
where it was going rather than shown the login form again; "Log out" is in the pages' menu.
A log out goes into the customer's activity log (a log in does when its session starts,
``auth_api.backends.record_session_login``).
"""

from django.contrib.auth import views
from django.urls import path

from customers import activities
from customers.models import ActivityType

app_name = "rest_framework"


class LogoutView(views.LogoutView):
    """Django's log out, recorded in the activity log of the customer it logs out."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            activities.record_activity_of_live_customer(
                customer_id=request.user.pk, activity_type=ActivityType.LOGOUT, request=request
            )
        return super().post(request, *args, **kwargs)


urlpatterns = [
    path(
        "login/",
        views.LoginView.as_view(
            template_name="rest_framework/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", LogoutView.as_view(), name="logout"),
]
