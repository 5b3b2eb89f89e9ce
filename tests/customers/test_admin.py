"""The Django admin for staff: customers, the anonymize action, tokens without secrets."""

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken

from auth_api.services import issue_tokens
from customers.models import Customer
from tests.admin_pages import changelist_column
from tests.factories import CustomerFactory


@pytest.fixture
def staff(db):
    staff_member = Customer.objects.create_superuser("staff@example.com", "staff password 2026")
    client = Client()
    client.force_login(staff_member)
    return client


def test_admin_is_for_staff_only(customer):
    client = Client()
    client.force_login(customer)

    response = client.get("/admin/customers/customer/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("query", ["DE--", "findme@example.com", "Findme", "Nowak"])
def test_customers_are_searchable_by_reference_email_and_name(staff, query):
    wanted = CustomerFactory(email="findme@example.com", first_name="Findme")
    query = wanted.customer_reference if query == "DE--" else query

    response = staff.get("/admin/customers/customer/", {"q": query})

    assert response.status_code == 200
    assert wanted.email in response.content.decode()


@pytest.mark.parametrize(
    ("parameter", "value", "matching"),
    [
        ("confirmed", "no", {"confirmed_at": None}),
        ("is_active__exact", "0", {"is_active": False}),
        ("anonymized", "yes", {"anonymized_at": timezone.now()}),
    ],
)
def test_customers_are_filterable(staff, parameter, value, matching):
    shown = CustomerFactory(email="shown@example.com", **matching)
    hidden = CustomerFactory(email="hidden@example.com")

    page = staff.get("/admin/customers/customer/", {parameter: value}).content.decode()

    assert shown.email in page
    assert hidden.email not in page


def test_the_anonymize_action_uses_the_anonymization_service(staff):
    victim = CustomerFactory()
    tokens = issue_tokens(victim)

    response = staff.post(
        "/admin/customers/customer/",
        {"action": "anonymize_selected", "_selected_action": [victim.pk]},
    )

    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.is_anonymized and not victim.is_active
    assert victim.email.endswith(".invalid")
    assert not victim.has_usable_password()
    assert not AccessToken.objects.filter(user=victim).exists()
    assert tokens.access_token not in str(list(AccessToken.objects.values_list("token")))


def test_customer_page_shows_no_password_hash_and_offers_no_delete(staff, customer):
    page = staff.get(f"/admin/customers/customer/{customer.pk}/change/").content.decode()

    assert customer.email in page
    assert customer.password not in page
    assert customer.password.split("$")[-1] not in page
    assert f"/admin/customers/customer/{customer.pk}/delete/" not in page


def test_token_pages_list_tokens_without_their_values(staff, customer):
    tokens = issue_tokens(customer)

    listing = staff.get("/admin/oauth2_provider/accesstoken/").content.decode()
    refresh_listing = staff.get("/admin/oauth2_provider/refreshtoken/").content.decode()

    assert customer.customer_reference in listing
    assert tokens.access_token not in listing
    assert tokens.refresh_token not in refresh_listing


def test_the_customer_list_shows_name_and_one_status_for_each_account(staff):
    now = timezone.now()
    CustomerFactory(email="active@example.com", first_name="Anna", last_name="Nowak")
    CustomerFactory(email="unconfirmed@example.com", confirmed_at=None)
    CustomerFactory(email="inactive@example.com", is_active=False)
    CustomerFactory(email="gone@example.invalid", is_active=False, anonymized_at=now)

    page = staff.get("/admin/customers/customer/", {"q": "example"}).content.decode()

    emails, statuses = changelist_column(page, "email"), changelist_column(page, "status")
    statuses = dict(zip(emails, statuses, strict=True))
    assert statuses == {
        "active@example.com": "active",
        "unconfirmed@example.com": "unconfirmed",
        "inactive@example.com": "inactive",
        "gone@example.invalid": "anonymized",
        "staff@example.com": "active",
    }
    assert "Anna Nowak" in changelist_column(page, "name")
