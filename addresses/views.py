"""``/customers/{ref}/addresses[/{uuid}]``: thin views over the address services."""

from __future__ import annotations

from typing import Any

from addresses import services
from addresses.models import Address
from addresses.resources import ADDRESSES
from customers.viewsets import CustomerItemViewSet
from jsonapi.errors import ErrorCode


class AddressViewSet(CustomerItemViewSet):
    """The caller's own addresses; unknown, malformed or foreign uuids → 404 code 404."""

    resource = ADDRESSES
    id_missing = ErrorCode.ADDRESS_ID_MISSING
    queryset = Address.objects.all()
    not_found = ErrorCode.ADDRESS_NOT_FOUND

    def create(self, request, customer_reference: str):
        attributes = self.validate_body().validated_data
        address = services.create_address(customer=request.user, attributes=attributes)
        return self.created(address)

    def update_item(self, item: Address, changes: dict[str, Any]) -> Address:
        return services.update_address(address=item, changes=changes)

    def delete_item(self, item: Address) -> None:
        services.delete_address(address=item)
