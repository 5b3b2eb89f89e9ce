"""The customer's resource types."""

from customers.models import ACTIVITY_ORDER, CustomerActivity
from customers.serializers import (
    CustomerActivitySerializer,
    CustomerDataExportSerializer,
    CustomerSerializer,
)
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
# GDPR art. 15 and 20: the customer's row, and every kind of data held of it as relationships,
# all included. Each app holding data of a customer adds its kind (export_with_customer).
CUSTOMER_DATA_EXPORTS = Resource(
    "customer-data-exports",
    CustomerDataExportSerializer,
    path="customers/{id}/customer-data-export",
    id_source="customer_reference",
)


def export_with_customer(resource: Resource) -> None:
    """Put the customer's items of ``resource`` into the data export, read as the customer's
    document includes them (``CUSTOMERS.add_relationship`` first)."""
    CUSTOMER_DATA_EXPORTS.relationships[resource.type] = CUSTOMERS.relationships[resource.type]


CUSTOMER_DATA_EXPORTS.add_relationship(
    CUSTOMER_ACTIVITIES,
    lambda customer_id: CustomerActivity.objects.filter(customer_id=customer_id).order_by(
        *ACTIVITY_ORDER
    ),
)
