from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Customers: registration, confirmation, profile and anonymization."""

    name = "customers"

    def ready(self) -> None:
        from addresses.models import Address
        from customers.document_cache import connect_receivers
        from properties.models import Property
        from relations.models import Relation

        connect_receivers(Address, Relation, Property)
