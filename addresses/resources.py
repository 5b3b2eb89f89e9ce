"""The address resource type; a customer's document may include its addresses."""

from addresses.models import Address
from addresses.serializers import AddressSerializer
from customers.resources import CUSTOMERS
from jsonapi.resources import Resource

ADDRESSES = Resource("addresses", AddressSerializer, path="customers/{owner}/addresses/{id}")
CUSTOMERS.add_relationship(
    ADDRESSES, lambda customer_id: Address.objects.filter(customer_id=customer_id)
)
