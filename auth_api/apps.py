from django.apps import AppConfig


class AuthApiConfig(AppConfig):
    """Glue's token resources on django-oauth-toolkit's token store."""

    name = "auth_api"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from auth_api import schema  # noqa: F401  (registers the OpenAPI security schemes)
        from auth_api.backends import record_session_login
        from auth_api.services import revoke_all_credentials
        from customers.services import on_anonymization

        on_anonymization(revoke_all_credentials)
        user_logged_in.connect(record_session_login, dispatch_uid="record_session_login")
