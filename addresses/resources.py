"""The address resource type; a customer's document may include its addresses, its export does."""

from addresses.models import Address
from addresses.serializers import AddressSerializer
from customers.resources import CUSTOMERS, export_with_customer
from jsonapi.resources import Resource

ADDRESSES = Resource("addresses", AddressSerializer, path="customers/{owner}/addresses/{id}")
CUSTOMERS.add_relationship(
    ADDRESSES, lambda customer_id: Address.objects.filter(customer_id=customer_id)
)
export_with_customer(ADDRESSES)
