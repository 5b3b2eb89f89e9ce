"""``/customers/{ref}/customer-relations[/{uuid}]``: thin views over the relation services."""

from __future__ import annotations

from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from customers.permissions import IsReferencedCustomer
from jsonapi.errors import ErrorCode
from jsonapi.parsers import ResourceList
from jsonapi.views import request_attributes, request_resources
from jsonapi.viewsets import CustomerItemViewSet
from relations import services
from relations.models import Relation
from relations.serializers import RelationSerializer


class RelationViewSet(CustomerItemViewSet):
    """The caller's relations, filtered by ``filter[domain]`` and ``filter[relationType]``."""

    resource_name = "customer-relations"
    serializer_class = RelationSerializer
    queryset = Relation.objects.order_by("position", "created_at", "id")
    permission_classes = [IsAuthenticated, IsReferencedCustomer]
    accepts_resource_lists = True
    not_found = ErrorCode.RELATION_NOT_FOUND
    filters = {"domain": "domain", "relationType": "relation_type"}

    def create(self, request, customer_reference: str):
        resources = request_resources(request)
        single = not isinstance(resources, ResourceList)
        if single:
            serializer = self.get_serializer(data=resources)
        else:
            serializer = self.get_serializer(
                data=resources,
                many=True,
                allow_empty=False,
                max_length=services.MAX_RELATIONS_PER_CUSTOMER,
            )
        serializer.is_valid(raise_exception=True)
        items = [serializer.validated_data] if single else serializer.validated_data
        relations = services.create_relations(customer=request.user, items=items, single=single)
        output = self.get_serializer(relations[0] if single else relations, many=not single)
        return Response(output.data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, customer_reference: str, uuid: str):
        relation = self.get_object()
        serializer = self.get_serializer(relation, data=request_attributes(request), partial=True)
        serializer.is_valid(raise_exception=True)
        relation = services.update_relation(relation=relation, changes=serializer.validated_data)
        return Response(self.get_serializer(relation).data)

    def destroy(self, request, customer_reference: str, uuid: str):
        services.delete_relation(relation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
