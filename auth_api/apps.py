from django.apps import AppConfig


class AuthApiConfig(AppConfig):
    """Glue's token resources on django-oauth-toolkit's token store."""

    name = "auth_api"
