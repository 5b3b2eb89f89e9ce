"""Creates the benchmark's customer and prints what the load generator needs, as JSON."""

import json
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.apps import apps  # noqa: E402

from auth_api.services import issue_tokens  # noqa: E402
from customers.models import Customer  # noqa: E402

PASSWORD = "benchmark password 2026"
RELATED_ROWS = 10


def add_related_rows(customer: Customer) -> list[str]:
    """Ten addresses and ten relations, where those apps exist; returns the include names."""
    includes = []
    if apps.is_installed("addresses"):
        from tests.factories import AddressFactory

        AddressFactory.create_batch(RELATED_ROWS, customer=customer)
        includes.append("addresses")
    if apps.is_installed("relations"):
        from tests.factories import RelationFactory

        RelationFactory.create_batch(RELATED_ROWS, customer=customer)
        includes.append("customer-relations")
    return includes


def main() -> None:
    customer = Customer.objects.create_user(
        "bench@example.com", PASSWORD, first_name="Bench", last_name="Mark", salutation="Mr"
    )
    customer.confirmed_at = customer.created_at
    customer.save(update_fields=["confirmed_at"])
    includes = add_related_rows(customer)
    print(
        json.dumps(
            {
                "reference": customer.customer_reference,
                "email": customer.email,
                "password": PASSWORD,
                "access_token": issue_tokens(customer).access_token,
                "includes": includes,
            }
        )
    )


if __name__ == "__main__":
    main()
