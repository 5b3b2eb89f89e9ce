"""§9 admin: what staff can do, by the permissions a shop gives them.

View only (``view_customer``); support (view and change customers, and all of their addresses,
relations and properties); support that may also anonymize (``anonymize_customer``); superusers.
Privileges (staff and superuser status, groups, permissions) are set by superusers only, and
staff and superuser accounts are changed and anonymized by superusers only.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from oauth2_provider.models import AccessToken

from auth_api.services import issue_tokens
from customers.models import Customer
from tests.admin_pages import field_names, form_values
from tests.factories import (
    SUPPORT,
    VIEW_ONLY,
    AddressFactory,
    CustomerFactory,
    PropertyFactory,
    RelationFactory,
    StaffFactory,
)

CHANGELIST = "/admin/customers/customer/"
FORM = "customer_form"
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")
ANONYMIZER = (*SUPPORT, "customers.anonymize_customer")
ROLES = {
    "view only": lambda: StaffFactory(permissions=VIEW_ONLY),
    "support": lambda: StaffFactory(permissions=SUPPORT),
    "anonymizer": lambda: StaffFactory(permissions=ANONYMIZER),
    "superuser": lambda: StaffFactory(is_superuser=True),
}


def change_page(customer: Customer) -> str:
    return f"/admin/customers/customer/{customer.pk}/change/"


def logged_in(staff_member: Customer) -> Client:
    client = Client()
    client.force_login(staff_member)
    return client


def account(customer: Customer) -> dict:
    """Everything stored of the account, less the bookkeeping every save counts up."""
    state = Customer.objects.values().get(pk=customer.pk)
    del state["updated_at"], state["data_version"]
    state["groups"] = set(customer.groups.values_list("name", flat=True))
    state["user_permissions"] = set(customer.user_permissions.values_list("codename", flat=True))
    return state


def with_items(customer: Customer) -> Customer:
    """The customer, with an address, a relation and a property to show inline."""
    AddressFactory(customer=customer, city="Wrocław")
    RelationFactory(customer=customer, ref_id="sku-inline")
    PropertyFactory(customer=customer, value="value-inline")
    return customer


def full_form(customer: Customer, **changes: str) -> dict[str, str]:
    """A complete change form of a customer without addresses, relations or properties."""
    values = {
        "email": customer.email,
        "salutation": customer.salutation,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "is_active": "on",
    }
    for inline in ("addresses", "customer_relations", "customer_properties", "group_memberships"):
        values.update({f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"})
    return {**values, **changes}


def privilege_values() -> dict[str, str | list[str]]:
    """What a forged form sets to make its account all-powerful."""
    group = Group.objects.create(name="administrators")
    group.permissions.set(Permission.objects.all())
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    return {
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [str(group.pk)],
        "user_permissions": everything,
    }


def anonymize(client: Client, *customers: Customer):
    return client.post(
        CHANGELIST,
        {"action": "anonymize_selected", "_selected_action": [c.pk for c in customers]},
        follow=True,
    )


# --- The anonymize action ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["view only", "support"])
def test_staff_without_the_anonymize_permission_are_not_offered_the_action(db, role):
    CustomerFactory()

    page = logged_in(ROLES[role]()).get(CHANGELIST)

    assert page.status_code == 200
    assert b"anonymize_selected" not in page.content


@pytest.mark.parametrize("target", ["customer", "superuser"])
@pytest.mark.parametrize("role", ["view only", "support"])
def test_a_forged_anonymize_action_of_staff_without_the_permission_changes_nothing(
    db, role, target
):
    victim = CustomerFactory(is_staff=target == "superuser", is_superuser=target == "superuser")
    issue_tokens(victim)
    before = account(victim)

    anonymize(logged_in(ROLES[role]()), victim)

    assert account(victim) == before
    assert AccessToken.objects.filter(user=victim).count() == 1


@pytest.mark.parametrize("role", ["anonymizer", "superuser"])
def test_staff_with_the_anonymize_permission_are_offered_the_action(db, role):
    CustomerFactory()

    page = logged_in(ROLES[role]()).get(CHANGELIST)

    assert b'value="anonymize_selected"' in page.content


def test_staff_with_the_anonymize_permission_anonymize_customers_and_skip_staff_accounts(db):
    anonymizer = StaffFactory(permissions=ANONYMIZER)
    client = logged_in(anonymizer)
    customer = CustomerFactory()
    colleague = StaffFactory(permissions=SUPPORT)
    superuser = StaffFactory(is_superuser=True)
    for account_holder in (colleague, superuser, anonymizer):
        issue_tokens(account_holder)
    untouched = {a.pk: account(a) for a in (colleague, superuser, anonymizer)}

    response = anonymize(client, customer, colleague, superuser, anonymizer)

    customer.refresh_from_db()
    assert customer.is_anonymized and not customer.is_active
    assert {a.pk: account(a) for a in (colleague, superuser, anonymizer)} == untouched
    assert AccessToken.objects.filter(user__in=untouched).count() == 3
    messages = [str(message) for message in response.context["messages"]]
    assert "1 customer anonymized." in messages
    assert "3 staff accounts skipped: only a superuser can anonymize them." in messages


def test_superusers_anonymize_staff_and_superuser_accounts(db):
    colleague = StaffFactory(permissions=SUPPORT)
    other_superuser = StaffFactory(is_superuser=True)

    response = anonymize(logged_in(StaffFactory(is_superuser=True)), colleague, other_superuser)

    for account_holder in (colleague, other_superuser):
        account_holder.refresh_from_db()
        assert account_holder.is_anonymized and not account_holder.is_active
    assert [str(m) for m in response.context["messages"]] == ["2 customers anonymized."]


# --- Privilege fields ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["support", "anonymizer"])
def test_staff_see_the_privilege_fields_of_a_customer_read_only(db, role):
    customer = CustomerFactory()

    page = logged_in(ROLES[role]()).get(change_page(customer)).content.decode()

    fields = field_names(page, FORM)
    assert {"email", "first_name", "is_active"} <= fields
    assert not fields & set(PRIVILEGE_FIELDS)
    assert "Superuser status" in page


@pytest.mark.parametrize("field", PRIVILEGE_FIELDS)
@pytest.mark.parametrize("role", ["support", "anonymizer"])
def test_forged_privilege_fields_of_staff_are_ignored(db, role, field):
    client = logged_in(ROLES[role]())
    customer = CustomerFactory()
    before = account(customer)
    values = form_values(client.get(change_page(customer)).content.decode(), FORM)

    response = client.post(
        change_page(customer),
        {**values, "first_name": "Renamed", field: privilege_values()[field]},
    )

    assert response.status_code == 302
    assert account(customer) == {**before, "first_name": "Renamed"}


@pytest.mark.parametrize("role", ["support", "anonymizer"])
def test_staff_cannot_raise_their_own_privileges(db, role):
    staff_member = ROLES[role]()
    client = logged_in(staff_member)
    before = account(staff_member)

    response = client.post(
        change_page(staff_member), {**full_form(staff_member), **privilege_values()}
    )

    assert response.status_code == 403
    assert account(staff_member) == before


@pytest.mark.parametrize("target", ["self", "staff", "superuser"])
@pytest.mark.parametrize("role", ["support", "anonymizer"])
def test_staff_only_view_staff_and_superuser_accounts(db, role, target):
    staff_member = ROLES[role]()
    account_holder = {
        "self": lambda: staff_member,
        "staff": lambda: StaffFactory(permissions=SUPPORT),
        "superuser": lambda: StaffFactory(is_superuser=True),
    }[target]()
    with_items(account_holder)
    client = logged_in(staff_member)
    before = account(account_holder)

    page = client.get(change_page(account_holder)).content.decode()
    response = client.post(
        change_page(account_holder), full_form(account_holder, email="attacker@example.com")
    )

    assert account_holder.email in page
    assert "Wrocław" in page and "sku-inline" in page and "value-inline" in page
    assert field_names(page, FORM) == set()
    assert 'name="_save"' not in page
    assert response.status_code == 403
    assert account(account_holder) == before


def test_view_only_staff_change_nothing(db):
    customer = with_items(CustomerFactory())
    before = account(customer)
    client = logged_in(StaffFactory(permissions=VIEW_ONLY))

    page = client.get(change_page(customer)).content.decode()
    response = client.post(change_page(customer), full_form(customer, first_name="Renamed"))

    assert customer.email in page
    assert field_names(page, FORM) == set()
    assert response.status_code == 403
    assert account(customer) == before


def test_superusers_grant_privileges(db):
    client = logged_in(StaffFactory(is_superuser=True))
    customer = CustomerFactory()
    before = account(customer)
    values = form_values(client.get(change_page(customer)).content.decode(), FORM)
    granted = privilege_values()

    response = client.post(change_page(customer), {**values, **granted})

    assert response.status_code == 302
    assert account(customer) == {
        **before,
        "is_staff": True,
        "is_superuser": True,
        "groups": {"administrators"},
        "user_permissions": set(Permission.objects.values_list("codename", flat=True)),
    }


def test_superusers_change_staff_accounts(db):
    client = logged_in(StaffFactory(is_superuser=True))
    colleague = StaffFactory(permissions=SUPPORT)
    before = account(colleague)
    values = form_values(client.get(change_page(colleague)).content.decode(), FORM)

    response = client.post(
        change_page(colleague), {**values, "email": "new@example.com", "is_staff": []}
    )

    assert response.status_code == 302
    assert account(colleague) == {
        **before,
        "email": "new@example.com",
        "email_canonical": "new@example.com",
        "is_staff": False,
    }


def test_forged_privileges_on_the_add_form_of_staff_are_ignored(db):
    client = logged_in(StaffFactory(permissions=(*SUPPORT, "customers.add_customer")))
    values = form_values(client.get("/admin/customers/customer/add/").content.decode(), FORM)
    values.update(email="new@example.com", salutation="Ms", first_name="New", last_name="Account")

    response = client.post("/admin/customers/customer/add/", {**values, **privilege_values()})

    assert response.status_code == 302
    created = account(Customer.objects.get(email="new@example.com"))
    assert {field: created[field] for field in PRIVILEGE_FIELDS} == {
        "is_staff": False,
        "is_superuser": False,
        "groups": set(),
        "user_permissions": set(),
    }


@pytest.mark.parametrize("item", ["relation", "property"])
def test_support_neither_changes_items_of_staff_accounts_nor_moves_items(db, item):
    factory, path = {
        "relation": (RelationFactory, "relations/relation"),
        "property": (PropertyFactory, "properties/property"),
    }[item]
    support = StaffFactory(permissions=SUPPORT)
    client = logged_in(support)
    staff_item = factory(customer=StaffFactory(is_superuser=True))
    customer_item = factory(customer=CustomerFactory())
    someone_else = CustomerFactory()

    staff_page = client.get(f"/admin/{path}/{staff_item.pk}/change/").content.decode()
    forged = client.post(f"/admin/{path}/{staff_item.pk}/change/", {"customer": someone_else.pk})
    own_page = client.get(f"/admin/{path}/{customer_item.pk}/change/").content.decode()
    moved = client.post(
        f"/admin/{path}/{customer_item.pk}/change/",
        {**form_values(own_page, f"{item}_form"), "customer": str(someone_else.pk)},
    )

    assert 'name="_save"' not in staff_page
    assert forged.status_code == 403
    assert moved.status_code == 302
    assert 'name="customer"' not in own_page
    staff_item.refresh_from_db()
    customer_item.refresh_from_db()
    assert staff_item.customer.is_superuser
    assert customer_item.customer != someone_else
