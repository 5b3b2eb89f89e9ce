from django.apps import AppConfig


class AddressesConfig(AppConfig):
    """Customers' postal addresses and their default shipping and billing address."""

    name = "addresses"
