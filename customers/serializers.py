"""Wire format of customers and the validation of what clients send."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from rest_framework import serializers
from rest_framework.fields import empty

from customers.models import (
    LANGUAGE_ID_MESSAGE,
    LANGUAGE_ID_PATTERN,
    VAT_ID_MESSAGE,
    VAT_ID_PATTERN,
    Customer,
    CustomerActivity,
)
from jsonapi.errors import ErrorCode, field_error
from jsonapi.fields import (
    GLUE_MESSAGES,
    DateField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictEmailField,
)
from jsonapi.serializers import ResourceSerializer

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 100


class OptionalCharField(StrictCharField):
    """An optional text attribute, null by default; an empty string clears it as null does."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, allow_blank=True, required=False, **kwargs)

    def run_validation(self, data=empty):
        return super().run_validation(data) or None


class CustomerSerializer(ResourceSerializer):
    """A customer's attributes as clients read them; its ``id`` is the customer reference."""

    class Meta:
        model = Customer
        fields = (
            "customer_reference",
            "salutation",
            "first_name",
            "last_name",
            "email",
            "pending_email",
            "gender",
            "date_of_birth",
            "title",
            "company",
            "vat_id",
            "phone",
            "language_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class CustomerActivitySerializer(ResourceSerializer):
    """An entry of the customer's activity log (read-only)."""

    class Meta:
        model = CustomerActivity
        fields = ("activity_type", "created_at", "ip_address", "user_agent")
        read_only_fields = fields


# The customer's fields left out of the data export: secrets and bookkeeping.
NOT_EXPORTED_FIELDS = (
    "id",  # the reference is the resource's id
    "password",  # a hash: a credential rather than a datum about the customer
    "registration_key_digest",
    "email_change_key_digest",
    "data_version",  # counters of the document cache and of browser sessions
    "session_epoch",
    "groups",  # staff permissions (Django's), not the shop's customer groups
    "user_permissions",
)


class CustomerDataExportSerializer(ResourceSerializer):
    """Everything the service holds of a customer in its own row, for the data export (§11.5).

    Every field of the model but ``NOT_EXPORTED_FIELDS``, so a field added to the customer is
    exported without a line more.
    """

    class Meta:
        model = Customer
        exclude = NOT_EXPORTED_FIELDS
        read_only_fields = ()


class ProfileFieldsMixin(serializers.Serializer):
    """Profile attributes shared by registration and update, with the contract's rules."""

    salutation = StrictChoiceField(choices=Customer.Salutation.values)
    first_name = StrictCharField(max_length=NAME_MAX_LENGTH)
    last_name = StrictCharField(max_length=NAME_MAX_LENGTH)
    email = StrictEmailField(max_length=EMAIL_MAX_LENGTH, new_address=True)
    gender = StrictChoiceField(
        choices=Customer.Gender.values,
        allow_null=True,
        required=False,
        error=ErrorCode.INVALID_GENDER,
    )
    date_of_birth = DateField(allow_null=True, required=False)
    title = OptionalCharField(max_length=64)
    company = OptionalCharField(max_length=100)
    vat_id = OptionalCharField(
        max_length=32,
        validators=[RegexValidator(VAT_ID_PATTERN, VAT_ID_MESSAGE)],
    )
    phone = OptionalCharField(max_length=64)
    language_id = OptionalCharField(
        max_length=5,
        validators=[RegexValidator(LANGUAGE_ID_PATTERN, LANGUAGE_ID_MESSAGE)],
    )

    def validate_date_of_birth(self, value):
        if value is not None and value >= timezone.localdate():
            raise serializers.ValidationError("The date of birth must be in the past.")
        return value


class NewPasswordField(StrictCharField):
    """A new password or its confirmation, held to Glue's rules for both: "not blank" and the
    minimum length are separate rules, so an empty value breaks both and reads as two errors."""

    def __init__(self) -> None:
        super().__init__(
            write_only=True,
            trim_whitespace=False,
            max_length=settings.PASSWORD_MAX_LENGTH,
            allow_control_characters=True,
        )

    def run_validation(self, data=serializers.empty):
        if data == "":
            too_short = self.error_messages["min_length"].format(min_length=password_min_length())
            raise serializers.ValidationError([self.error_messages["blank"], too_short])
        return super().run_validation(data)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) < password_min_length():
            self.fail("min_length", min_length=password_min_length())
        return value


def password_field() -> NewPasswordField:
    return NewPasswordField()


def password_min_length() -> int:
    """The minimum length Django's password validators require (``AUTH_PASSWORD_VALIDATORS``)."""
    lengths = [
        validator.min_length
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, password_validation.MinimumLengthValidator)
    ]
    return max(lengths, default=0)


def check_password_policy(
    password: str, customer: Customer | None, *, attribute: str | None = None
) -> None:
    """Django's password validators, reported on the attribute as 422 code 901.

    One error per rule broken, as Glue reports them. A password too short reads as Glue's
    length rule; the others keep Django's messages. ``attribute`` names the attribute where
    the check runs outside its serializer field (a service that first needs the account).
    """
    try:
        password_validation.validate_password(password, customer)
    except DjangoValidationError as exc:
        messages = [_password_message(error) for error in exc.error_list]
        raise serializers.ValidationError({attribute: messages} if attribute else messages) from exc


def _password_message(error: DjangoValidationError) -> str:
    if error.code == "password_too_short":
        return GLUE_MESSAGES["min_length"].format(**error.params)
    return " ".join(error.messages)


def check_passwords_match(password: object, confirmation: str, *, field: str) -> None:
    if confirmation != password:
        raise field_error(ErrorCode.PASSWORDS_DIFFER, field=field)


class RegistrationSerializer(ProfileFieldsMixin):
    """``POST /customers``: every failing attribute is reported at once."""

    password = password_field()
    confirm_password = password_field()
    # Glue's rule for the terms is "is true": any other value reads as that rule's message.
    accepted_terms = StrictBooleanField(error_messages={"invalid": "This value should be true."})

    def _customer_for_similarity(self) -> Customer:
        data = self.initial_data
        values = {name: data.get(name) for name in ("email", "first_name", "last_name")}
        return Customer(**{k: v for k, v in values.items() if isinstance(v, str)})

    def validate_password(self, value: str) -> str:
        check_password_policy(value, self._customer_for_similarity())
        return value

    def validate_confirm_password(self, value: str) -> str:
        check_passwords_match(self.initial_data.get("password"), value, field="password")
        return value

    def validate_accepted_terms(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError("This value should be true.")
        return value


class CustomerUpdateSerializer(ProfileFieldsMixin):
    """``PATCH /customers/{ref}``: only the attributes sent are validated and changed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class ConfirmationSerializer(serializers.Serializer):
    registration_key = StrictCharField(max_length=128)


class ConfirmationMailRequestSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=EMAIL_MAX_LENGTH)
