from django.apps import AppConfig


class PropertiesConfig(AppConfig):
    """Customer properties: typed key/value data of a customer."""

    name = "properties"

    def ready(self) -> None:
        from customers.services import on_anonymization
        from properties import resources  # noqa: F401  (a customer's document may include them)
        from properties.services import delete_all_properties

        on_anonymization(delete_all_properties)
