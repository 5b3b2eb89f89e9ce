"""§5: ``PATCH /customer-restore-password[/{anyId}]`` with the mailed key."""

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from auth_api.models import RestorePasswordKey
from auth_api.services import issue_tokens
from customers.services import anonymize_customer
from tests.auth_api.test_forgotten_password import forgotten, mailed_key
from tests.conftest import document, error_codes, errors_of
from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "a restored passphrase"
URL = "/customer-restore-password"


def restore(client, key, url: str = URL, members: dict | None = None, **attributes):
    body = {"restorePasswordKey": key, "password": NEW_PASSWORD, "confirmPassword": NEW_PASSWORD}
    body.update(attributes)
    return client.send("PATCH", url, document("customer-restore-password", body, **members or {}))


def password_unchanged(customer) -> bool:
    customer.refresh_from_db()
    return customer.check_password(DEFAULT_PASSWORD)


def log_in(client, email: str, password: str):
    body = document("access-tokens", {"username": email, "password": password})
    return client.send("POST", "/access-tokens", body)


def test_restoring_password_sets_it_and_revokes_all_tokens(api, customer, tokens, restore_key):
    issue_tokens(customer)

    response = restore(api, restore_key)

    assert response.status_code == 204
    assert not AccessToken.objects.filter(user=customer).exists()
    assert not RefreshToken.objects.filter(user=customer, revoked__isnull=True).exists()
    assert log_in(api, customer.email, NEW_PASSWORD).status_code == 201
    assert log_in(api, customer.email, DEFAULT_PASSWORD).status_code == 401


@pytest.mark.parametrize("members", [{}, {"id": "whatever"}, {"id": 42}])
def test_restoring_password_with_any_id_in_url_ignores_the_id(api, customer, restore_key, members):
    response = restore(api, restore_key, f"{URL}/some-glue-id", members)

    assert response.status_code == 204
    assert not password_unchanged(customer)


def test_restoring_password_with_body_id_and_no_url_id_answers_204(api, customer, restore_key):
    assert restore(api, restore_key, members={"id": "x"}).status_code == 204


def test_restore_key_works_once(api, customer, restore_key):
    restore(api, restore_key)

    again = "yet another passphrase!"
    response = restore(api, restore_key, password=again, confirmPassword=again)

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/restorePasswordKey", "415")]
    assert errors_of(response)[0]["detail"] == "Restore password key is not valid."
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)


def test_expired_restore_key_answers_422_code_415(api, customer, restore_key, tokens):
    RestorePasswordKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = restore(api, restore_key)

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/restorePasswordKey", "415")]
    assert password_unchanged(customer)
    assert AccessToken.objects.filter(user=customer).exists()


def test_restore_key_expires_after_the_configured_ttl(api, customer, settings, restore_key):
    stored = RestorePasswordKey.objects.get()

    assert stored.expires_at - stored.created_at == pytest.approx(
        timedelta(seconds=settings.RESTORE_PASSWORD_KEY_TTL), abs=timedelta(seconds=5)
    )


def test_older_restore_key_stops_working_after_a_newer_request(
    api, customer, restore_key, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        forgotten(api, customer.email)

    older = restore(api, restore_key)
    newer = restore(api, mailed_key(mailoutbox[-1]))

    assert error_codes(older) == [("/data/attributes/restorePasswordKey", "415")]
    assert newer.status_code == 204


@pytest.mark.parametrize("key", ["unknown", "", 42, "\u0000", "k" * 256])
def test_invalid_restore_key_answers_422(api, customer, restore_key, key):
    response = restore(api, key)

    assert response.status_code == 422
    assert [pointer for pointer, _ in error_codes(response)] == [
        "/data/attributes/restorePasswordKey"
    ]
    assert password_unchanged(customer)


def test_restore_key_of_anonymized_customer_answers_422_code_415(api, customer, restore_key):
    anonymize_customer(customer=customer)

    response = restore(api, restore_key)

    assert error_codes(response) == [("/data/attributes/restorePasswordKey", "415")]


def test_restoring_password_with_mismatch_answers_422_code_406(api, customer, restore_key):
    response = restore(api, restore_key, confirmPassword="something else entirely")

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/confirmPassword", "406")]
    assert "field password " in errors_of(response)[0]["detail"]
    assert password_unchanged(customer)
    assert RestorePasswordKey.objects.get().used_at is None


@pytest.mark.parametrize("password", ["1234567890123", "password1234"])
def test_restoring_password_against_policy_answers_422_code_901_and_keeps_the_key(
    api, customer, restore_key, password
):
    response = restore(api, restore_key, password=password, confirmPassword=password)

    assert response.status_code == 422
    assert set(error_codes(response)) == {("/data/attributes/password", "901")}
    assert password_unchanged(customer)
    assert restore(api, restore_key).status_code == 204


def test_restoring_password_to_the_email_answers_422_code_901(api, customer, restore_key):
    response = restore(api, restore_key, password=customer.email, confirmPassword=customer.email)

    assert error_codes(response) == [("/data/attributes/password", "901")]
    assert "too similar" in errors_of(response)[0]["detail"]
    assert password_unchanged(customer)


def test_restoring_password_without_attributes_reports_each_missing(api):
    response = api.send("PATCH", URL, document("customer-restore-password", {}))

    assert sorted(error_codes(response)) == [
        ("/data/attributes/confirmPassword", "901"),
        ("/data/attributes/password", "901"),
        ("/data/attributes/restorePasswordKey", "901"),
    ]


def test_restoring_password_with_wrong_type_answers_409(api, customer, restore_key):
    body = {"restorePasswordKey": restore_key, "password": NEW_PASSWORD}
    body["confirmPassword"] = NEW_PASSWORD

    response = api.send("PATCH", URL, document("customer-password", body))

    assert response.status_code == 409
    assert password_unchanged(customer)


def test_new_request_after_a_used_key_mails_a_working_key(
    api, customer, restore_key, mailoutbox, django_capture_on_commit_callbacks
):
    restore(api, restore_key)
    with django_capture_on_commit_callbacks(execute=True):
        forgotten(api, customer.email)
    again = "yet another passphrase!"

    response = restore(api, mailed_key(mailoutbox[-1]), password=again, confirmPassword=again)

    assert response.status_code == 204
    customer.refresh_from_db()
    assert customer.check_password(again)


def test_restore_accepts_the_seeds_password_confirmation_name(api, customer, restore_key):
    body = {
        "restorePasswordKey": restore_key,
        "password": NEW_PASSWORD,
        "passwordConfirmation": NEW_PASSWORD,
    }

    response = api.send("PATCH", URL, document("customer-restore-password", body))

    assert response.status_code == 204
    assert not password_unchanged(customer)


def test_a_differing_password_confirmation_answers_422_code_406(api, customer, restore_key):
    body = {
        "restorePasswordKey": restore_key,
        "password": NEW_PASSWORD,
        "passwordConfirmation": "something else entirely",
    }

    response = api.send("PATCH", URL, document("customer-restore-password", body))

    assert response.status_code == 422
    assert [code for _, code in error_codes(response)] == ["406"]
    assert password_unchanged(customer)
