"""URL map: the Glue resources at the root, the admin, and JSON:API errors for the rest."""

from django.contrib import admin
from django.urls import include, path, re_path

from jsonapi import views as jsonapi_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("customers.urls")),
    path("", include("addresses.urls")),
    path("", include("auth_api.urls")),
    # Last: any other URL is a JSON:API 404, in debug mode too.
    re_path(r"^", jsonapi_views.not_found),
]

handler400 = "jsonapi.views.bad_request"
handler403 = "jsonapi.views.permission_denied"
handler404 = "jsonapi.views.not_found"
handler500 = "jsonapi.views.server_error"
