"""Staff view of customers; password hashes and keys are never shown."""

from django.contrib import admin

from addresses.models import EDITABLE_FIELDS, Address
from customers.models import Customer


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0
    fields = EDITABLE_FIELDS


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("customer_reference", "email", "first_name", "last_name", "is_active")
    search_fields = ("customer_reference", "email", "first_name", "last_name")
    list_filter = ("is_active", "is_staff", "created_at")
    readonly_fields = ("customer_reference", "confirmed_at", "anonymized_at", "created_at")
    exclude = ("password", "registration_key_digest")
    ordering = ("-created_at",)
    inlines = [AddressInline]
