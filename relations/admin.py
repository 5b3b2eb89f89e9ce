"""Staff view of customer relations, on their own and inline on the customer."""

from django.contrib import admin

from customers.admin import show_inline
from customers.admin_items import CustomerItemAdmin
from relations.models import ProductStock, Relation


class RelationInline(admin.TabularInline):
    """A customer's relations, one line each; dates and config on the relation's own page."""

    model = Relation
    fields = ("domain", "relation_type", "ref_id", "position", "status", "date_end")
    readonly_fields = ("date_end",)
    ordering = ("position", "created_at")
    extra = 0
    show_change_link = True
    # A customer can have up to 1,000 relations: folded until asked for.
    classes = ("collapse",)


@admin.register(Relation)
class RelationAdmin(CustomerItemAdmin):
    list_display = ("ref_id", "domain", "relation_type", "customer", "status", "created_at")
    list_filter = ("domain", "relation_type", "status")
    search_fields = ("ref_id", "customer__customer_reference", "customer__email")
    readonly_fields = ("notified_at", "notified_state", "created_at", "updated_at")
    ordering = ("-created_at",)


@admin.register(ProductStock)
class ProductStockAdmin(admin.ModelAdmin):
    """What the feeds last said of each product's stock; ``notify_watchers`` keeps it."""

    list_display = ("product_id", "in_stock", "restocked_at", "seen_at")
    list_filter = ("in_stock",)
    search_fields = ("product_id",)
    ordering = ("product_id",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


show_inline(RelationInline)
