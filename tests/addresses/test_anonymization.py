"""§3: anonymizing a customer deletes all its addresses, and only its own."""

from addresses.models import Address
from customers.services import anonymize_customer
from tests.factories import AddressFactory


def test_anonymizing_customer_deletes_its_addresses(customer_api, customer):
    AddressFactory.create_batch(3, customer=customer, is_default_shipping=False)
    foreign = AddressFactory()

    response = customer_api.delete(f"/customers/{customer.customer_reference}")

    assert response.status_code == 204
    assert not Address.objects.filter(customer=customer).exists()
    assert list(Address.objects.all()) == [foreign]


def test_anonymizing_anonymized_customer_changes_nothing(customer):
    anonymize_customer(customer=customer)
    AddressFactory(customer=customer)

    anonymize_customer(customer=customer)

    assert Address.objects.filter(customer=customer).count() == 1
