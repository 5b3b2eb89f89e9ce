"""§9 admin: what staff can do, by the permissions a shop gives them.

View only (``view_customer``); support (view and change customers, and all of their addresses,
relations and properties); support that may also anonymize (``anonymize_customer``); superusers.
Privileges (staff and superuser status, groups, permissions) are set by superusers only, and
staff and superuser accounts are changed and anonymized by superusers only.
"""

from __future__ import annotations

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken

from auth_api.services import issue_tokens
from customers.models import Customer
from tests.factories import SUPPORT, VIEW_ONLY, CustomerFactory, StaffFactory

CHANGELIST = "/admin/customers/customer/"
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
