"""The customer row lock that every write of a customer's data takes first."""

from __future__ import annotations

from customers.models import Customer
from jsonapi.errors import ApiError, ErrorCode


def lock_customer(customer_id: int) -> Customer | None:
    """Lock the customer's row until the transaction ends, whatever the account's state.

    Every write to a customer's data, anonymization included, takes this lock before it
    touches anything else. Writes of one customer therefore run one after another and always
    lock in the same order (customer row, then its items and tokens), so they cannot deadlock,
    and a write that has waited for an anonymization sees the account as it is now. Staff
    tools lock any account; the API's writes use :func:`lock_live_customer`.
    """
    return Customer.objects.select_for_update().filter(pk=customer_id).first()


def lock_live_customer(customer_id: int) -> Customer | None:
    """:func:`lock_customer`, or None if the account is anonymized, deactivated or gone."""
    customer = lock_customer(customer_id)
    if customer is None or not customer.is_active or customer.is_anonymized:
        return None
    return customer


def lock_customer_for_write(customer_id: int) -> Customer:
    """:func:`lock_live_customer` for a request made with the customer's token.

    An account anonymized or deactivated while the request waited took its tokens with it:
    the request answers 401 code 001 and stores nothing.
    """
    customer = lock_live_customer(customer_id)
    if customer is None:
        raise ApiError(ErrorCode.INVALID_ACCESS_TOKEN)
    return customer
