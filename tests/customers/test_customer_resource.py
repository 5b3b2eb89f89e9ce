"""GET, PATCH and DELETE of /customers and /customers/{ref} (§3)."""

import datetime

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken
from rest_framework.test import APIClient

from auth_api.services import issue_tokens
from customers.models import Customer
from customers.services import anonymize_customer
from tests.conftest import Api, document, error_codes, errors_of
from tests.factories import DEFAULT_PASSWORD, CustomerFactory


@pytest.fixture
def url(customer):
    return f"/customers/{customer.customer_reference}"


@pytest.fixture
def other_customer(db):
    return CustomerFactory(first_name="Other")


def log_in(api, email, password=DEFAULT_PASSWORD):
    return api.send(
        "POST",
        "/access-tokens",
        document("access-tokens", {"username": email, "password": password}),
    )


def test_get_own_customer_costs_one_query(customer_api, url, customer, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = customer_api.get(url)

    assert response.status_code == 200
    assert response.json()["data"]["id"] == customer.customer_reference
    assert response.json()["data"]["attributes"]["email"] == customer.email


def test_collection_holds_only_the_callers_customer(customer_api, customer, other_customer):
    response = customer_api.get("/customers")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]] == [customer.customer_reference]


@pytest.mark.parametrize("exists", [True, False])
def test_get_of_a_foreign_reference_answers_404_code_402(customer_api, other_customer, exists):
    reference = other_customer.customer_reference if exists else "DE--999999"

    response = customer_api.get(f"/customers/{reference}")

    assert response.status_code == 404
    assert errors_of(response) == [
        {"status": "404", "code": "402", "detail": "Customer not found."}
    ]


@pytest.mark.parametrize("exists", [True, False])
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_changing_a_foreign_reference_answers_403_code_411(
    customer_api, other_customer, method, exists
):
    reference = other_customer.customer_reference if exists else "DE--999999"

    response = customer_api.send(
        method, f"/customers/{reference}", document("customers", {"firstName": "Mallory"})
    )

    assert response.status_code == 403
    assert errors_of(response) == [
        {"status": "403", "code": "411", "detail": "Unauthorized request."}
    ]
    other_customer.refresh_from_db()
    assert (other_customer.first_name, other_customer.is_active) == ("Other", True)


def test_missing_token_answers_403_code_002(api, url):
    response = api.get(url)

    assert response.status_code == 403
    assert errors_of(response) == [
        {"status": "403", "code": "002", "detail": "Missing access token."}
    ]


@pytest.mark.parametrize(
    "header", ["Bearer unknown-token", "Bearer", "Bearer a b", "Bearer ünïcode", "bearer   "]
)
def test_invalid_token_answers_401_code_001(api, url, header):
    response = api.get(url, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert error_codes(response) == [("", "001")]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_answers_401_code_001(api, url, tokens):
    AccessToken.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))

    response = api.authenticate(tokens.access_token).get(url)

    assert response.status_code == 401
    assert error_codes(response) == [("", "001")]


def test_token_in_the_query_string_is_not_accepted(api, url, tokens):
    response = api.get(url, {"access_token": tokens.access_token})

    assert response.status_code == 403
    assert error_codes(response) == [("", "002")]


def test_patch_changes_only_the_attributes_sent(customer_api, url, customer):
    customer.date_of_birth = datetime.date(1980, 1, 2)
    customer.save()

    response = customer_api.send("PATCH", url, document("customers", {"lastName": "Zielińska"}))

    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert attributes["lastName"] == "Zielińska"
    assert attributes["firstName"] == "Jan"
    assert attributes["dateOfBirth"] == "1980-01-02"
    fresh = Customer.objects.get(pk=customer.pk)
    assert (fresh.last_name, fresh.first_name, fresh.email) == ("Zielińska", "Jan", customer.email)


def test_date_of_birth_before_year_1000_keeps_four_year_digits(customer_api, url):
    response = customer_api.send("PATCH", url, document("customers", {"dateOfBirth": "0191-04-23"}))

    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["dateOfBirth"] == "0191-04-23"


def test_patch_answers_the_whole_customer(customer_api, url, settings):
    settings.EMAIL_CHANGE_CONFIRMATION = False
    attributes = {
        "salutation": "Dr",
        "firstName": "Ewa",
        "lastName": "Lis",
        "gender": "Diverse",
        "dateOfBirth": "1970-12-31",
        "email": "ewa@example.com",
    }

    response = customer_api.send("PATCH", url, document("customers", attributes))

    assert response.status_code == 200
    body = response.json()["data"]["attributes"]
    assert {name: body[name] for name in attributes} == attributes


