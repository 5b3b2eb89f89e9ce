"""``/customers/{ref}/customer-relations[/{uuid}]``: thin views over the relation services."""

from __future__ import annotations

from typing import Any

from rest_framework.serializers import ListSerializer, Serializer

from customers.viewsets import CustomerItemViewSet
from jsonapi.errors import ErrorCode
from jsonapi.parsers import ResourceList, request_resources
from relations import services
from relations.models import LIST_ORDER, Relation
from relations.resources import CUSTOMER_RELATIONS


class RelationViewSet(CustomerItemViewSet):
    """The caller's relations, filtered by ``filter[domain]`` and ``filter[relationType]``."""

    resource = CUSTOMER_RELATIONS
    queryset = Relation.objects.order_by(*LIST_ORDER)
    accepts_resource_lists = True
    not_found = ErrorCode.RELATION_NOT_FOUND
    filters = {"domain": "domain", "relationType": "relation_type"}
    documented_errors = {
        "POST": (ErrorCode.RELATION_EXISTS,),
        "PATCH": (ErrorCode.RELATION_EXISTS,),
    }

    def validate_body(self, instance: Relation | None = None) -> Serializer:
        """One relation's attributes, or an array of them (POST), all validated at once."""
        if self.request.method != "POST":
            return super().validate_body(instance)
        resources = request_resources(self.request)
        if not isinstance(resources, ResourceList):
            return super().validate_body(instance)
        serializer = self.get_serializer(
            data=resources,
            many=True,
            allow_empty=False,
            max_length=services.MAX_RELATIONS_PER_CUSTOMER,
        )
        serializer.is_valid(raise_exception=True)
        return serializer

    def create(self, request, customer_reference: str):
        serializer = self.validate_body()
        single = not isinstance(serializer, ListSerializer)
        items = [serializer.validated_data] if single else serializer.validated_data
        relations = services.create_relations(customer=request.user, items=items, single=single)
        return self.created(relations[0] if single else relations, many=not single)

    def update_item(self, item: Relation, changes: dict[str, Any]) -> Relation:
        return services.update_relation(relation=item, changes=changes)

    def delete_item(self, item: Relation) -> None:
        services.delete_relation(relation=item)
