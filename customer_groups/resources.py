"""The customer group resource type; a customer's document may include its groups."""

from customer_groups.models import LIST_ORDER, CustomerGroup
from customer_groups.serializers import CustomerGroupSerializer
from customers.resources import CUSTOMERS, export_with_customer
from jsonapi.resources import Resource

CUSTOMER_GROUPS = Resource(
    "customer-groups", CustomerGroupSerializer, path="customers/{owner}/customer-groups/{id}"
)
CUSTOMERS.add_relationship(
    CUSTOMER_GROUPS,
    lambda customer_id: CustomerGroup.objects.filter(memberships__customer_id=customer_id).order_by(
        *LIST_ORDER
    ),
)
export_with_customer(CUSTOMER_GROUPS)
