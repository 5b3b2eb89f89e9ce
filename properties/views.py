"""``/customers/{ref}/customer-properties[/{uuid}]``: thin views over the property services."""

from __future__ import annotations

from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from customers.permissions import IsReferencedCustomer
from jsonapi.errors import ErrorCode
from jsonapi.views import request_attributes
from jsonapi.viewsets import CustomerItemViewSet
from properties import services
from properties.models import Property
from properties.serializers import PropertySerializer


class PropertyViewSet(CustomerItemViewSet):
    """The caller's properties, filtered by ``filter[propertyType]``."""

    resource_name = "customer-properties"
    serializer_class = PropertySerializer
    queryset = Property.objects.order_by("created_at", "id")
    permission_classes = [IsAuthenticated, IsReferencedCustomer]
    not_found = ErrorCode.PROPERTY_NOT_FOUND
    filters = {"propertyType": "property_type"}

    def create(self, request, customer_reference: str):
        serializer = self.get_serializer(data=request_attributes(request))
        serializer.is_valid(raise_exception=True)
        prop = services.create_property(customer=request.user, **serializer.validated_data)
        return Response(self.get_serializer(prop).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, customer_reference: str, uuid: str):
        prop = self.get_object()
        serializer = self.get_serializer(prop, data=request_attributes(request), partial=True)
        serializer.is_valid(raise_exception=True)
        prop = services.update_property(prop=prop, changes=serializer.validated_data)
        return Response(self.get_serializer(prop).data)

    def destroy(self, request, customer_reference: str, uuid: str):
        services.delete_property(prop=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
