"""The customer's resource types."""

from customers.serializers import CustomerActivitySerializer, CustomerSerializer
from jsonapi.resources import Resource

CUSTOMERS = Resource(
    "customers", CustomerSerializer, path="customers/{id}", id_source="customer_reference"
)
CUSTOMER_CONFIRMATION = Resource("customer-confirmation", None, path="customer-confirmation")
CUSTOMER_CONFIRMATION_REQUESTS = Resource(
    "customer-confirmation-requests", None, path="customer-confirmation-requests"
)
CUSTOMER_ACTIVITIES = Resource(
    "customer-activities",
    CustomerActivitySerializer,
    path="customers/{owner}/customer-activities/{id}",
)
