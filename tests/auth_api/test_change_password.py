"""§5: ``PATCH /customer-password/{ref}``."""

from functools import partial

import pytest
from oauth2_provider.models import AccessToken, RefreshToken

from auth_api.services import issue_tokens
from tests.conftest import Api, all_at_once, document, error_codes, errors_of
from tests.factories import DEFAULT_PASSWORD, CustomerFactory

NEW_PASSWORD = "a much newer passphrase"


def change(client, customer, **attributes):
    body = {"password": DEFAULT_PASSWORD, "newPassword": NEW_PASSWORD}
    body["confirmPassword"] = attributes.get("newPassword", NEW_PASSWORD)
    body.update(attributes)
    url = f"/customer-password/{customer.customer_reference}"
    return client.send("PATCH", url, document("customer-password", body))


def change_status(client, customer, **attributes) -> int:
    return change(client, customer, **attributes).status_code


def password_unchanged(customer) -> bool:
    customer.refresh_from_db()
    return customer.check_password(DEFAULT_PASSWORD)


def test_changing_password_answers_204_and_sets_it(customer_api, customer):
    response = change(customer_api, customer)

    assert response.status_code == 204
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)


def test_changing_password_revokes_every_other_token(customer_api, customer, tokens):
    other = issue_tokens(customer)
    foreign = issue_tokens(CustomerFactory())

    change(customer_api, customer)

    assert customer_api.get(f"/customers/{customer.customer_reference}").status_code == 200
    assert Api().authenticate(other.access_token).get("/customers").status_code == 401
    assert RefreshToken.objects.get(user=customer, revoked__isnull=True).access_token.pk == (
        AccessToken.objects.get(user=customer).pk
    )
    assert Api().authenticate(foreign.access_token).get("/customers").status_code == 200


def test_changing_password_with_wrong_current_answers_400_code_408(customer_api, customer, tokens):
    other = issue_tokens(customer)

    response = change(customer_api, customer, password="not the password")

    assert response.status_code == 400
    assert error_codes(response) == [("/data/attributes/password", "408")]
    assert password_unchanged(customer)
    assert Api().authenticate(other.access_token).get("/customers").status_code == 200


def test_changing_password_with_mismatch_answers_422_code_406(customer_api, customer):
    response = change(customer_api, customer, confirmPassword="something else entirely")

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/confirmPassword", "406")]
    assert "newPassword" in errors_of(response)[0]["detail"]
    assert password_unchanged(customer)


@pytest.mark.parametrize(
    "new_password",
    ["123456789012345", "password1234"],
)
def test_changing_password_against_policy_answers_422_code_901(
    customer_api, customer, new_password
):
    response = change(customer_api, customer, newPassword=new_password)

    assert response.status_code == 422
    assert {pointer for pointer, _ in error_codes(response)} == {"/data/attributes/newPassword"}
    assert {code for _, code in error_codes(response)} == {"901"}
    assert password_unchanged(customer)


def test_changing_password_to_the_email_answers_422_code_901(customer_api, customer):
    response = change(customer_api, customer, newPassword=customer.email)

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/newPassword", "901")]
    assert "too similar" in errors_of(response)[0]["detail"]
    assert password_unchanged(customer)


def test_changing_password_to_129_characters_answers_422_code_901(customer_api, customer):
    response = change(customer_api, customer, newPassword="a" * 129)

    assert response.status_code == 422
    assert sorted(error_codes(response)) == [
        ("/data/attributes/confirmPassword", "901"),
        ("/data/attributes/newPassword", "901"),
    ]
    assert password_unchanged(customer)


def test_changing_password_reports_all_failing_attributes_at_once(customer_api, customer):
    url = f"/customer-password/{customer.customer_reference}"
    body = {"password": 1, "newPassword": "short", "confirmPassword": "another passphrase"}

    response = customer_api.send("PATCH", url, document("customer-password", body))

    assert response.status_code == 422
    assert sorted(error_codes(response)) == [
        ("/data/attributes/confirmPassword", "406"),
        ("/data/attributes/newPassword", "901"),
        ("/data/attributes/password", "901"),
    ]
    assert password_unchanged(customer)


def test_changing_password_without_attributes_reports_each_missing(customer_api, customer):
    url = f"/customer-password/{customer.customer_reference}"

    response = customer_api.send("PATCH", url, document("customer-password", {}))

    assert sorted(error_codes(response)) == [
        ("/data/attributes/confirmPassword", "901"),
        ("/data/attributes/newPassword", "901"),
        ("/data/attributes/password", "901"),
    ]


def test_changing_password_of_foreign_reference_answers_403_code_411(customer_api):
    other = CustomerFactory()

    response = change(customer_api, other)

    assert response.status_code == 403
    assert error_codes(response) == [("", "411")]
    assert password_unchanged(other)


def test_changing_password_without_token_answers_403_code_002(api, customer):
    response = change(api, customer)

    assert response.status_code == 403
    assert error_codes(response) == [("", "002")]
    assert password_unchanged(customer)


def test_changing_password_with_wrong_type_answers_409(customer_api, customer):
    url = f"/customer-password/{customer.customer_reference}"
    body = {"password": DEFAULT_PASSWORD, "newPassword": NEW_PASSWORD}

    response = customer_api.send("PATCH", url, document("customer-passwords", body))

    assert response.status_code == 409
    assert password_unchanged(customer)


def test_changing_password_with_other_id_answers_409(customer_api, customer):
    url = f"/customer-password/{customer.customer_reference}"
    body = {"password": DEFAULT_PASSWORD, "newPassword": NEW_PASSWORD}
    body["confirmPassword"] = NEW_PASSWORD

    response = customer_api.send("PATCH", url, document("customer-password", body, id="DE--0"))

    assert response.status_code == 409
    assert password_unchanged(customer)


def test_the_seeds_url_without_a_reference_changes_the_callers_own_password(customer_api, customer):
    other = CustomerFactory()
    body = {"password": DEFAULT_PASSWORD, "newPassword": NEW_PASSWORD}
    body["confirmPassword"] = NEW_PASSWORD

    response = customer_api.send("PATCH", "/customer-password", document("customer-password", body))

    assert response.status_code == 204
    assert not password_unchanged(customer)
    assert password_unchanged(other)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_of_parallel_changes_from_one_password_exactly_the_answered_one_is_set():
    customer = CustomerFactory()
    clients = [Api().authenticate(issue_tokens(customer).access_token) for _ in range(8)]
    passwords = [f"parallel passphrase number {n}" for n in range(len(clients))]

    statuses = all_at_once(
        [
            partial(change_status, client, customer, newPassword=password)
            for client, password in zip(clients, passwords, strict=True)
        ]
    )
    answers = dict(zip(passwords, statuses, strict=True))

    set_ones = [password for password, status in answers.items() if status == 204]
    assert len(set_ones) == 1
    # A loser either saw the hash change under the lock (400), or came after the winner had
    # committed and revoked every other token of the customer (401).
    losers = [status for status in answers.values() if status != 204]
    assert len(losers) == len(clients) - 1
    assert set(losers) <= {400, 401}
    customer.refresh_from_db()
    assert customer.check_password(set_ones[0])
