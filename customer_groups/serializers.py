"""Wire format of customer groups: read only."""

from __future__ import annotations

from customer_groups.models import CustomerGroup
from jsonapi.serializers import ResourceSerializer


class CustomerGroupSerializer(ResourceSerializer):
    """A group the customer is in: its code and label (Aimeos' customer.group.code, .label)."""

    class Meta:
        model = CustomerGroup
        fields = ("code", "label")
        read_only_fields = fields
