"""Creates the benchmark's customer and prints what the load generator needs, as JSON."""

import json
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from auth_api.services import issue_tokens  # noqa: E402
from customers.models import Customer  # noqa: E402
from tests.factories import AddressFactory, RelationFactory  # noqa: E402

PASSWORD = "benchmark password 2026"
RELATED_ROWS = 10


def add_related_rows(customer: Customer) -> None:
    """Ten addresses and ten relations."""
    AddressFactory.create_batch(RELATED_ROWS, customer=customer)
    RelationFactory.create_batch(RELATED_ROWS, customer=customer)


def bench_customer() -> tuple[Customer, bool]:
    """The benchmark's customer, created on the first run against a database."""
    existing = Customer.objects.with_email("bench@example.com").first()
    if existing is not None:
        return existing, False
    customer = Customer.objects.create_user(
        "bench@example.com", PASSWORD, first_name="Bench", last_name="Mark", salutation="Mr"
    )
    customer.confirmed_at = customer.created_at
    customer.save(update_fields=["confirmed_at"])
    return customer, True


def main() -> None:
    customer, created = bench_customer()
    if created:
        add_related_rows(customer)
    includes = [
        name
        for name, rows in (
            ("addresses", customer.addresses),
            ("customer-relations", customer.customer_relations),
        )
        if rows.exists()
    ]
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
