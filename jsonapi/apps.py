from django.apps import AppConfig


class JsonApiConfig(AppConfig):
    """The JSON:API plumbing every app uses; it depends on no app of the service."""

    name = "jsonapi"
