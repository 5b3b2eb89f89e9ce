"""The relation resource type; a customer's document may include its relations, its export does."""

from customers.resources import CUSTOMERS, export_with_customer
from jsonapi.resources import Resource
from relations.models import LIST_ORDER, Relation
from relations.serializers import RelationSerializer

CUSTOMER_RELATIONS = Resource(
    "customer-relations", RelationSerializer, path="customers/{owner}/customer-relations/{id}"
)
CUSTOMERS.add_relationship(
    CUSTOMER_RELATIONS,
    lambda customer_id: Relation.objects.filter(customer_id=customer_id).order_by(*LIST_ORDER),
)
export_with_customer(CUSTOMER_RELATIONS)
