"""§4: at most one default shipping and one default billing address per customer."""

from functools import partial

import pytest
from django.db import IntegrityError, transaction

from addresses.models import Address
from auth_api.services import issue_tokens
from tests.addresses.test_crud import ADDRESS, address_url
from tests.conftest import Api, all_at_once, document
from tests.factories import AddressFactory, CustomerFactory


def defaults(customer) -> tuple[set, set]:
    addresses = Address.objects.filter(customer=customer)
    return (
        set(addresses.filter(is_default_shipping=True).values_list("pk", flat=True)),
        set(addresses.filter(is_default_billing=True).values_list("pk", flat=True)),
    )


def create(client, customer, attributes: dict):
    url = f"/customers/{customer.customer_reference}/addresses"
    return client.send("POST", url, document("addresses", attributes))


def test_first_address_becomes_both_defaults(customer_api, customer):
    response = create(customer_api, customer, ADDRESS)

    address_id = response.json()["data"]["id"]
    assert {str(pk) for pk in defaults(customer)[0]} == {address_id}
    assert {str(pk) for pk in defaults(customer)[1]} == {address_id}


@pytest.mark.parametrize(
    "flags",
    [
        {"isDefaultBilling": False},
        {"isDefaultShipping": False, "isDefaultBilling": False},
    ],
)
def test_the_first_address_is_both_defaults_whatever_flags_it_is_sent(
    customer_api, customer, flags
):
    response = create(customer_api, customer, {**ADDRESS, **flags})

    attributes = response.json()["data"]["attributes"]
    assert (attributes["isDefaultShipping"], attributes["isDefaultBilling"]) == (True, True)


def test_second_address_without_flags_is_no_default(customer_api, customer):
    first = AddressFactory(customer=customer, is_default_shipping=True, is_default_billing=True)

    response = create(customer_api, customer, ADDRESS)

    attributes = response.json()["data"]["attributes"]
    assert (attributes["isDefaultShipping"], attributes["isDefaultBilling"]) == (False, False)
    assert defaults(customer) == ({first.pk}, {first.pk})


def test_creating_default_address_clears_the_flag_on_the_others(customer_api, customer):
    first = AddressFactory(customer=customer, is_default_shipping=True, is_default_billing=True)

    response = create(customer_api, customer, {**ADDRESS, "isDefaultShipping": True})

    new = Address.objects.get(pk=response.json()["data"]["id"])
    assert defaults(customer) == ({new.pk}, {first.pk})


def test_patching_default_flag_clears_it_on_the_others(customer_api, customer):
    first = AddressFactory(customer=customer, is_default_shipping=True, is_default_billing=True)
    second = AddressFactory(customer=customer)

    response = customer_api.send(
        "PATCH", address_url(second), document("addresses", {"isDefaultBilling": True})
    )

    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["isDefaultBilling"] is True
    assert defaults(customer) == ({first.pk}, {second.pk})


def test_unsetting_default_flag_leaves_no_default(customer_api, customer):
    first = AddressFactory(customer=customer, is_default_shipping=True)

    customer_api.send(
        "PATCH", address_url(first), document("addresses", {"isDefaultShipping": False})
    )

    assert defaults(customer) == (set(), set())


def test_defaults_of_other_customers_stay(customer_api, customer):
    foreign = AddressFactory(is_default_shipping=True, is_default_billing=True)

    create(customer_api, customer, ADDRESS)

    foreign.refresh_from_db()
    assert (foreign.is_default_shipping, foreign.is_default_billing) == (True, True)


def test_deleting_default_address_leaves_no_default(customer_api, customer):
    first = AddressFactory(customer=customer, is_default_shipping=True, is_default_billing=True)
    AddressFactory(customer=customer)

    response = customer_api.delete(address_url(first))

    assert response.status_code == 204
    assert defaults(customer) == (set(), set())


@pytest.mark.parametrize("flag", ["is_default_shipping", "is_default_billing"])
def test_database_refuses_a_second_default(customer, flag):
    AddressFactory(customer=customer, **{flag: True})

    with pytest.raises(IntegrityError), transaction.atomic():
        AddressFactory(customer=customer, **{flag: True})


def _set_default_shipping(access_token: str, address: Address) -> int:
    client = Api().authenticate(access_token)
    body = document("addresses", {"isDefaultShipping": True})
    return client.send("PATCH", address_url(address), body).status_code


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_default_changes_leave_exactly_one_default():
    customer = CustomerFactory()
    addresses = AddressFactory.create_batch(10, customer=customer)
    access_token = issue_tokens(customer).access_token

    statuses = all_at_once(
        [partial(_set_default_shipping, access_token, address) for address in addresses]
    )

    assert statuses == [200] * len(addresses)
    shipping, billing = defaults(customer)
    assert len(shipping) == 1
    assert billing == set()