def test_patch_with_taken_email_answers_422_code_400(customer_api, url, customer, other_customer):
    response = customer_api.send(
        "PATCH", url, document("customers", {"email": other_customer.email.upper()})
    )

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/email", "400")]
    customer.refresh_from_db()
    assert customer.email != other_customer.email


def test_changing_the_case_of_the_own_email_is_allowed(customer_api, url, customer):
    response = customer_api.send(
        "PATCH", url, document("customers", {"email": customer.email.upper()})
    )

    assert response.status_code == 200


def test_email_change_keeps_the_customer_logged_in(customer_api, url):
    customer_api.send("PATCH", url, document("customers", {"email": "new@example.com"}))

    assert customer_api.get(url).status_code == 200


def test_patch_reports_all_failing_attributes_and_changes_nothing(customer_api, url, customer):
    body = document(
        "customers",
        {
            "firstName": "",
            "gender": "x",
            "dateOfBirth": "2999-01-01",
            "email": "x",
            "salutation": 1,
        },
    )

    response = customer_api.send("PATCH", url, body)

    assert response.status_code == 422
    assert set(error_codes(response)) == {
        ("/data/attributes/firstName", "901"),
        ("/data/attributes/gender", "414"),
        ("/data/attributes/dateOfBirth", "901"),
        ("/data/attributes/email", "901"),
        ("/data/attributes/salutation", "901"),
    }
    fresh = Customer.objects.get(pk=customer.pk)
    assert (fresh.first_name, fresh.email) == (customer.first_name, customer.email)


def test_patch_can_clear_gender_and_date_of_birth(customer_api, url, customer):
    customer.gender, customer.date_of_birth = "Male", datetime.date(1990, 1, 1)
    customer.save()

    response = customer_api.send(
        "PATCH", url, document("customers", {"gender": None, "dateOfBirth": None})
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.gender, customer.date_of_birth) == (None, None)


def test_patch_cannot_change_the_password(customer_api, url, customer):
    customer_api.send("PATCH", url, document("customers", {"password": "new secret phrase 1"}))

    assert Customer.objects.get(pk=customer.pk).check_password(DEFAULT_PASSWORD)


def test_delete_anonymizes_the_customer(customer_api, url, customer, api):
    response = customer_api.delete(url)

    assert response.status_code == 204
    fresh = Customer.objects.get(pk=customer.pk)
    assert fresh.customer_reference == customer.customer_reference
    assert fresh.first_name != "Jan" and fresh.last_name != "Nowak"
    assert fresh.email != customer.email
    assert fresh.email.endswith(".invalid")
    assert (fresh.date_of_birth, fresh.gender) == (None, None)
    assert not fresh.has_usable_password()
    assert not fresh.is_active
    assert fresh.anonymized_at is not None


def test_anonymized_customer_loses_tokens_and_credentials(customer_api, url, customer, tokens):
    second = issue_tokens(customer)

    customer_api.delete(url)

    assert not AccessToken.objects.filter(user=customer).exists()
    assert not RefreshToken.objects.filter(user=customer, revoked__isnull=True).exists()
    for access_token in (tokens.access_token, second.access_token):
        response = Api().authenticate(access_token).get(url)
        assert error_codes(response) == [("", "001")]
    assert error_codes(log_in(Api(), customer.email)) == [("", "003")]


def test_anonymization_releases_the_email(customer_api, url, customer, api):
    email = customer.email
    customer_api.delete(url)

    CustomerFactory(email=email)

    assert Customer.objects.with_email(email).count() == 1


def test_two_anonymized_customers_get_different_placeholders(db):
    first, second = CustomerFactory(), CustomerFactory()
    anonymize_customer(customer=first)
    anonymize_customer(customer=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.email != second.email


def test_browser_session_authenticates_and_needs_csrf_for_changes(customer, url):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(customer)

    read = client.get(url, HTTP_ACCEPT="application/vnd.api+json")
    change = client.patch(
        url,
        data='{"data": {"type": "customers", "attributes": {"firstName": "X"}}}',
        content_type="application/vnd.api+json",
    )

    assert read.status_code == 200
    assert change.status_code == 403
    assert error_codes(change)[0][1] == "411"
    customer.refresh_from_db()
    assert customer.first_name == "Jan"


def test_bearer_requests_need_no_csrf_token(customer, tokens, url):
    client = Api(enforce_csrf_checks=True).authenticate(tokens.access_token)

    response = client.send("PATCH", url, document("customers", {"firstName": "Bez"}))

    assert response.status_code == 200
