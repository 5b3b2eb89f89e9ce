"""§11.2: ``POST /token``, Glue's form-encoded OAuth endpoint for the storefront."""

from urllib.parse import urlencode

import pytest

from tests.conftest import Api
from tests.factories import DEFAULT_PASSWORD

FORM = "application/x-www-form-urlencoded"
INVALID_REQUEST = (
    "The request is missing a required parameter, includes an invalid parameter value, "
    "includes a parameter more than once, or is otherwise malformed."
)


def token(api, body: dict | str, **extra):
    payload = body if isinstance(body, str) else urlencode(body, doseq=True)
    return api.post("/token", data=payload, content_type=FORM, **extra)


def password_grant(api, customer, password=DEFAULT_PASSWORD, **extra):
    body = {"grant_type": "password", "username": customer.email, "password": password}
    return token(api, body, **extra)


def opens(access_token: str, customer) -> bool:
    response = Api().authenticate(access_token).get(f"/customers/{customer.customer_reference}")
    return response.status_code == 200


def test_the_password_grant_answers_200_with_glues_token_members(api, customer):
    response = password_grant(api, customer)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"token_type", "expires_in", "access_token", "refresh_token"}
    assert body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] < 30000
    assert opens(body["access_token"], customer)


def test_the_refresh_grant_rotates_the_pair(api, customer):
    first = password_grant(api, customer).json()

    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}

    response = token(api, refresh)

    assert response.status_code == 200
    assert opens(response.json()["access_token"], customer)
    assert not opens(first["access_token"], customer)
    replay = token(api, refresh)
    assert replay.json() == {
        "error": "invalid_grant",
        "error_description": "The refresh token is invalid.",
    }
    assert not opens(response.json()["access_token"], customer)


def test_the_glue_refresh_token_refreshes_at_refresh_tokens_too(api, customer):
    first = password_grant(api, customer).json()

    response = api.send(
        "POST",
        "/refresh-tokens",
        {
            "data": {
                "type": "refresh-tokens",
                "attributes": {"refreshToken": first["refresh_token"]},
            }
        },
    )

    assert response.status_code == 201


@pytest.mark.parametrize("username", ["customer", "unknown"])
def test_wrong_credentials_answer_400_invalid_grant(api, customer, username):
    email = customer.email if username == "customer" else "fake@example.com"
    body = {"grant_type": "password", "username": email, "password": "wrong password"}

    response = token(api, body)

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "The user credentials were incorrect.",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"grant_type": "password", "username": "a@example.com"},
        {"grant_type": "password", "password": "x"},
        {"grant_type": "refresh_token"},
        {"username": "a@example.com", "password": "x"},
        {"grant_type": ["password", "password"], "username": "a@example.com", "password": "x"},
        {"grant_type": "password", "username": "a" * 300, "password": "x"},
    ],
)
def test_missing_or_repeated_parameters_answer_400_invalid_request(api, body):
    response = token(api, body)

    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request", "error_description": INVALID_REQUEST}


def test_an_unknown_grant_type_answers_400_unsupported_grant_type(api, customer):
    body = {"grant_type": "client_credentials", "username": customer.email, "password": "x"}

    response = token(api, body)

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_a_json_body_answers_400_invalid_request(api, customer):
    response = api.post(
        "/token",
        data={"grant_type": "password", "username": customer.email, "password": DEFAULT_PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_the_token_endpoint_shares_the_login_lockout(api, customer, settings):
    settings.LOGIN_FAILURE_LIMIT = "2/15m"
    for _ in range(2):
        password_grant(api, customer, "wrong password")

    refused = password_grant(api, customer)
    access_tokens = api.send(
        "POST",
        "/access-tokens",
        {
            "data": {
                "type": "access-tokens",
                "attributes": {"username": customer.email, "password": DEFAULT_PASSWORD},
            }
        },
    )

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 900
    assert refused.json()["error"] == "too_many_requests"
    assert access_tokens.status_code == 429


def test_get_answers_a_json_api_405(api):
    response = api.get("/token")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["errors"][0]["status"] == "405"
