"""``include`` and ``fields[TYPE]`` on requests that change something.

A relationship the answer cannot include is refused before anything is written: a client told
400 must be able to trust that nothing happened. Sparse fieldsets cut GET answers only, where
``/schema`` documents them; other answers carry every attribute the schema requires.
"""

from oauth2_provider.models import AccessToken

from customers.models import Customer
from events.models import OutgoingMail
from tests.addresses.test_crud import ADDRESS
from tests.conftest import document, error_codes
from tests.customers.test_registration import registration
from tests.factories import DEFAULT_PASSWORD

BOGUS_INCLUDE = "?include=wishlists"


def test_an_update_with_an_unknown_include_is_refused_and_changes_nothing(customer_api, customer):
    url = f"/customers/{customer.customer_reference}{BOGUS_INCLUDE}"
    body = document("customers", {"firstName": "Changed"})

    response = customer_api.send("PATCH", url, body)

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]
    customer.refresh_from_db()
    assert customer.first_name != "Changed"


def test_a_registration_with_an_unknown_include_registers_nobody(
    api, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.send("POST", f"/customers{BOGUS_INCLUDE}", registration())

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]
    assert not Customer.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert mailoutbox == []


def test_a_login_with_an_unknown_include_issues_no_token(api, customer):
    body = document("access-tokens", {"username": customer.email, "password": DEFAULT_PASSWORD})

    response = api.send("POST", f"/access-tokens{BOGUS_INCLUDE}", body)

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]
    assert not AccessToken.objects.filter(user=customer).exists()


def test_an_address_created_with_an_unknown_include_is_not_created(customer_api, customer):
    url = f"/customers/{customer.customer_reference}/addresses{BOGUS_INCLUDE}"
    body = document("addresses", ADDRESS)

    response = customer_api.send("POST", url, body)

    assert response.status_code == 400
    assert not customer.addresses.exists()


def test_a_login_answer_keeps_every_attribute_whatever_fields_asks(api, customer):
    body = document("access-tokens", {"username": customer.email, "password": DEFAULT_PASSWORD})

    response = api.send("POST", "/access-tokens?fields[access-tokens]=accessToken", body)

    assert response.status_code == 201
    assert set(response.json()["data"]["attributes"]) == {
        "tokenType",
        "accessToken",
        "expiresIn",
        "refreshToken",
        "refreshTokenExpiresIn",
    }


def test_an_update_answer_keeps_every_attribute_whatever_fields_asks(customer_api, customer):
    url = f"/customers/{customer.customer_reference}?fields[customers]=firstName"

    response = customer_api.send("PATCH", url, document("customers", {"firstName": "Changed"}))

    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert attributes["firstName"] == "Changed"
    assert {"lastName", "email", "createdAt"} <= set(attributes)


def test_a_read_still_takes_sparse_fieldsets_and_refuses_unknown_includes(customer_api, customer):
    url = f"/customers/{customer.customer_reference}"

    sparse = customer_api.get(url, {"fields[customers]": "firstName"})
    unknown = customer_api.get(url + BOGUS_INCLUDE)

    assert set(sparse.json()["data"]["attributes"]) == {"firstName"}
    assert unknown.status_code == 400
    assert error_codes(unknown) == [("", "900")]
