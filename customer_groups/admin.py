"""Staff assign customer groups: on the group's page and on the customer's."""

from django.contrib import admin

from customer_groups.models import CustomerGroup, CustomerGroupMembership
from customers.admin import show_inline


class MembershipOfCustomerInline(admin.TabularInline):
    """The groups of a customer, on the customer's page."""

    model = CustomerGroupMembership
    fields = ("group", "created_at")
    readonly_fields = ("created_at",)
    extra = 0
    # Not Django's permission "groups" of the account: the shop's customer groups.
    verbose_name = "customer group"
    verbose_name_plural = "customer groups"


class MembershipOfGroupInline(admin.TabularInline):
    """The customers of a group, on the group's page."""

    model = CustomerGroupMembership
    fields = ("customer", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("customer",)
    extra = 0
    verbose_name = "member"
    verbose_name_plural = "members"


@admin.register(CustomerGroup)
class CustomerGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "created_at")
    search_fields = ("code", "label")
    readonly_fields = ("created_at", "updated_at")
    inlines = [MembershipOfGroupInline]


show_inline(MembershipOfCustomerInline)
