from django.urls import path

from relations.views import RelationViewSet

urlpatterns = [
    path(
        "customers/<str:customer_reference>/customer-relations",
        RelationViewSet.as_view({"get": "list", "post": "create"}),
        name="customer-relations",
    ),
    path(
        "customers/<str:customer_reference>/customer-relations/<str:uuid>",
        RelationViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="customer-relation",
    ),
]
