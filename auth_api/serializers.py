"""Wire format of the token resources."""

from rest_framework import serializers

from jsonapi.fields import StrictCharField

CREDENTIAL_MAX_LENGTH = 255


class AccessTokenRequestSerializer(serializers.Serializer):
    username = StrictCharField(max_length=CREDENTIAL_MAX_LENGTH)
    password = StrictCharField(max_length=CREDENTIAL_MAX_LENGTH, trim_whitespace=False)


class RefreshTokenRequestSerializer(serializers.Serializer):
    refresh_token = StrictCharField(max_length=CREDENTIAL_MAX_LENGTH)


class TokenPairSerializer(serializers.Serializer):
    """Glue's token attributes; the resource has no id (``"id": null``)."""

    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    refresh_token_expires_in = serializers.IntegerField()

    class Meta:
        resource_name = "access-tokens"
