"""The admin pages of a customer's items (relations, properties) on their own."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from customers.services import may_administer


class CustomerItemAdmin(admin.ModelAdmin):
    """An item stays with the customer it was added to; items of staff accounts are a superuser's.

    As on the customer's own page: whoever may not change a staff account may not change what
    belongs to it, and moving an item to another customer is never an edit.
    """

    raw_id_fields = ("customer",)
    list_select_related = ("customer",)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "customer") if obj is not None else fields

    def _may_administer(self, request: HttpRequest, obj) -> bool:
        return obj is None or may_administer(staff_member=request.user, customer=obj.customer)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._may_administer(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._may_administer(request, obj) and super().has_delete_permission(request, obj)
