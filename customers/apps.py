from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Customers: registration, confirmation, profile and anonymization."""

    name = "customers"
