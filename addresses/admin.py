"""Staff view of a customer's addresses, inline on the customer."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from addresses.models import DEFAULT_FLAGS, Address
from addresses.services import release_defaults
from customers.admin import show_inline

DEFAULT_KINDS = {"is_default_shipping": "shipping", "is_default_billing": "billing"}


class AddressInlineFormSet(BaseInlineFormSet):
    """All addresses of a customer, saved at once: at most one default of each kind."""

    def _kept_forms(self) -> list[forms.ModelForm]:
        return [
            form
            for form in self.forms
            if form.cleaned_data and not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self) -> None:
        """Refuse a save that leaves two default shipping (or billing) addresses."""
        super().clean()
        errors = [
            f"A customer has at most one default {kind} address."
            for flag, kind in DEFAULT_KINDS.items()
            if sum(bool(form.cleaned_data.get(flag)) for form in self._kept_forms()) > 1
        ]
        if errors:
            raise ValidationError(errors)

    def save(self, commit: bool = True) -> list[Address]:
        """Save the addresses, clearing first each default flag that one of them takes.

        The partial unique constraints check each row as it is written: a default moving from
        one address to another would fail whenever the address taking it is saved first.
        """
        claimed = {
            flag
            for form in self._kept_forms()
            if form.has_changed()
            for flag in DEFAULT_FLAGS
            if form.cleaned_data.get(flag)
        }
        release_defaults(customer=self.instance, flags=claimed)
        return super().save(commit)


class AddressForm(forms.ModelForm):
    """Short inputs for the short fields, so that a postal line fits on one line."""

    class Meta:
        widgets = {
            "zip_code": forms.TextInput(attrs={"size": 10}),
            "iso2_code": forms.TextInput(attrs={"size": 2}),
        }


class AddressInline(admin.StackedInline):
    """A customer's addresses, a few fields to a line (a table of all of them is too wide)."""

    model = Address
    form = AddressForm
    formset = AddressInlineFormSet
    extra = 0
    fields = (
        ("salutation", "first_name", "last_name"),
        ("company", "phone"),
        ("address1", "address2"),
        "address3",
        ("zip_code", "city", "iso2_code"),
        DEFAULT_FLAGS,
    )


show_inline(AddressInline)
