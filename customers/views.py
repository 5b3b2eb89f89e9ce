"""Customer resources: thin views that validate, call one service and render."""

from __future__ import annotations

from rest_framework import status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from customers import services
from customers.document_cache import cached_read, honours_if_match
from customers.models import Customer
from customers.permissions import IsReferencedCustomer
from customers.serializers import (
    ConfirmationSerializer,
    CustomerSerializer,
    CustomerUpdateSerializer,
    RegistrationSerializer,
)
from jsonapi.errors import ErrorCode
from jsonapi.includes import prefetch_includes
from jsonapi.views import request_attributes

REGISTRATION_ONLY_FIELDS = ("confirm_password", "accepted_terms")


class CustomerViewSet(viewsets.GenericViewSet):
    """``/customers`` and ``/customers/{customerReference}``: the caller's own account."""

    resource_name = "customers"
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    lookup_field = "customer_reference"
    is_customer_resource = True
    permission_classes = [IsAuthenticated, IsReferencedCustomer]
    input_serializers = {"POST": RegistrationSerializer, "PATCH": CustomerUpdateSerializer}
    documented_errors = {
        "POST": (
            ErrorCode.EMAIL_TAKEN,
            ErrorCode.PASSWORDS_DIFFER,
            ErrorCode.INVALID_GENDER,
            ErrorCode.TOO_MANY_REQUESTS,
        ),
        "PATCH": (ErrorCode.EMAIL_TAKEN, ErrorCode.INVALID_GENDER),
    }

    def get_queryset(self):
        if not self.request.user.is_authenticated:
            # Reached only by the browsable API, which reads it to render a refusal's page.
            return super().get_queryset().none()
        return super().get_queryset().filter(pk=self.request.user.pk)

    def get_permissions(self):
        if self.action in ("create", "metadata"):
            return [AllowAny()]
        return super().get_permissions()

    def list(self, request):
        page = self.paginate_queryset([request.user])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @cached_read
    def retrieve(self, request, customer_reference: str):
        prefetch_includes([request.user], self.get_serializer_class(), request)
        return Response(self.get_serializer(request.user).data)

    def create(self, request):
        services.count_registration_attempt(request)
        registration = RegistrationSerializer(data=request_attributes(request))
        registration.is_valid(raise_exception=True)
        profile = {
            name: value
            for name, value in registration.validated_data.items()
            if name not in REGISTRATION_ONLY_FIELDS
        }
        with services.registration_allowance(request):
            customer = services.register_customer(**profile)
        return Response(self.get_serializer(customer).data, status=status.HTTP_201_CREATED)

    @honours_if_match
    def partial_update(self, request, customer_reference: str):
        update = CustomerUpdateSerializer(instance=request.user, data=request_attributes(request))
        update.is_valid(raise_exception=True)
        customer = services.update_customer(customer=request.user, changes=update.validated_data)
        return Response(self.get_serializer(customer).data)

    @honours_if_match
    def destroy(self, request, customer_reference: str):
        services.anonymize_customer(customer=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CustomerConfirmationView(APIView):
    """``POST /customer-confirmation``: the registration key from the e-mail."""

    resource_name = "customer-confirmation"
    permission_classes = [AllowAny]
    input_serializers = {"POST": ConfirmationSerializer}
    documented_errors = {"POST": (ErrorCode.INVALID_CONFIRMATION_KEY,)}

    def post(self, request):
        confirmation = ConfirmationSerializer(data=request_attributes(request))
        confirmation.is_valid(raise_exception=True)
        services.confirm_customer(**confirmation.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
