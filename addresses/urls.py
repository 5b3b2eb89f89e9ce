from django.urls import path

from addresses.views import AddressViewSet

urlpatterns = [
    path(
        "customers/<str:customer_reference>/addresses",
        AddressViewSet.as_view({"get": "list", "post": "create"}),
        name="addresses",
    ),
    path(
        "customers/<str:customer_reference>/addresses/<str:uuid>",
        AddressViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="address",
    ),
]
