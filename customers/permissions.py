"""Who may touch a customer: only the customer itself, without revealing other references."""

from __future__ import annotations

from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import SAFE_METHODS

from customers.resources import CUSTOMERS
from jsonapi.conventions import Conventions
from jsonapi.errors import ApiError, ErrorCode
from jsonapi.views import DocumentedPermission

BODY_METHODS = ("POST", "PATCH", "PUT")


def _reads_the_customer(view: Conventions, method: str) -> bool:
    return method in SAFE_METHODS and view.resource is CUSTOMERS


def _sends_a_body_the_view_takes(request, view) -> bool:
    """A POST, PATCH or PUT the view answers, as the client sent it.

    The browsable API asks the permission about other methods too, on a copy of the request
    with the method changed and no body of its own: nothing to validate there.
    """
    method = request.method
    return (
        method in BODY_METHODS
        and request.META.get("REQUEST_METHOD") == method
        and hasattr(view, method.lower())
    )


def _report_invalid_attributes(view) -> None:
    """Glue's order of checks: a body's own 422 errors come before the refusal.

    A body that is no document at all is simply refused.
    """
    try:
        view.validate_body()
    except ValidationError:
        raise
    except APIException:
        pass


class IsReferencedCustomer(DocumentedPermission):
    """The URL's ``customer_reference`` must be the caller's own.

    A GET of the customer itself answers 404 code 402 for any foreign reference; every other
    method, and every route below a customer, answers 403 code 411. The answer never depends
    on whether the foreign reference exists. A body that breaks its own rules gets its 422s
    first, as Glue answers it.
    """

    def has_permission(self, request, view) -> bool:
        reference = view.kwargs.get("customer_reference")
        if reference is None or reference == request.user.customer_reference:
            return True
        if _sends_a_body_the_view_takes(request, view):
            _report_invalid_attributes(view)
        raise ApiError(self._refusal(view, request.method))

    def documented_errors(self, view: Conventions, method: str) -> tuple[ErrorCode, ...]:
        return (self._refusal(view, method),)

    @staticmethod
    def _refusal(view: Conventions, method: str) -> ErrorCode:
        if _reads_the_customer(view, method):
            return ErrorCode.CUSTOMER_NOT_FOUND
        return ErrorCode.UNAUTHORIZED
