"""Passwords are Argon2id hashes of the configured cost; older hashes upgrade at log in."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password

from tests.auth_api.test_access_tokens import log_in
from tests.factories import DEFAULT_PASSWORD

HASHER = "customers.hashers.ConfiguredArgon2PasswordHasher"


@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = [HASHER]
    return settings


def parameters(encoded: str):
    return identify_hasher(encoded).decode(encoded)


def test_the_default_cost_is_owasps_minimum(argon2):
    stored = parameters(make_password("a password of some length"))

    assert stored["algorithm"] == "argon2"
    assert stored["variety"] == "argon2id"
    assert (stored["memory_cost"], stored["time_cost"], stored["parallelism"]) == (19456, 2, 1)


def test_the_cost_follows_the_settings(argon2):
    argon2.PASSWORD_ARGON2_MEMORY_KIB = 8192
    argon2.PASSWORD_ARGON2_TIME_COST = 3
    argon2.PASSWORD_ARGON2_PARALLELISM = 2

    stored = parameters(make_password("a password of some length"))

    assert (stored["memory_cost"], stored["time_cost"], stored["parallelism"]) == (8192, 3, 2)


def test_a_hash_of_other_parameters_logs_in_and_is_upgraded(api, customer, argon2):
    customer.password = Argon2PasswordHasher().encode(DEFAULT_PASSWORD, "saltsaltsalt")
    customer.save(update_fields=["password"])

    response = log_in(api, customer.email)

    assert response.status_code == 201
    customer.refresh_from_db()
    upgraded = parameters(customer.password)
    assert (upgraded["memory_cost"], upgraded["parallelism"]) == (19456, 1)
    assert customer.check_password(DEFAULT_PASSWORD)
