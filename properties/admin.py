"""Staff view of customer properties, on their own and inline on the customer."""

from django.contrib import admin

from customers.admin import show_inline
from customers.admin_items import CustomerItemAdmin
from properties.models import Property


class PropertyInline(admin.TabularInline):
    model = Property
    fields = ("property_type", "language_id", "value")
    ordering = ("created_at",)
    extra = 0


@admin.register(Property)
class PropertyAdmin(CustomerItemAdmin):
    list_display = ("property_type", "language_id", "value", "customer", "created_at")
    list_filter = ("property_type", "language_id")
    search_fields = ("value", "customer__customer_reference", "customer__email")
    readonly_fields = ("created_at", "updated_at")
    ordering = ("-created_at",)


show_inline(PropertyInline)
