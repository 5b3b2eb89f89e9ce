"""/api-auth/: the session login and logout of the browsable API and the OAuth2 consent page.

DRF's two routes, except that a browser already logged in (to the admin, say) is sent on to
where it was going rather than shown the login form again; "Log out" is in the pages' menu.
"""

from django.contrib.auth import views
from django.urls import path

app_name = "rest_framework"

urlpatterns = [
    path(
        "login/",
        views.LoginView.as_view(
            template_name="rest_framework/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
