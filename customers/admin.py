"""Staff view of customers; password hashes and keys are never shown."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from addresses.models import EDITABLE_FIELDS, Address
from customers.models import Customer
from customers.services import anonymize_customer
from properties.admin import PropertyInline
from relations.admin import RelationInline


class _IsSetFilter(admin.SimpleListFilter):
    """Yes/No on whether a timestamp field is set."""

    field_name = ""

    def lookups(self, request, model_admin):
        return (("yes", "Yes"), ("no", "No"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.field_name}__isnull": self.value() == "no"})
        return queryset


class ConfirmedFilter(_IsSetFilter):
    title = "confirmed"
    parameter_name = "confirmed"
    field_name = "confirmed_at"


class AnonymizedFilter(_IsSetFilter):
    title = "anonymized"
    parameter_name = "anonymized"
    field_name = "anonymized_at"


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0
    fields = EDITABLE_FIELDS


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = (
        "customer_reference",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_confirmed",
        "is_anonymized",
        "created_at",
    )
    search_fields = ("customer_reference", "email", "first_name", "last_name")
    list_filter = (ConfirmedFilter, "is_active", AnonymizedFilter, "is_staff", "created_at")
    readonly_fields = (
        "customer_reference",
        "confirmed_at",
        "anonymized_at",
        "last_login",
        "created_at",
        "updated_at",
    )
    exclude = ("password", "registration_key_digest")
    fieldsets = (
        (
            "Customer",
            {
                "fields": (
                    "customer_reference",
                    "email",
                    "salutation",
                    "first_name",
                    "last_name",
                    "gender",
                    "date_of_birth",
                )
            },
        ),
        (
            "Account",
            {
                "fields": (
                    "is_active",
                    "confirmed_at",
                    "anonymized_at",
                    "last_login",
                    "created_at",
                    "updated_at",
                )
            },
        ),
        (
            "Staff permissions",
            {
                "classes": ("collapse",),
                "fields": ("is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
    )
    ordering = ("-created_at",)
    inlines = [AddressInline, RelationInline, PropertyInline]
    actions = ["anonymize_selected"]

    @admin.display(boolean=True, description="confirmed")
    def is_confirmed(self, customer: Customer) -> bool:
        return customer.is_confirmed

    @admin.display(boolean=True, description="anonymized")
    def is_anonymized(self, customer: Customer) -> bool:
        return customer.is_anonymized

    @admin.action(description="Anonymize the selected customers (cannot be undone)")
    def anonymize_selected(self, request: HttpRequest, queryset: QuerySet[Customer]) -> None:
        count = 0
        for customer in queryset:
            anonymize_customer(customer=customer)
            count += 1
        self.message_user(request, f"{count} customers anonymized.", messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        # Orders kept elsewhere point at the row: customers are anonymized, never deleted.
        return False
