"""The property resource type; a customer's document may include its properties, its export does."""

from customers.resources import CUSTOMERS, export_with_customer
from jsonapi.resources import Resource
from properties.models import LIST_ORDER, Property
from properties.serializers import PropertySerializer

CUSTOMER_PROPERTIES = Resource(
    "customer-properties", PropertySerializer, path="customers/{owner}/customer-properties/{id}"
)
CUSTOMERS.add_relationship(
    CUSTOMER_PROPERTIES,
    lambda customer_id: Property.objects.filter(customer_id=customer_id).order_by(*LIST_ORDER),
)
export_with_customer(CUSTOMER_PROPERTIES)
