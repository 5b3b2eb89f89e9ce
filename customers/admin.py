"""Staff view of customers; password hashes and keys are never shown."""

from datetime import date

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from customers.models import Customer, CustomerActivity
from customers.services import anonymize_customer, may_administer


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


# Whoever can set these can make any account, their own included, a superuser's equal.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("customer_reference", "email", "name", "status", "created")
    search_fields = ("customer_reference", "email", "first_name", "last_name")
    list_filter = (ConfirmedFilter, "is_active", AnonymizedFilter, "is_staff", "created_at")
    readonly_fields = (
        "customer_reference",
        "confirmed_at",
        "terms_accepted_at",
        "anonymized_at",
        "last_login",
        "created_at",
        "updated_at",
        "pending_email",
        "activities",
    )
    exclude = ("password", "registration_key_digest", "email_change_key_digest")
    fieldsets = (
        (
            "Customer",
            {
                "fields": (
                    "customer_reference",
                    "email",
                    "pending_email",
                    "salutation",
                    "first_name",
                    "last_name",
                    "gender",
                    "date_of_birth",
                    "title",
                    "company",
                    "vat_id",
                    "phone",
                    "language_id",
                )
            },
        ),
        (
            "Account",
            {
                "fields": (
                    "is_active",
                    "confirmed_at",
                    "terms_accepted_at",
                    "anonymized_at",
                    "last_login",
                    "created_at",
                    "updated_at",
                    "activities",
                )
            },
        ),
        (
            "Staff permissions",
            {"classes": ("collapse",), "fields": PRIVILEGE_FIELDS},
        ),
    )
    ordering = ("-created_at",)
    # The apps holding a customer's items add theirs (show_inline), in INSTALLED_APPS order.
    inlines: list[type[admin.options.InlineModelAdmin]] = []
    actions = ["anonymize_selected"]

    @admin.display(description="activity log")
    def activities(self, customer: Customer) -> str:
        if customer.pk is None:
            return "-"
        url = reverse("admin:customers_customeractivity_changelist")
        return format_html('<a href="{}?customer__exact={}">Activities</a>', url, customer.pk)

    @admin.display(description="name", ordering="last_name")
    def name(self, customer: Customer) -> str:
        return f"{customer.first_name} {customer.last_name}".strip()

    @admin.display(description="created", ordering="created_at")
    def created(self, customer: Customer) -> date:
        return timezone.localdate(customer.created_at)

    @admin.display(description="status")
    def status(self, customer: Customer) -> str:
        """One word for the account: anonymized, inactive, unconfirmed or active."""
        if customer.is_anonymized:
            return "anonymized"
        if not customer.is_active:
            return "inactive"
        return "active" if customer.is_confirmed else "unconfirmed"

    @admin.action(
        permissions=["anonymize"],
        description="Anonymize the selected customers (cannot be undone)",
    )
    def anonymize_selected(self, request: HttpRequest, queryset: QuerySet[Customer]) -> None:
        """Anonymize the selected customers; staff accounts only if the user is a superuser."""
        anonymized = skipped = 0
        for customer in queryset:
            if not may_administer(staff_member=request.user, customer=customer):
                skipped += 1
                continue
            anonymize_customer(customer=customer)
            anonymized += 1
        if anonymized:
            self.message_user(
                request,
                ngettext("%d customer anonymized.", "%d customers anonymized.", anonymized)
                % anonymized,
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d staff account skipped: only a superuser can anonymize it.",
                    "%d staff accounts skipped: only a superuser can anonymize them.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )

    def has_anonymize_permission(self, request: HttpRequest) -> bool:
        """Whether the user holds ``customers.anonymize_customer``."""
        codename = get_permission_codename("anonymize", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def get_readonly_fields(
        self, request: HttpRequest, obj: Customer | None = None
    ) -> tuple[str, ...]:
        """The privilege fields are read-only for everyone but superusers."""
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else (*readonly, *PRIVILEGE_FIELDS)

    def has_change_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        """Staff and superuser accounts are view-only for everyone but superusers."""
        if obj is not None and not may_administer(staff_member=request.user, customer=obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        # Orders kept elsewhere point at the row: customers are anonymized, never deleted.
        return False


def show_inline(inline: type[admin.options.InlineModelAdmin]) -> None:
    """Show an app's items of the customer on the customer's admin page."""
    CustomerAdmin.inlines.append(inline)


@admin.register(CustomerActivity)
class CustomerActivityAdmin(admin.ModelAdmin):
    """The activity log, read-only: what happened to which account, when, from where."""

    list_display = ("created_at", "activity_type", "customer", "ip_address", "user_agent")
    list_filter = ("activity_type", "created_at")
    search_fields = ("customer__customer_reference", "customer__email", "ip_address")
    list_select_related = ("customer",)
    ordering = ("-created_at",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
