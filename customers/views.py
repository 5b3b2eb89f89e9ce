"""Customer resources: thin views that validate, call one service and render."""

from __future__ import annotations

from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from customers import services
from customers.document_cache import cached_read, honours_if_match, tagged_by_content
from customers.models import ACTIVITY_ORDER, Customer, CustomerActivity
from customers.permissions import IsReferencedCustomer
from customers.resources import (
    CUSTOMER_ACTIVITIES,
    CUSTOMER_CONFIRMATION,
    CUSTOMER_CONFIRMATION_REQUESTS,
    CUSTOMER_DATA_EXPORTS,
    CUSTOMERS,
)
from customers.serializers import (
    ConfirmationMailRequestSerializer,
    ConfirmationSerializer,
    CustomerUpdateSerializer,
    RegistrationSerializer,
)
from customers.viewsets import CustomerItemViewSet
from jsonapi.errors import ErrorCode
from jsonapi.views import ResourceView, ResourceViewSet

REGISTRATION_ONLY_FIELDS = ("confirm_password", "accepted_terms")


class CustomerViewSet(ResourceViewSet):
    """``/customers`` and ``/customers/{customerReference}``: the caller's own account."""

    resource = CUSTOMERS
    id_missing = ErrorCode.CUSTOMER_ID_MISSING
    queryset = Customer.objects.all()
    lookup_field = "customer_reference"
    permission_classes = [IsAuthenticated, IsReferencedCustomer]
    input_serializers = {"POST": RegistrationSerializer, "PATCH": CustomerUpdateSerializer}
    documented_errors = {
        "POST": (
            ErrorCode.EMAIL_TAKEN,
            ErrorCode.PASSWORDS_DIFFER,
            ErrorCode.INVALID_GENDER,
            ErrorCode.TOO_MANY_REQUESTS,
        ),
        "PATCH": (ErrorCode.EMAIL_TAKEN, ErrorCode.INVALID_GENDER, ErrorCode.TOO_MANY_REQUESTS),
    }

    def get_queryset(self):
        if not self.request.user.is_authenticated:
            # Reached only by the browsable API, which reads it to render a refusal's page.
            return super().get_queryset().none()
        return super().get_queryset().filter(pk=self.request.user.pk)

    def get_permissions(self):
        if self.action == "create":  # registration
            return [AllowAny()]
        return super().get_permissions()

    def list(self, request):
        return self.collection([request.user])

    @cached_read
    def retrieve(self, request, customer_reference: str):
        return self.document(request.user)

    def create(self, request):
        services.count_registration_attempt(request)
        registration = self.validate_body()
        profile = {
            name: value
            for name, value in registration.validated_data.items()
            if name not in REGISTRATION_ONLY_FIELDS
        }
        with services.registration_allowance(request):
            customer = services.register_customer(**profile)
        return self.created(customer)

    @honours_if_match
    def partial_update(self, request, customer_reference: str):
        changes = self.validate_body(request.user).validated_data
        customer = services.update_customer(customer=request.user, changes=changes, request=request)
        return self.document(customer)

    @honours_if_match
    def destroy(self, request, customer_reference: str):
        services.anonymize_customer(customer=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CustomerConfirmationView(ResourceView):
    """``POST /customer-confirmation``: the registration key from the e-mail."""

    resource = CUSTOMER_CONFIRMATION
    permission_classes = [AllowAny]
    input_serializers = {"POST": ConfirmationSerializer}
    documented_errors = {"POST": (ErrorCode.INVALID_CONFIRMATION_KEY, ErrorCode.EMAIL_TAKEN)}

    def post(self, request):
        services.confirm_customer(**self.validate_body().validated_data, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CustomerConfirmationRequestView(ResourceView):
    """``POST /customer-confirmation-requests``: a new confirmation mail; always 204."""

    resource = CUSTOMER_CONFIRMATION_REQUESTS
    permission_classes = [AllowAny]
    authentication_classes = []
    input_serializers = {"POST": ConfirmationMailRequestSerializer}
    documented_errors = {"POST": (ErrorCode.TOO_MANY_REQUESTS,)}

    def post(self, request):
        body = self.validate_body()
        services.request_confirmation_email(request=request, email=body.validated_data["email"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class CustomerActivityViewSet(CustomerItemViewSet):
    """``/customers/{ref}/customer-activities[/{uuid}]``: the caller's activity log, newest
    first, read-only.

    Recording an activity does not count the customer's data version up (a log in costs one
    INSERT), so these documents are tagged by their content instead of cached.
    """

    resource = CUSTOMER_ACTIVITIES
    queryset = CustomerActivity.objects.order_by(*ACTIVITY_ORDER)
    not_found = ErrorCode.ACTIVITY_NOT_FOUND
    filters = {"activityType": "activity_type"}
    collection_actions = {"get": "list"}
    item_actions = {"get": "retrieve"}

    @tagged_by_content
    def list(self, request, customer_reference: str):
        return self.collection(self.listed_rows())

    @tagged_by_content
    def retrieve(self, request, customer_reference: str, uuid: str):
        return self.document(self.get_object())


class CustomerDataExportView(ResourceView):
    """``GET /customers/{ref}/customer-data-export``: every datum held of the caller, in one
    document (GDPR art. 15 and 20): its row as attributes, everything else included.

    Tagged by its content, as the activity log it holds does not count the data version up.
    """

    resource = CUSTOMER_DATA_EXPORTS
    lookup_url_kwarg = "customer_reference"
    permission_classes = [IsAuthenticated, IsReferencedCustomer]

    @tagged_by_content
    def get(self, request, customer_reference: str):
        document = self.documents().single(self.resource, request.user, include_all=True)
        return Response(document)
