from django.urls import path

from properties.views import PropertyViewSet

urlpatterns = [
    path(
        "customers/<str:customer_reference>/customer-properties",
        PropertyViewSet.as_view({"get": "list", "post": "create"}),
        name="customer-properties",
    ),
    path(
        "customers/<str:customer_reference>/customer-properties/<str:uuid>",
        PropertyViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="customer-property",
    ),
]
