from django.apps import AppConfig


class PropertiesConfig(AppConfig):
    """Customer properties: typed key/value data of a customer."""

    name = "properties"
