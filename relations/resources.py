"""The relation resource type; a customer's document may include its relations."""

from django.db.models import Prefetch

from customers.resources import CUSTOMERS
from jsonapi.resources import Resource
from relations.models import LIST_ORDER, Relation
from relations.serializers import RelationSerializer

CUSTOMER_RELATIONS = Resource(
    "customer-relations", RelationSerializer, path="customers/{owner}/customer-relations/{id}"
)
CUSTOMERS.add_relationship(
    CUSTOMER_RELATIONS,
    source="customer_relations",
    prefetch=Prefetch("customer_relations", queryset=Relation.objects.order_by(*LIST_ORDER)),
)
