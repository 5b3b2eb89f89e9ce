"""§11.3: anonymization wins every race against the customer's own writes (PostgreSQL).

One customer's token sends ``DELETE /customers/{ref}`` at the same moment as every write path
of the API. Whatever order the database puts them in, once the DELETE has answered 204 nothing
personal is left: no name, e-mail or birth date, no address, relation or property, no live
token, no entry in the activity log. Writes that lose the race answer 401 code 001 (or 403
code 411) and store nothing.
"""

from __future__ import annotations

from functools import partial

import pytest
from oauth2_provider.models import AccessToken, RefreshToken

from addresses.models import Address
from auth_api.services import issue_tokens
from customers.models import Customer, CustomerActivity
from customers.services import anonymize_customer, update_customer
from jsonapi.errors import ApiError, ErrorCode
from properties.models import Property
from relations.models import Relation
from tests.conftest import Api, all_at_once, document
from tests.factories import (
    DEFAULT_PASSWORD,
    AddressFactory,
    CustomerFactory,
    PropertyFactory,
    RelationFactory,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

TRIALS = 12
ADDRESS = {
    "salutation": "Mrs",
    "firstName": "Real",
    "lastName": "Person",
    "address1": "Julie-Wolfthorn-Straße",
    "address2": "1",
    "zipCode": "10115",
    "city": "Berlin",
    "iso2Code": "DE",
}


def writes(customer: Customer, address: Address, relation: Relation, prop: Property) -> list:
    """(method, path, body) of every write path of a customer's data."""
    ref = f"/customers/{customer.customer_reference}"
    relation_body = {"domain": "product", "relationType": "favorite", "refId": "sku-race"}
    return [
        (
            "PATCH",
            ref,
            document(
                "customers",
                {
                    "firstName": "Real",
                    "lastName": "Person",
                    "email": f"real-{customer.pk}@example.com",
                    "dateOfBirth": "1980-01-01",
                    "gender": "Female",
                },
            ),
        ),
        ("POST", f"{ref}/addresses", document("addresses", ADDRESS)),
        ("PATCH", f"{ref}/addresses/{address.pk}", document("addresses", {"city": "Potsdam"})),
        ("POST", f"{ref}/customer-relations", document("customer-relations", relation_body)),
        (
            "POST",
            f"{ref}/customer-relations",
            {"data": [document("customer-relations", {**relation_body, "refId": "b"})["data"]]},
        ),
        (
            "PATCH",
            f"{ref}/customer-relations/{relation.pk}",
            document("customer-relations", {"position": 7}),
        ),
        (
            "POST",
            f"{ref}/customer-properties",
            document("customer-properties", {"propertyType": "nickname", "value": "Real"}),
        ),
        (
            "PATCH",
            f"{ref}/customer-properties/{prop.pk}",
            document("customer-properties", {"value": "Real again"}),
        ),
        ("DELETE", f"{ref}/addresses/{address.pk}", None),
        # Each of these writes an entry in the activity log.
        ("POST", "/access-tokens", log_in_body(customer, DEFAULT_PASSWORD)),
        ("POST", "/access-tokens", log_in_body(customer, "a wrong password")),
        # The client's own refresh token: "mine" would end the anonymizing client's session too.
        ("DELETE", "/refresh-tokens/{refresh_token}", None),
    ]


def log_in_body(customer: Customer, password: str) -> dict:
    return document("access-tokens", {"username": customer.email, "password": password})


def race(customer: Customer, requests: list) -> list[int]:
    """Send every request at once, each from its own client, token and connection."""
    pairs = [issue_tokens(customer) for _ in requests]

    def send(pair, method: str, path: str, body) -> int:
        client = Api().authenticate(pair.access_token)
        path = path.replace("{refresh_token}", pair.refresh_token)
        return client.send(method, path, body).status_code

    return all_at_once(
        [partial(send, pair, *request) for pair, request in zip(pairs, requests, strict=True)]
    )


def assert_nothing_personal_left(customer: Customer) -> None:
    customer.refresh_from_db()
    assert customer.is_anonymized and not customer.is_active
    assert (customer.first_name, customer.last_name) == ("Anonymized", "Customer")
    assert customer.email.endswith("@anonymized.invalid")
    assert customer.date_of_birth is None and customer.gender is None
    assert customer.pending_email is None
    assert not CustomerActivity.objects.filter(customer=customer).exists()
    assert not customer.has_usable_password()
    assert not Address.objects.filter(customer=customer).exists()
    assert not Relation.objects.filter(customer=customer).exists()
    assert not Property.objects.filter(customer=customer).exists()
    assert not AccessToken.objects.filter(user=customer).exists()
    assert not RefreshToken.objects.filter(user=customer, revoked__isnull=True).exists()


@pytest.mark.parametrize("trial", range(TRIALS))
def test_anonymization_wins_against_every_concurrent_write(trial):
    customer = CustomerFactory(email=f"race-{trial}@example.com", date_of_birth="1970-05-05")
    address = AddressFactory(customer=customer, is_default_shipping=True)
    relation = RelationFactory(customer=customer)
    prop = PropertyFactory(customer=customer)
    requests = [("DELETE", f"/customers/{customer.customer_reference}", None)]
    requests += writes(customer, address, relation, prop)

    statuses = race(customer, requests)

    assert statuses[0] == 204
    assert all(status < 500 for status in statuses), statuses
    assert_nothing_personal_left(customer)


def stale_writes(customer: Customer) -> list:
    """Service calls holding instances read before the anonymization, as a slow request does."""
    from addresses.services import create_address, update_address
    from properties.services import create_property, update_property
    from relations.services import create_relations, update_relation

    address = AddressFactory(customer=customer)
    relation = RelationFactory(customer=customer)
    prop = PropertyFactory(customer=customer)
    address_attributes = {
        "salutation": "Mr",
        "first_name": "Real",
        "last_name": "Person",
        "address1": "Street",
        "address2": "1",
        "zip_code": "10115",
        "city": "Berlin",
        "iso2_code": "DE",
    }
    return [
        lambda: update_customer(customer=customer, changes={"first_name": "Real"}),
        lambda: create_address(customer=customer, attributes=address_attributes),
        lambda: update_address(address=address, changes={"city": "Bonn"}),
        lambda: create_relations(customer=customer, items=[{"domain": "p", "ref_id": "x"}]),
        lambda: update_relation(relation=relation, changes={"position": 3}),
        lambda: create_property(customer=customer, property_type="nick", value="Real"),
        lambda: update_property(prop=prop, changes={"value": "Real"}),
    ]


def test_a_write_that_waited_for_the_anonymization_stores_nothing_and_answers_401_code_001():
    customer = CustomerFactory()
    writes_in_flight = stale_writes(customer)
    anonymize_customer(customer=customer)

    for write in writes_in_flight:
        with pytest.raises(ApiError) as refused:
            write()
        assert refused.value.error is ErrorCode.INVALID_ACCESS_TOKEN

    assert_nothing_personal_left(customer)
