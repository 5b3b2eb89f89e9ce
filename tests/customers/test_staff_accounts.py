"""Staff accounts from ``manage.py createsuperuser``: customers with a salutation and names."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.management.commands import createsuperuser
from django.core.management import CommandError, call_command

from auth_api.services import issue_tokens
from customers.models import Customer
from tests.conftest import Api

PASSWORD = "staff password 2026"
# The README's non-interactive form.
STAFF_ENVIRONMENT = {
    "DJANGO_SUPERUSER_EMAIL": "ada@shop.example",
    "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    "DJANGO_SUPERUSER_SALUTATION": "Ms",
    "DJANGO_SUPERUSER_FIRST_NAME": "Ada",
    "DJANGO_SUPERUSER_LAST_NAME": "Admin",
}


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def staff_environment(monkeypatch):
    for name, value in STAFF_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


def test_createsuperuser_without_input_reads_salutation_and_names_from_the_environment(
    db, staff_environment
):
    call_command("createsuperuser", interactive=False, stdout=StringIO())

    staff = Customer.objects.get(email="ada@shop.example")
    assert (staff.salutation, staff.first_name, staff.last_name) == ("Ms", "Ada", "Admin")
    assert staff.is_staff and staff.is_superuser and staff.is_confirmed
    assert staff.check_password(PASSWORD)


def test_a_staff_account_reads_as_a_customer_with_a_salutation_of_the_choices(
    db, staff_environment
):
    call_command("createsuperuser", interactive=False, stdout=StringIO())
    staff = Customer.objects.get(email="ada@shop.example")

    response = (
        Api()
        .authenticate(issue_tokens(staff).access_token)
        .get(f"/customers/{staff.customer_reference}")
    )

    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["salutation"] == "Ms"


@pytest.mark.parametrize(("salutation", "error"), [("", "--salutation"), ("Sir", "Sir")])
def test_createsuperuser_refuses_a_salutation_outside_the_choices(
    db, staff_environment, monkeypatch, salutation, error
):
    monkeypatch.setenv("DJANGO_SUPERUSER_SALUTATION", salutation)

    with pytest.raises(CommandError, match=error):
        call_command("createsuperuser", interactive=False, stdout=StringIO())

    assert not Customer.objects.exists()


def test_createsuperuser_asks_again_for_a_salutation_outside_the_choices(db, monkeypatch):
    answers = iter(["ada@shop.example", "Sir", "", "Ms", "Ada", "Admin"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr(createsuperuser.getpass, "getpass", lambda prompt="": PASSWORD)
    errors = StringIO()

    call_command("createsuperuser", stdin=Terminal(), stdout=StringIO(), stderr=errors)

    staff = Customer.objects.get(email="ada@shop.example")
    assert (staff.salutation, staff.first_name, staff.last_name) == ("Ms", "Ada", "Admin")
    assert "not a valid choice" in errors.getvalue()
