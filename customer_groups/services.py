"""Business rules of customer groups: staff assign them (the admin), customers only read them."""

from __future__ import annotations

from customer_groups.models import CustomerGroupMembership
from customers.models import Customer


def leave_all_groups(customer: Customer) -> None:
    """Take the customer out of every group (anonymization)."""
    CustomerGroupMembership.objects.filter(customer=customer).delete()
