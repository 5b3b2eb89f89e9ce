from django.apps import AppConfig


class AddressesConfig(AppConfig):
    """Customers' postal addresses and their default shipping and billing address."""

    name = "addresses"

    def ready(self) -> None:
        from addresses import resources  # noqa: F401  (a customer's document may include them)
        from addresses.services import delete_all_addresses
        from customers.services import on_anonymization

        on_anonymization(delete_all_addresses)
