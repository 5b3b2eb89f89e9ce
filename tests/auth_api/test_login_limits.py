"""§2, §11.2: the login limits count attempts before the password is checked.

Per (client IP, account) — ``LOGIN_FAILURE_LIMIT`` — and per client IP across all accounts —
``LOGIN_IP_FAILURE_LIMIT``. A right password clears the pair's count; a wrong current
password in ``PATCH /customer-password`` is a failed login of that account.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from tests.auth_api.test_access_tokens import log_in
from tests.conftest import Api, all_at_once, document, error_codes
from tests.factories import DEFAULT_PASSWORD, CustomerFactory

WRONG = "not the right password"


def change_password(client, customer, current: str):
    body = {
        "password": current,
        "newPassword": "another fine passphrase",
        "confirmPassword": "another fine passphrase",
    }
    return client.send(
        "PATCH",
        f"/customer-password/{customer.customer_reference}",
        document("customer-password", body),
    )


def test_a_look_alike_spelling_neither_reaches_the_account_nor_gets_fresh_attempts(api, settings):
    settings.LOGIN_FAILURE_LIMIT = "3/15m"
    victim = CustomerFactory(email="victim@example.com")
    for _ in range(3):
        log_in(api, victim.email, WRONG)

    look_alike = log_in(api, "vİctim@example.com")  # U+0130: PostgreSQL's lower() says "victim"
    spelled_otherwise = log_in(api, "VICTIM@EXAMPLE.COM")

    assert error_codes(look_alike) == [("", "003")]
    assert error_codes(spelled_otherwise) == [("", "4401")]


def test_a_right_password_clears_the_pairs_failures(api, customer, settings):
    settings.LOGIN_FAILURE_LIMIT = "3/15m"
    for _ in range(2):
        log_in(api, customer.email, WRONG)
    assert log_in(api, customer.email).status_code == 201

    statuses = [log_in(api, customer.email, WRONG).status_code for _ in range(3)]

    assert statuses == [401, 401, 401]
    assert error_codes(log_in(api, customer.email)) == [("", "4401")]


def test_failures_from_one_ip_at_many_accounts_are_limited(api, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = "3/15m"
    sprayed = CustomerFactory.create_batch(3)
    target = CustomerFactory()
    for customer in sprayed:
        assert log_in(api, customer.email, WRONG).status_code == 401

    refused = log_in(api, target.email)
    elsewhere = log_in(api, target.email, REMOTE_ADDR="203.0.113.9")

    assert error_codes(refused) == [("", "4401")]
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    assert elsewhere.status_code == 201


def test_addresses_of_one_ipv6_network_share_the_limits(api, settings):
    """Every host gets a /64 (or more) of its own: each of its addresses is that one client."""
    settings.LOGIN_FAILURE_LIMIT = "3/15m"
    settings.LOGIN_IP_FAILURE_LIMIT = "5/15m"
    victim, other = CustomerFactory.create_batch(2)
    for host in range(1, 4):
        assert (
            log_in(api, victim.email, WRONG, REMOTE_ADDR=f"2001:db8:7:7::{host}").status_code == 401
        )
    for host in range(4, 6):
        assert (
            log_in(api, other.email, WRONG, REMOTE_ADDR=f"2001:db8:7:7::{host}").status_code == 401
        )

    at_victim = log_in(api, victim.email, REMOTE_ADDR="2001:db8:7:7:abcd::1")
    at_anyone = log_in(api, CustomerFactory().email, REMOTE_ADDR="2001:db8:7:7:abcd::2")
    next_network = log_in(api, victim.email, REMOTE_ADDR="2001:db8:7:8::1")

    assert error_codes(at_victim) == [("", "4401")]
    assert error_codes(at_anyone) == [("", "4401")]
    assert next_network.status_code == 201


def test_successful_logins_do_not_use_up_the_ips_failures(api, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = "2/15m"
    customers = CustomerFactory.create_batch(4)

    statuses = [log_in(api, customer.email).status_code for customer in customers]

    assert statuses == [201] * 4


def test_wrong_current_passwords_count_as_failed_logins(customer_api, customer, settings):
    settings.LOGIN_FAILURE_LIMIT = "2/15m"
    for _ in range(2):
        assert error_codes(change_password(customer_api, customer, WRONG)) == [
            ("/data/attributes/password", "408")
        ]

    refused = change_password(customer_api, customer, DEFAULT_PASSWORD)
    login = log_in(Api(), customer.email)

    assert error_codes(refused) == [("", "4401")]
    assert error_codes(login) == [("", "4401")]
    customer.refresh_from_db()
    assert customer.check_password(DEFAULT_PASSWORD)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_check_no_more_passwords_than_the_limit():
    if "DatabaseCache" in django_settings.CACHES["default"]["BACKEND"]:
        pytest.skip("the database cache does not count atomically (Redis does)")
    customer = CustomerFactory()

    def attempt() -> int:
        return log_in(Api(), customer.email, WRONG).status_code

    statuses = all_at_once([attempt] * 40)

    limit = int(django_settings.LOGIN_FAILURE_LIMIT.split("/")[0])
    assert sorted(statuses) == [401] * limit + [429] * (40 - limit)
