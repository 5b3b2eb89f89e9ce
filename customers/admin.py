"""Staff view of customers; password hashes and keys are never shown."""

from django.contrib import admin

from customers.models import Customer
from properties.admin import PropertyInline
from relations.admin import RelationInline


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("customer_reference", "email", "first_name", "last_name", "is_active")
    search_fields = ("customer_reference", "email", "first_name", "last_name")
    list_filter = ("is_active", "is_staff", "created_at")
    readonly_fields = ("customer_reference", "confirmed_at", "anonymized_at", "created_at")
    exclude = ("password", "registration_key_digest")
    ordering = ("-created_at",)
    inlines = [RelationInline, PropertyInline]
