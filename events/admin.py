"""Staff view of the outbox: webhook endpoints, events, deliveries and their tries, e-mails.

Everything but the endpoints is read-only. A secret is never shown again after it was
created; a mail's body, which may hold a key, is never shown.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from events.delivery import sign
from events.models import (
    DeliveryAttempt,
    Event,
    EventType,
    OutgoingMail,
    WebhookDelivery,
    WebhookEndpoint,
    new_webhook_secret,
)
from events.services import send_again


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the service only."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: every type.",
    )
    new_secret = forms.CharField(
        label="secret",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=(
            "A Standard Webhooks secret (whsec_ and base64). Left empty, a new endpoint gets "
            "a generated one, shown once; an existing one keeps its secret."
        ),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "description", "event_types", "is_active")

    def clean_new_secret(self) -> str:
        secret = self.cleaned_data["new_secret"]
        if secret:
            try:
                sign(secret, "probe", 0, "")
            except ValueError as exc:
                raise forms.ValidationError("Not a base64 secret (whsec_…).") from exc
        return secret


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    fields = ("url", "description", "event_types", "is_active", "new_secret")
    list_display = ("url", "description", "is_active", "types", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "description")

    @admin.display(description="event types")
    def types(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.event_types) or "all"

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """Endpoints are deactivated, never deleted: processes may still name one for a few
        seconds (``WEBHOOK_ENDPOINT_CACHE_SECONDS``), and its deliveries stay visible."""
        return False

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form, change: bool) -> None:
        secret = form.cleaned_data.get("new_secret")
        if secret:
            obj.secret = secret
        elif not change:
            obj.secret = new_webhook_secret()
            self.message_user(
                request,
                f"The endpoint's secret, shown this once: {obj.secret}",
                messages.WARNING,
            )
        super().save_model(request, obj, form, change)


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("attempted_at", "status_code", "error", "duration_ms")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "event_type",
        "customer_reference",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "last_attempt_at",
        "next_attempt_at",
    )
    list_filter = ("status", "endpoint", "event__event_type")
    search_fields = ("customer_reference",)
    list_select_related = ("event", "endpoint")
    fields = (
        "event",
        "endpoint",
        "customer_reference",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    )
    readonly_fields = fields
    inlines = (DeliveryAttemptInline,)
    actions = ("send_selected_again",)

    @admin.display(description="type", ordering="event__event_type")
    def event_type(self, delivery: WebhookDelivery) -> str:
        return delivery.event.event_type

    @admin.action(description="Send the selected deliveries again", permissions=("resend",))
    def send_selected_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            count = send_again(queryset.select_for_update())
        self.message_user(request, f"{count} deliveries will be sent again.", messages.SUCCESS)

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("events.change_webhookendpoint")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("event_type", "customer_reference", "occurred_at")
    list_filter = ("event_type",)
    search_fields = ("customer_reference",)
    fields = ("event_id", "event_type", "customer_reference", "occurred_at", "data")
    readonly_fields = fields


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "recipient",
        "subject",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
    )
    list_filter = ("status",)
    search_fields = ("customer_reference", "recipient")
    fields = (
        "recipient",
        "customer_reference",
        "subject",
        "status",
        "attempts",
        "last_error",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    )
    readonly_fields = fields
