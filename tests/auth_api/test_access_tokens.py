"""POST /access-tokens (§2): credentials for tokens, no enumeration, login lockout."""

import hashlib
import json

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from customers.models import CustomerActivity
from customers.services import anonymize_customer
from tests.auth_api.test_token_endpoint import password_grant
from tests.conftest import (
    JSON_API,
    Api,
    all_at_once,
    document,
    error_codes,
    errors_of,
    old_connections_kept,
)
from tests.factories import DEFAULT_PASSWORD, CustomerFactory

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
FAILED = [{"status": "401", "code": "003", "detail": "Failed to authenticate user."}]


def log_in(api, username, password=DEFAULT_PASSWORD, **extra):
    body = document("access-tokens", {"username": username, "password": password})
    return api.send("POST", "/access-tokens", body, **extra)


class CountingHasher(MD5PasswordHasher):
    """Counts how many hashes a request computes: one per login attempt, whatever the outcome."""

    algorithm = "counting_md5"
    computed = 0

    def encode(self, password, salt):
        CountingHasher.computed += 1
        return super().encode(password, salt)


def test_login_answers_201_with_glues_token_attributes(api, customer):
    response = log_in(api, customer.email)

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["type"] == "access-tokens"
    assert data["id"] is None
    attributes = data["attributes"]
    assert attributes["tokenType"] == "Bearer"
    assert attributes["expiresIn"] == 28800
    assert attributes["refreshTokenExpiresIn"] == 2592000
    assert len(attributes["accessToken"]) >= 43
    assert len(attributes["refreshToken"]) >= 43


def test_the_access_token_opens_the_customer(api, customer):
    access_token = log_in(api, customer.email).json()["data"]["attributes"]["accessToken"]

    response = Api().authenticate(access_token).get(f"/customers/{customer.customer_reference}")

    assert response.status_code == 200


def test_email_is_matched_case_insensitively(api, customer):
    assert log_in(api, customer.email.upper()).status_code == 201


def test_tokens_are_stored_only_as_checksums(api, customer):
    attributes = log_in(api, customer.email).json()["data"]["attributes"]

    access_row = AccessToken.objects.get(user=customer)
    refresh_row = RefreshToken.objects.get(user=customer)
    assert access_row.token == ""
    assert refresh_row.token == ""
    assert (
        access_row.token_checksum == hashlib.sha256(attributes["accessToken"].encode()).hexdigest()
    )
    assert (
        refresh_row.token_checksum
        == hashlib.sha256(attributes["refreshToken"].encode()).hexdigest()
    )


def test_token_lifetimes_come_from_settings(api, customer, settings):
    settings.ACCESS_TOKEN_EXPIRE_SECONDS = 60
    settings.REFRESH_TOKEN_EXPIRE_SECONDS = 120

    attributes = log_in(api, customer.email).json()["data"]["attributes"]

    assert (attributes["expiresIn"], attributes["refreshTokenExpiresIn"]) == (60, 120)
    expires = AccessToken.objects.get(user=customer).expires
    assert 55 <= (expires - timezone.now()).total_seconds() <= 60


def test_wrong_password_and_unknown_email_answer_alike(api, customer):
    wrong_password = log_in(api, customer.email, "not the password at all")
    unknown_email = log_in(api, "nobody@example.com")

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert errors_of(wrong_password) == errors_of(unknown_email) == FAILED
    assert wrong_password.content == unknown_email.content
    assert not AccessToken.objects.exists()


def test_unknown_email_costs_one_password_hash_like_a_known_one(api, customer, settings):
    settings.PASSWORD_HASHERS = ["tests.auth_api.test_access_tokens.CountingHasher"]
    customer.set_password(DEFAULT_PASSWORD)
    customer.save()

    CountingHasher.computed = 0
    log_in(api, customer.email, "wrong password here")
    known = CountingHasher.computed
    CountingHasher.computed = 0
    log_in(api, "nobody@example.com", "wrong password here")
    unknown = CountingHasher.computed

    assert known == unknown == 1


def test_unconfirmed_account_answers_401_code_003(api):
    unconfirmed = CustomerFactory(confirmed_at=None)

    assert errors_of(log_in(api, unconfirmed.email)) == FAILED


def test_inactive_account_answers_401_code_003(api):
    inactive = CustomerFactory(is_active=False)

    assert errors_of(log_in(api, inactive.email)) == FAILED


def test_anonymized_account_answers_401_code_003(api, customer):
    email = customer.email
    anonymize_customer(customer=customer)

    assert errors_of(log_in(api, email)) == FAILED


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"password": DEFAULT_PASSWORD}, "/data/attributes/username"),
        ({"username": "a@example.com"}, "/data/attributes/password"),
        ({"username": 5, "password": DEFAULT_PASSWORD}, "/data/attributes/username"),
        ({"username": "a@example.com", "password": ["x"]}, "/data/attributes/password"),
        ({"username": "a" * 300, "password": DEFAULT_PASSWORD}, "/data/attributes/username"),
        ({"username": "a@example.com", "password": "x\x00y"}, "/data/attributes/password"),
    ],
)
def test_malformed_credentials_answer_422_code_901(api, attributes, pointer):
    response = api.send("POST", "/access-tokens", document("access-tokens", attributes))

    assert response.status_code == 422
    assert error_codes(response) == [(pointer, "901")]


