"""§9: staff see and change a customer's addresses inline in the admin; §4: one default each."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from addresses.models import EDITABLE_FIELDS, Address
from tests.admin_pages import field_names, form_values
from tests.factories import SUPPORT, AddressFactory, CustomerFactory, StaffFactory


def test_customer_admin_shows_addresses_inline(client, customer):
    staff = CustomerFactory(is_staff=True, is_superuser=True)
    address = AddressFactory(customer=customer, city="Wrocław", is_default_shipping=True)
    client.force_login(staff)

    response = client.get(f"/admin/customers/customer/{customer.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "addresses-TOTAL_FORMS" in content
    assert str(address.pk) in content
    assert 'value="Wrocław"' in content
    assert customer.password not in content


# --- Default addresses in the inline ------------------------------------------------------------

FLAGS = {"is_default_shipping": "shipping", "is_default_billing": "billing"}


def change_page(customer) -> str:
    return f"/admin/customers/customer/{customer.pk}/change/"


@pytest.fixture
def support(db) -> Client:
    client = Client()
    client.force_login(StaffFactory(permissions=SUPPORT))
    return client


def address_form(support: Client, customer) -> tuple[dict[str, list[str]], dict]:
    """The customer's change form as the page fills it in, and each address's form prefix."""
    values = form_values(support.get(change_page(customer)).content.decode(), "customer_form")
    prefixes = {
        address_id: name.removesuffix("-id")
        for name, (address_id,) in values.items()
        if name.startswith("addresses-") and name.endswith("-id") and address_id
    }
    return values, {Address.objects.get(pk=pk): prefix for pk, prefix in prefixes.items()}


def flags_of(customer) -> dict[str, tuple[bool, bool]]:
    return {
        address.city: (address.is_default_shipping, address.is_default_billing)
        for address in Address.objects.filter(customer=customer)
    }


@pytest.mark.parametrize("flag", FLAGS)
def test_two_default_addresses_in_one_save_are_a_form_error(support, customer, flag):
    first = AddressFactory(customer=customer, city="Berlin")
    second = AddressFactory(customer=customer, city="Hamburg")
    values, prefixes = address_form(support, customer)
    before = flags_of(customer)

    response = support.post(
        change_page(customer),
        {**values, f"{prefixes[first]}-{flag}": "on", f"{prefixes[second]}-{flag}": "on"},
    )

    assert response.status_code == 200
    assert f"A customer has at most one default {FLAGS[flag]} address." in response.content.decode()
    assert flags_of(customer) == before


@pytest.mark.parametrize("towards", ["earlier", "later"])
@pytest.mark.parametrize("flag", FLAGS)
def test_a_default_moves_to_another_address_in_one_save_whatever_the_form_order(
    support, customer, flag, towards
):
    earlier = AddressFactory(customer=customer, city="Berlin")
    later = AddressFactory(customer=customer, city="Hamburg")
    holder, taker = (later, earlier) if towards == "earlier" else (earlier, later)
    Address.objects.filter(pk=holder.pk).update(**{flag: True})
    values, prefixes = address_form(support, customer)
    del values[f"{prefixes[holder]}-{flag}"]

    response = support.post(change_page(customer), {**values, f"{prefixes[taker]}-{flag}": "on"})

    assert response.status_code == 302
    taker_flags = (flag == "is_default_shipping", flag == "is_default_billing")
    assert flags_of(customer) == {taker.city: taker_flags, holder.city: (False, False)}


def test_a_default_moves_from_an_address_deleted_in_the_same_save(support, customer):
    kept = AddressFactory(customer=customer, city="Berlin")
    deleted = AddressFactory(customer=customer, city="Hamburg", is_default_shipping=True)
    values, prefixes = address_form(support, customer)

    response = support.post(
        change_page(customer),
        {
            **values,
            f"{prefixes[deleted]}-DELETE": "on",
            f"{prefixes[kept]}-is_default_shipping": "on",
        },
    )

    assert response.status_code == 302
    assert flags_of(customer) == {"Berlin": (True, False)}


def test_support_staff_add_an_address_that_takes_the_defaults(support, customer):
    AddressFactory(customer=customer, city="Berlin", is_default_shipping=True)
    values, _ = address_form(support, customer)
    new = {
        "salutation": "Ms",
        "first_name": "Anna",
        "last_name": "Kowalska",
        "address1": "Rynek",
        "address2": "1",
        "zip_code": "50-106",
        "city": "Wrocław",
        "iso2_code": "PL",
        "is_default_shipping": "on",
        "is_default_billing": "on",
    }
    values.pop("addresses-0-is_default_shipping")
    values["addresses-TOTAL_FORMS"] = ["2"]

    response = support.post(
        change_page(customer), {**values, **{f"addresses-1-{k}": v for k, v in new.items()}}
    )

    assert response.status_code == 302
    assert flags_of(customer) == {"Berlin": (False, False), "Wrocław": (True, True)}


def test_the_address_inline_edits_every_address_field_under_readable_labels(support, customer):
    AddressFactory(customer=customer)

    page = support.get(change_page(customer)).content.decode()

    assert {f"addresses-0-{name}" for name in EDITABLE_FIELDS} <= field_names(page, "customer_form")
    assert re.search(r'id="addresses-heading"[^>]*>\s*Addresses\s*<', page)
    for label in (
        ">Address line 1:<",
        ">Address line 2:<",
        ">Address line 3:<",
        ">ZIP code:<",
        ">Country code (ISO 3166-1):<",
        ">Default shipping<",
        ">Default billing<",
    ):
        assert label in page
    assert "Addresss" not in page
