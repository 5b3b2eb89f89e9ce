from django.urls import path

from customers.views import (
    CustomerActivityViewSet,
    CustomerConfirmationRequestView,
    CustomerConfirmationView,
    CustomerDataExportView,
    CustomerViewSet,
)

urlpatterns = [
    path(
        "customers",
        CustomerViewSet.as_view(CustomerViewSet.collection_actions),
        name="customers",
    ),
    path(
        "customers/<str:customer_reference>",
        CustomerViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="customer",
    ),
    path(
        "customer-confirmation",
        CustomerConfirmationView.as_view(),
        name="customer-confirmation",
    ),
    path(
        "customer-confirmation-requests",
        CustomerConfirmationRequestView.as_view(),
        name="customer-confirmation-requests",
    ),
    path(
        "customers/<str:customer_reference>/customer-data-export",
        CustomerDataExportView.as_view(),
        name="customer-data-export",
    ),
    *CustomerActivityViewSet.routes(item_name="customer-activity"),
]
