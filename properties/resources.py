"""The property resource type; a customer's document may include its properties."""

from django.db.models import Prefetch

from customers.resources import CUSTOMERS
from jsonapi.resources import Resource
from properties.models import LIST_ORDER, Property
from properties.serializers import PropertySerializer

CUSTOMER_PROPERTIES = Resource(
    "customer-properties", PropertySerializer, path="customers/{owner}/customer-properties/{id}"
)
CUSTOMERS.add_relationship(
    CUSTOMER_PROPERTIES,
    source="customer_properties",
    prefetch=Prefetch("customer_properties", queryset=Property.objects.order_by(*LIST_ORDER)),
)
