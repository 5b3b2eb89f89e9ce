"""``/customers/{ref}/customer-groups[/{uuid}]``: the caller's groups, read only."""

from __future__ import annotations

from customer_groups.models import LIST_ORDER, CustomerGroup
from customer_groups.resources import CUSTOMER_GROUPS
from customers.viewsets import CustomerItemViewSet
from jsonapi.errors import ErrorCode


class CustomerGroupViewSet(CustomerItemViewSet):
    """The groups staff put the caller in; every write method answers 405."""

    resource = CUSTOMER_GROUPS
    queryset = CustomerGroup.objects.order_by(*LIST_ORDER)
    owner_field = "memberships__customer"
    not_found = ErrorCode.GROUP_NOT_FOUND
    collection_actions = {"get": "list"}
    item_actions = {"get": "retrieve"}