def test_failed_logins_lock_the_ip_and_account_pair(api, customer, settings):
    settings.LOGIN_FAILURE_LIMIT = "3/15m"
    for _ in range(3):
        assert log_in(api, customer.email, "wrong password here").status_code == 401

    response = log_in(api, customer.email)

    assert response.status_code == 429
    assert error_codes(response) == [("", "4401")]
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    minutes = -(-retry_after // 60)
    assert errors_of(response)[0]["detail"] == (
        "Too many log in attempts from your address. "
        f"Please wait {minutes} minutes before trying again."
    )
    assert not AccessToken.objects.exists()


def test_lockout_is_per_ip_and_account(api, customer, settings):
    settings.LOGIN_FAILURE_LIMIT = "2/15m"
    other = CustomerFactory()
    for _ in range(2):
        log_in(api, customer.email, "wrong password here")

    assert log_in(api, customer.email).status_code == 429
    assert log_in(api, customer.email, REMOTE_ADDR="203.0.113.7").status_code == 201
    assert log_in(api, other.email).status_code == 201


def test_lockout_counts_case_variants_of_one_email_together(api, customer, settings):
    settings.LOGIN_FAILURE_LIMIT = "2/15m"
    log_in(api, customer.email.upper(), "wrong password here")
    log_in(api, customer.email.lower(), "wrong password here")

    assert log_in(api, customer.email).status_code == 429


def test_successful_logins_do_not_count_towards_the_lockout(api, customer, settings):
    settings.LOGIN_FAILURE_LIMIT = "2/15m"

    statuses = [log_in(api, customer.email).status_code for _ in range(4)]

    assert statuses == [201] * 4


def test_token_answers_are_not_stored_by_caches(api, customer):
    login = log_in(api, customer.email)
    refresh_token = login.json()["data"]["attributes"]["refreshToken"]
    refreshed = api.send(
        "POST", "/refresh-tokens", document("refresh-tokens", {"refreshToken": refresh_token})
    )

    for response in (login, refreshed):
        assert response.status_code == 201
        assert response["Cache-Control"] == "no-store"
        assert response["Pragma"] == "no-cache"


def answer_before_it_is_sent(username: str):
    """The answer to a log in, as a WSGI server has it before sending it, and the statements
    the database ran for it until then (their first words)."""
    body = json.dumps(document("access-tokens", {"username": username, "password": "wrong!"}))
    request = RequestFactory().post("/access-tokens", body, content_type=JSON_API)
    with old_connections_kept(), CaptureQueriesContext(connection) as queries:
        response = WSGIHandler()(request.environ, lambda status, headers: None)
    return response, [query["sql"].split()[0] for query in queries]


def sent(response) -> None:
    """What the WSGI server does once it has sent the answer."""
    with old_connections_kept():
        response.close()


def test_a_wrong_password_costs_the_same_work_before_the_answer_with_or_without_an_account(
    customer, settings
):
    """The answer's time must not tell which e-mails have accounts (§10): the failure goes
    into the account's activity log only once the answer has been sent."""
    # The limits' counters out of the database (the database cache of SQLite runs), so only
    # the log in's own statements are compared.
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": LOCMEM}}
    at_account, statements_at_account = answer_before_it_is_sent(customer.email)
    recorded_before_sending = customer.activities.count()
    sent(at_account)
    at_nobody, statements_at_nobody = answer_before_it_is_sent("nobody@example.com")
    sent(at_nobody)

    assert at_account.status_code == at_nobody.status_code == 401
    assert statements_at_account == statements_at_nobody
    assert recorded_before_sending == 0
    assert list(customer.activities.values_list("activity_type", flat=True)) == ["login-failed"]


def test_a_log_in_for_tokens_is_the_customers_last_login(api, customer):
    before = timezone.now()
    assert log_in(api, customer.email).status_code == 201
    customer.refresh_from_db()
    first = customer.last_login
    assert password_grant(Api(), customer).status_code == 200
    customer.refresh_from_db()

    assert first is not None and first >= before
    assert customer.last_login > first


def test_a_failed_log_in_leaves_the_last_login_alone(api, customer):
    log_in(api, customer.email, "a wrong password")

    customer.refresh_from_db()
    assert customer.last_login is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_log_ins_leave_the_customer_exactly_at_its_caps(monkeypatch):
    monkeypatch.setattr("auth_api.services.MAX_SESSIONS_PER_CUSTOMER", 3)
    monkeypatch.setattr("customers.activities.MAX_ACTIVITIES_PER_CUSTOMER", 4)
    customer = CustomerFactory()

    statuses = all_at_once([lambda: log_in(Api(), customer.email).status_code] * 8)

    assert statuses == [201] * 8
    assert RefreshToken.objects.filter(user=customer, revoked__isnull=True).count() == 3
    assert AccessToken.objects.filter(user=customer).count() == 3
    assert CustomerActivity.objects.filter(customer=customer).count() == 4
