"""§11.2: logging out everywhere, a new password and anonymization end browser sessions too.

A browser session (the login page of the browsable API and the OAuth2 authorization page) is
a credential like a token: whatever revokes every token of the customer ends it as well, so a
stolen session can neither read the account nor mint new OAuth2 tokens afterwards.
"""

import pytest
from django.test import Client

from tests.auth_api.test_restore_password import restore
from tests.conftest import document, error_codes
from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def browser(customer) -> Client:
    """A browser logged in through the login page, as a customer would."""
    client = Client()
    response = client.post(
        "/api-auth/login/", {"username": customer.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return client


def reads_the_account(browser: Client, customer) -> bool:
    response = browser.get(
        f"/customers/{customer.customer_reference}", HTTP_ACCEPT="application/vnd.api+json"
    )
    return response.status_code == 200


def test_the_session_reads_the_account_until_something_ends_it(browser, customer):
    assert reads_the_account(browser, customer)
    assert reads_the_account(browser, customer)


def test_logging_out_everywhere_ends_browser_sessions(customer_api, browser, customer):
    response = customer_api.delete("/refresh-tokens/mine")

    assert response.status_code == 204
    assert not reads_the_account(browser, customer)
    after = browser.get("/customers", HTTP_ACCEPT="application/vnd.api+json")
    assert error_codes(after) == [("", "002")]


def test_an_ended_session_cannot_reach_the_oauth_authorization_page(
    customer_api, browser, customer
):
    customer_api.delete("/refresh-tokens/mine")

    response = browser.get("/oauth/authorize/", {"client_id": "any", "response_type": "code"})

    assert response.status_code == 302
    assert response["Location"].startswith("/api-auth/login/")


def test_logging_out_one_refresh_token_keeps_browser_sessions(
    customer_api, browser, customer, tokens
):
    customer_api.delete(f"/refresh-tokens/{tokens.refresh_token}")

    assert reads_the_account(browser, customer)


def test_changing_the_password_ends_browser_sessions(customer_api, browser, customer):
    body = {
        "password": DEFAULT_PASSWORD,
        "newPassword": "another fine passphrase",
        "confirmPassword": "another fine passphrase",
    }

    response = customer_api.send(
        "PATCH",
        f"/customer-password/{customer.customer_reference}",
        document("customer-password", body),
    )

    assert response.status_code == 204
    assert not reads_the_account(browser, customer)


def test_restoring_the_password_ends_browser_sessions(api, browser, customer, restore_key):
    assert restore(api, restore_key).status_code == 204

    assert not reads_the_account(browser, customer)


def test_anonymization_ends_browser_sessions(customer_api, browser, customer):
    assert customer_api.delete(f"/customers/{customer.customer_reference}").status_code == 204

    assert not reads_the_account(browser, customer)
