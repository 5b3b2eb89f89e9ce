"""Who may touch a customer: only the customer itself, without revealing other references."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS

from customers.resources import CUSTOMERS
from jsonapi.conventions import Conventions
from jsonapi.errors import ApiError, ErrorCode
from jsonapi.views import DocumentedPermission


def _reads_the_customer(view: Conventions, method: str) -> bool:
    return method in SAFE_METHODS and view.resource is CUSTOMERS


class IsReferencedCustomer(DocumentedPermission):
    """The URL's ``customer_reference`` must be the caller's own.

    A GET of the customer itself answers 404 code 402 for any foreign reference; every other
    method, and every route below a customer, answers 403 code 411. The answer never depends
    on whether the foreign reference exists.
    """

    def has_permission(self, request, view) -> bool:
        reference = view.kwargs.get("customer_reference")
        if reference is None or reference == request.user.customer_reference:
            return True
        raise ApiError(self._refusal(view, request.method))

    def documented_errors(self, view: Conventions, method: str) -> tuple[ErrorCode, ...]:
        return (self._refusal(view, method),)

    @staticmethod
    def _refusal(view: Conventions, method: str) -> ErrorCode:
        if _reads_the_customer(view, method):
            return ErrorCode.CUSTOMER_NOT_FOUND
        return ErrorCode.UNAUTHORIZED
