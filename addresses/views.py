"""Address resources below a customer: thin views that validate, call one service and render."""

from __future__ import annotations

import uuid

from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from addresses import services
from addresses.models import Address
from addresses.serializers import AddressSerializer
from customers.permissions import IsReferencedCustomer
from jsonapi.errors import ApiError, ErrorCode
from jsonapi.views import request_attributes


class AddressViewSet(viewsets.GenericViewSet):
    """``/customers/{ref}/addresses[/{uuid}]``: the caller's own addresses."""

    resource_name = "addresses"
    serializer_class = AddressSerializer
    queryset = Address.objects.all()
    lookup_url_kwarg = "address_id"
    permission_classes = [IsAuthenticated, IsReferencedCustomer]

    def get_queryset(self):
        return super().get_queryset().filter(customer=self.request.user)

    def get_object(self) -> Address:
        """The caller's address of the URL; unknown, malformed or foreign → 404 code 404."""
        try:
            address_id = uuid.UUID(self.kwargs[self.lookup_url_kwarg])
        except ValueError as exc:
            raise ApiError(ErrorCode.ADDRESS_NOT_FOUND) from exc
        address = self.get_queryset().filter(pk=address_id).first()
        if address is None:
            raise ApiError(ErrorCode.ADDRESS_NOT_FOUND)
        return address

    def list(self, request, customer_reference: str):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, customer_reference: str):
        body = self.get_serializer(data=request_attributes(request))
        body.is_valid(raise_exception=True)
        address = services.create_address(customer=request.user, attributes=body.validated_data)
        return Response(self.get_serializer(address).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, customer_reference: str, address_id: str):
        return Response(self.get_serializer(self.get_object()).data)

    def partial_update(self, request, customer_reference: str, address_id: str):
        address = self.get_object()
        body = self.get_serializer(address, data=request_attributes(request), partial=True)
        body.is_valid(raise_exception=True)
        address = services.update_address(address=address, changes=body.validated_data)
        return Response(self.get_serializer(address).data)

    def destroy(self, request, customer_reference: str, address_id: str):
        services.delete_address(address=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
