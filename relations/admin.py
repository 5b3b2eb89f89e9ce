"""Staff view of customer relations, on their own and inline on the customer."""

from django.contrib import admin

from relations.models import Relation

FIELDS = ("domain", "relation_type", "ref_id", "date_start", "date_end", "config", "position")


class RelationInline(admin.TabularInline):
    model = Relation
    fields = (*FIELDS, "status")
    ordering = ("position", "created_at")
    extra = 0


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ("ref_id", "domain", "relation_type", "customer", "status", "created_at")
    list_filter = ("domain", "relation_type", "status")
    search_fields = ("ref_id", "customer__customer_reference", "customer__email")
    list_select_related = ("customer",)
    raw_id_fields = ("customer",)
    readonly_fields = ("notified_at", "notified_state", "created_at", "updated_at")
    ordering = ("-created_at",)
