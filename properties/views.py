"""``/customers/{ref}/customer-properties[/{uuid}]``: thin views over the property services."""

from __future__ import annotations

from typing import Any

from customers.viewsets import CustomerItemViewSet
from jsonapi.errors import ErrorCode
from properties import services
from properties.models import LIST_ORDER, Property
from properties.resources import CUSTOMER_PROPERTIES


class PropertyViewSet(CustomerItemViewSet):
    """The caller's properties, filtered by ``filter[propertyType]``."""

    resource = CUSTOMER_PROPERTIES
    queryset = Property.objects.order_by(*LIST_ORDER)
    not_found = ErrorCode.PROPERTY_NOT_FOUND
    filters = {"propertyType": "property_type"}
    documented_errors = {
        "POST": (ErrorCode.PROPERTY_EXISTS,),
        "PATCH": (ErrorCode.PROPERTY_EXISTS,),
    }

    def create(self, request, customer_reference: str):
        attributes = self.validate_body().validated_data
        prop = services.create_property(customer=request.user, **attributes)
        return self.created(prop)

    def update_item(self, item: Property, changes: dict[str, Any]) -> Property:
        return services.update_property(prop=item, changes=changes)

    def delete_item(self, item: Property) -> None:
        services.delete_property(prop=item)
