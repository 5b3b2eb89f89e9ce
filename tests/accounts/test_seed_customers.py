"""``manage.py seed_customers``: bulk customers for benchmarks and scale tests."""

from io import StringIO

from django.core.management import call_command
from oauth2_provider.models import AccessToken, RefreshToken

from accounts.management.commands.seed_customers import SEED_PASSWORD
from addresses.models import Address
from customers.models import Customer
from relations.models import Relation
from tests.conftest import document


def test_seeding_creates_confirmed_customers_with_references_and_relations(api):
    call_command(
        "seed_customers", "25", "--relations", "3", "--batch-size", "10", stdout=StringIO()
    )

    customers = list(Customer.objects.order_by("pk"))
    assert len(customers) == 25
    assert all(c.customer_reference == f"DE--{c.pk}" for c in customers)
    assert all(c.is_confirmed for c in customers)
    assert Relation.objects.count() == 75
    assert Address.objects.count() == 50
    assert Address.objects.filter(is_default_shipping=True, is_default_billing=True).count() == 25
    assert {Relation.objects.filter(customer=c).count() for c in customers} == {3}
    login = api.send(
        "POST",
        "/access-tokens",
        document("access-tokens", {"username": customers[0].email, "password": SEED_PASSWORD}),
    )
    assert login.status_code == 201


def test_seeding_with_tokens_stores_a_pair_per_customer_as_checksums(db):
    call_command("seed_customers", "4", "--tokens", stdout=StringIO())

    assert AccessToken.objects.count() == RefreshToken.objects.count() == 4
    assert set(AccessToken.objects.values_list("token", flat=True)) == {""}
    assert RefreshToken.objects.filter(access_token__isnull=True).count() == 0


def test_seeding_twice_adds_new_customers(db):
    call_command("seed_customers", "3", stdout=StringIO())
    call_command("seed_customers", "3", stdout=StringIO())

    assert Customer.objects.count() == 6
