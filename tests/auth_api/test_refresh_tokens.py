"""POST /refresh-tokens and DELETE /refresh-tokens/{token|mine} (§2)."""

import datetime

import pytest
from django.db import connection
from oauth2_provider.models import AccessToken, RefreshToken

from auth_api.services import issue_tokens
from tests.auth_api.test_access_tokens import log_in
from tests.conftest import Api, all_at_once, document, error_codes
from tests.factories import CustomerFactory


def refresh(api, refresh_token):
    body = document("refresh-tokens", {"refreshToken": refresh_token})
    return api.send("POST", "/refresh-tokens", body)


def opens(access_token, customer) -> bool:
    response = Api().authenticate(access_token).get(f"/customers/{customer.customer_reference}")
    return response.status_code == 200


def test_refresh_answers_201_with_a_new_pair(api, customer, tokens):
    response = refresh(api, tokens.refresh_token)

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["type"] == "refresh-tokens"
    assert data["id"] is None
    attributes = data["attributes"]
    assert attributes["tokenType"] == "Bearer"
    assert attributes["refreshToken"] != tokens.refresh_token
    assert attributes["accessToken"] != tokens.access_token
    assert opens(attributes["accessToken"], customer)


def test_refresh_rotates_the_old_pair_out(api, customer, tokens):
    refresh(api, tokens.refresh_token)

    again = refresh(api, tokens.refresh_token)

    assert again.status_code == 401
    assert error_codes(again) == [("", "004")]
    assert not opens(tokens.access_token, customer)


def test_replaying_a_rotated_refresh_token_revokes_the_newer_pair_too(api, customer, tokens):
    newer = refresh(api, tokens.refresh_token).json()["data"]["attributes"]

    replay = refresh(api, tokens.refresh_token)

    assert error_codes(replay) == [("", "004")]
    assert error_codes(refresh(api, newer["refreshToken"])) == [("", "004")]
    assert not opens(newer["accessToken"], customer)


def test_a_replay_leaves_the_customers_other_sessions_alone(api, customer, tokens):
    other_session = issue_tokens(customer)
    refresh(api, tokens.refresh_token)

    refresh(api, tokens.refresh_token)

    assert opens(other_session.access_token, customer)
    assert refresh(api, other_session.refresh_token).status_code == 201


def test_the_new_refresh_token_refreshes_again(api, tokens):
    second = refresh(api, tokens.refresh_token).json()["data"]["attributes"]["refreshToken"]

    assert refresh(api, second).status_code == 201


@pytest.mark.parametrize("value", ["unknown", "x" * 255, "ключ"])
def test_unknown_refresh_token_answers_401_code_004(api, tokens, value):
    response = refresh(api, value)

    assert response.status_code == 401
    assert error_codes(response) == [("", "004")]


@pytest.mark.parametrize("value", ["", "x" * 256, 12, None, "a\x00b"])
def test_malformed_refresh_token_answers_422_code_901(api, tokens, value):
    response = refresh(api, value)

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/refreshToken", "901")]


def test_expired_refresh_token_answers_401_code_004(api, tokens, settings):
    settings.REFRESH_TOKEN_EXPIRE_SECONDS = 60
    RefreshToken.objects.update(created=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    assert error_codes(refresh(api, tokens.refresh_token)) == [("", "004")]


def test_refresh_of_an_inactive_customer_answers_401_code_004(api, customer, tokens):
    customer.is_active = False
    customer.save()

    assert error_codes(refresh(api, tokens.refresh_token)) == [("", "004")]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_refreshes_of_one_token_have_one_winner_and_the_rest_count_as_replays():
    tokens = issue_tokens(CustomerFactory())

    def refresh_once() -> int:
        return refresh(Api(), tokens.refresh_token).status_code

    statuses = all_at_once([refresh_once] * 10)

    assert sorted(statuses) == [201] + [401] * 9
    # The nine others presented a token that had just been rotated: a replay, so the winner's
    # new pair is revoked as well (§11.2, RFC 9700).
    assert RefreshToken.objects.filter(revoked__isnull=True).count() == 0


def test_logout_revokes_the_refresh_token_and_its_access_token(customer_api, customer, tokens):
    other = issue_tokens(customer)

    response = customer_api.delete(f"/refresh-tokens/{other.refresh_token}")

    assert response.status_code == 204
    assert error_codes(refresh(Api(), other.refresh_token)) == [("", "004")]
    assert not opens(other.access_token, customer)
    assert opens(tokens.access_token, customer)


def test_logout_of_someone_elses_token_answers_204_and_leaves_it(customer_api):
    stranger_tokens = issue_tokens(CustomerFactory())

    response = customer_api.delete(f"/refresh-tokens/{stranger_tokens.refresh_token}")

    assert response.status_code == 204
    assert refresh(Api(), stranger_tokens.refresh_token).status_code == 201


def test_logout_of_an_unknown_token_answers_204(customer_api):
    assert customer_api.delete("/refresh-tokens/no-such-token").status_code == 204


def test_logout_mine_revokes_every_token_of_the_caller(customer_api, customer, tokens):
    other = issue_tokens(customer)
    stranger = CustomerFactory()
    stranger_tokens = issue_tokens(stranger)

    response = customer_api.delete("/refresh-tokens/mine")

    assert response.status_code == 204
    assert not AccessToken.objects.filter(user=customer).exists()
    assert not RefreshToken.objects.filter(user=customer, revoked__isnull=True).exists()
    assert error_codes(refresh(Api(), other.refresh_token)) == [("", "004")]
    assert opens(stranger_tokens.access_token, stranger)


def test_logout_without_a_token_answers_403_code_002(api, tokens):
    response = api.delete(f"/refresh-tokens/{tokens.refresh_token}")

    assert error_codes(response) == [("", "002")]
    assert refresh(Api(), tokens.refresh_token).status_code == 201


# --- the cap on a customer's sessions ------------------------------------------------------------


def sign_in(customer) -> dict:
    answer = log_in(Api(), customer.email)
    assert answer.status_code == 201
    return answer.json()["data"]["attributes"]


def test_a_new_log_in_past_the_cap_ends_the_customers_oldest_session(customer, monkeypatch):
    monkeypatch.setattr("auth_api.services.MAX_SESSIONS_PER_CUSTOMER", 2)
    oldest, older = sign_in(customer), sign_in(customer)
    other_customers = issue_tokens(CustomerFactory())

    newest = sign_in(customer)

    assert not opens(oldest["accessToken"], customer)
    assert error_codes(refresh(Api(), oldest["refreshToken"])) == [("", "004")]
    assert [opens(pair["accessToken"], customer) for pair in (older, newest)] == [True, True]
    assert refresh(Api(), older["refreshToken"]).status_code == 201
    assert refresh(Api(), other_customers.refresh_token).status_code == 201


def test_refreshing_a_session_at_the_cap_ends_no_other(customer, monkeypatch):
    monkeypatch.setattr("auth_api.services.MAX_SESSIONS_PER_CUSTOMER", 2)
    first, second = sign_in(customer), sign_in(customer)

    for _ in range(3):
        answer = refresh(Api(), first["refreshToken"])
        first = answer.json()["data"]["attributes"]

    assert opens(first["accessToken"], customer)
    assert opens(second["accessToken"], customer)
    assert RefreshToken.objects.filter(user=customer, revoked__isnull=True).count() == 2


def test_the_live_refresh_tokens_of_a_customer_have_an_index_of_their_own(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, RefreshToken._meta.db_table)

    assert constraints["auth_live_refresh_tokens"]["columns"] == ["user_id", "created"]
