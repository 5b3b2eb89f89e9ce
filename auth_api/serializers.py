"""Wire format of the token resources."""

from rest_framework import serializers

from customers.serializers import (
    EMAIL_MAX_LENGTH,
    check_password_policy,
    check_passwords_match,
    password_field,
)
from jsonapi.fields import StrictCharField, StrictEmailField

CREDENTIAL_MAX_LENGTH = 255


class AccessTokenRequestSerializer(serializers.Serializer):
    username = StrictCharField(max_length=CREDENTIAL_MAX_LENGTH)
    password = StrictCharField(
        max_length=CREDENTIAL_MAX_LENGTH, trim_whitespace=False, allow_control_characters=True
    )


class RefreshTokenRequestSerializer(serializers.Serializer):
    refresh_token = StrictCharField(max_length=CREDENTIAL_MAX_LENGTH)


class TokenPairSerializer(serializers.Serializer):
    """Glue's token attributes; the resource has no id (``"id": null``)."""

    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    refresh_token_expires_in = serializers.IntegerField()


class PasswordChangeSerializer(serializers.Serializer):
    """``PATCH /customer-password/{ref}``: the policy is checked against ``context["customer"]``."""

    password = StrictCharField(
        trim_whitespace=False, max_length=CREDENTIAL_MAX_LENGTH, allow_control_characters=True
    )
    new_password = password_field()
    confirm_password = password_field()

    def validate_new_password(self, value: str) -> str:
        check_password_policy(value, self.context["customer"])
        return value

    def validate_confirm_password(self, value: str) -> str:
        check_passwords_match(self.initial_data.get("new_password"), value, field="newPassword")
        return value


class ForgottenPasswordSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=EMAIL_MAX_LENGTH)


class RestorePasswordSerializer(serializers.Serializer):
    """``PATCH /customer-restore-password``; the key's customer is the service's to find.

    The confirmation may come as ``passwordConfirmation``, the Glue 201903 seed's name.
    """

    restore_password_key = StrictCharField(max_length=CREDENTIAL_MAX_LENGTH)
    password = password_field()
    confirm_password = password_field()

    def to_internal_value(self, data):
        if "confirm_password" not in data and "password_confirmation" in data:
            data = {**data, "confirm_password": data["password_confirmation"]}
        return super().to_internal_value(data)

    def validate_password(self, value: str) -> str:
        # The rules that need no account, before the key is looked at (Glue's order); the
        # service compares the password with the key's customer once it has one.
        check_password_policy(value, None)
        return value

    def validate_confirm_password(self, value: str) -> str:
        check_passwords_match(self.initial_data.get("password"), value, field="password")
        return value
