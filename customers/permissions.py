"""Who may touch a customer: only the customer itself, without revealing other references."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from jsonapi.errors import ApiError, ErrorCode


class IsReferencedCustomer(BasePermission):
    """The URL's ``customer_reference`` must be the caller's own.

    A GET of the customer itself answers 404 code 402 for any foreign reference; every other
    method, and every route below a customer, answers 403 code 411. The answer never depends
    on whether the foreign reference exists.
    """

    def has_permission(self, request, view) -> bool:
        reference = view.kwargs.get("customer_reference")
        if reference is None or reference == request.user.customer_reference:
            return True
        reading_customer = request.method in SAFE_METHODS and getattr(
            view, "is_customer_resource", False
        )
        raise ApiError(ErrorCode.CUSTOMER_NOT_FOUND if reading_customer else ErrorCode.UNAUTHORIZED)
