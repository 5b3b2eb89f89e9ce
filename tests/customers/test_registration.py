"""POST /customers (§3): validation, e-mail confirmation link, limits, races."""

import re
from functools import partial

import pytest
from django.contrib.auth.hashers import identify_hasher

from customers.models import Customer
from tests.conftest import Api, all_at_once, document, error_codes, errors_of
from tests.factories import CustomerFactory

PASSWORD = "correct horse battery staple"


def registration(**overrides):
    attributes = {
        "salutation": "Mrs",
        "firstName": "Anna",
        "lastName": "Kowalska",
        "email": "anna@example.com",
        "password": PASSWORD,
        "confirmPassword": PASSWORD,
        "acceptedTerms": True,
    }
    attributes.update(overrides)
    return document("customers", {k: v for k, v in attributes.items() if v is not ...})


@pytest.fixture
def register(api, django_capture_on_commit_callbacks):
    def post(body, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return api.send("POST", "/customers", body, **extra)

    return post


def pointer(name):
    return f"/data/attributes/{name}"


def test_registration_answers_201_with_the_customer_and_no_password(register):
    response = register(registration(gender="Female", dateOfBirth="1990-05-17"))

    assert response.status_code == 201
    data = response.json()["data"]
    customer = Customer.objects.get()
    assert data["type"] == "customers"
    assert data["id"] == customer.customer_reference
    assert data["attributes"] | {"createdAt": None, "updatedAt": None} == {
        "customerReference": customer.customer_reference,
        "salutation": "Mrs",
        "firstName": "Anna",
        "lastName": "Kowalska",
        "email": "anna@example.com",
        "pendingEmail": None,
        "gender": "Female",
        "dateOfBirth": "1990-05-17",
        "title": None,
        "company": None,
        "vatId": None,
        "phone": None,
        "languageId": None,
        "createdAt": None,
        "updatedAt": None,
    }
    assert b"password" not in response.content.lower()


def test_reference_is_prefix_dash_dash_row_number(register, settings):
    settings.CUSTOMER_REFERENCE_PREFIX = "AT"

    response = register(registration())

    customer = Customer.objects.get()
    assert customer.customer_reference == f"AT--{customer.pk}"
    assert response.json()["data"]["id"] == f"AT--{customer.pk}"


def test_password_is_stored_as_an_argon2_hash(register, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    register(registration())

    customer = Customer.objects.get()
    assert identify_hasher(customer.password).algorithm == "argon2"
    assert PASSWORD not in customer.password
    assert customer.check_password(PASSWORD)


def test_confirmation_mail_carries_the_link_in_text_and_html(register, mailoutbox, settings):
    settings.CUSTOMER_CONFIRMATION_URL = "https://shop.example/confirm?key={key}"

    register(registration())

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["anna@example.com"]
    key = re.search(r"https://shop\.example/confirm\?key=([A-Za-z0-9_-]+)", mail.body).group(1)
    assert len(key) >= 43  # 256 bits in URL-safe base64
    html, mime = mail.alternatives[0]
    assert mime == "text/html"
    assert f"https://shop.example/confirm?key={key}" in html
    assert Customer.objects.get().registration_key_digest != key


def test_registered_customer_cannot_log_in_before_confirming(register, api):
    register(registration())

    response = api.send(
        "POST",
        "/access-tokens",
        document("access-tokens", {"username": "anna@example.com", "password": PASSWORD}),
    )

    assert response.status_code == 401
    assert error_codes(response) == [("", "003")]


def test_without_required_confirmation_no_mail_is_sent_and_login_works(
    register, api, mailoutbox, settings
):
    settings.REQUIRE_EMAIL_CONFIRMATION = False

    register(registration())
    login = api.send(
        "POST",
        "/access-tokens",
        document("access-tokens", {"username": "anna@example.com", "password": PASSWORD}),
    )

    assert mailoutbox == []
    assert login.status_code == 201


def test_all_failing_attributes_are_reported_at_once(register, mailoutbox):
    body = registration(
        salutation="Sir",
        firstName="",
        lastName=...,
        email="not-an-email",
        gender="Robot",
        dateOfBirth="2999-01-01",
        password="123",
        confirmPassword="a different passphrase",
        acceptedTerms=False,
    )

    response = register(body)

    assert response.status_code == 422
    codes = error_codes(response)
    assert set(codes) == {
        (pointer("salutation"), "901"),
        (pointer("firstName"), "901"),
        (pointer("lastName"), "901"),
        (pointer("email"), "901"),
        (pointer("gender"), "414"),
        (pointer("dateOfBirth"), "901"),
        (pointer("password"), "901"),
        (pointer("confirmPassword"), "406"),
        (pointer("acceptedTerms"), "901"),
    }
    assert all(error["status"] == "422" for error in errors_of(response))
    assert not Customer.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "name",
    [
        "salutation",
        "firstName",
        "lastName",
        "email",
        "password",
        "confirmPassword",
        "acceptedTerms",
    ],
)
def test_missing_required_attribute_is_reported_as_missing(register, name):
    response = register(registration(**{name: ...}))

    assert response.status_code == 422
    errors = [e for e in errors_of(response) if e["source"]["pointer"] == pointer(name)]
    assert errors[0]["detail"] == f"{name} => This field is missing."
    assert errors[0]["code"] == "901"
    assert not Customer.objects.exists()


def test_taken_email_answers_422_code_400_case_insensitively(register, mailoutbox):
    CustomerFactory(email="Anna@Example.com")

    response = register(registration(email="aNNA@example.COM"))

    assert response.status_code == 422
    assert error_codes(response) == [(pointer("email"), "400")]
    assert errors_of(response)[0]["detail"] == (
        "If this email address is already in use, you will receive a password reset link. "
        "Otherwise you must first validate your e-mail address to finish registration. "
        "Please check your e-mail."
    )
    assert Customer.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize("gender", ["robot", "", 1, True, ["Male"]])
def test_invalid_gender_answers_422_code_414(register, gender):
    response = register(registration(gender=gender))

    assert error_codes(response) == [(pointer("gender"), "414")]
    assert errors_of(response)[0]["detail"] == "Provided gender is invalid."


def test_null_gender_is_accepted(register):
    assert register(registration(gender=None)).status_code == 201


@pytest.mark.parametrize("accepted", [False, "true", 1, None])
def test_terms_must_be_accepted_with_json_true(register, accepted):
    response = register(registration(acceptedTerms=accepted))

    assert error_codes(response) == [(pointer("acceptedTerms"), "901")]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1A!", "too short"),
        ("a" * 129, "It should have 128 characters or less"),
        ("password1234", "too common"),
        ("982734619283746", "entirely numeric"),
        ("anna@example.com1", "too similar"),
    ],
)
def test_password_policy_answers_422_code_901_with_the_validators_message(
    register, password, message
):
    response = register(registration(password=password, confirmPassword=password))

    password_errors = [
        e for e in errors_of(response) if e["source"]["pointer"] == pointer("password")
    ]
    assert response.status_code == 422
    assert {code for _, code in error_codes(response)} == {"901"}
    assert any(message in e["detail"] for e in password_errors)


def test_password_confirmation_mismatch_answers_422_code_406(register):
    response = register(registration(confirmPassword=PASSWORD + "!"))

    assert error_codes(response) == [(pointer("confirmPassword"), "406")]
    assert errors_of(response)[0]["detail"] == (
        "Value in field password should be identical to value in the confirmPassword field."
    )


@pytest.mark.parametrize(
    ("attributes", "failing"),
    [
        ({"firstName": 123}, "firstName"),
        ({"lastName": True}, "lastName"),
        ({"email": ["anna@example.com"]}, "email"),
        ({"salutation": {"value": "Mr"}}, "salutation"),
        ({"password": 123456789012345, "confirmPassword": 123456789012345}, "password"),
        ({"dateOfBirth": 19900517}, "dateOfBirth"),
        ({"dateOfBirth": "17.05.1990"}, "dateOfBirth"),
        ({"firstName": None}, "firstName"),
    ],
)
def test_wrong_types_answer_422_code_901(register, attributes, failing):
    response = register(registration(**attributes))

    assert response.status_code == 422
    assert (pointer(failing), "901") in error_codes(response)
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("attributes", "failing"),
    [
        ({"firstName": "x" * 101}, "firstName"),
        ({"lastName": "x" * 100_000}, "lastName"),
        ({"email": "a" * 90 + "@example.com"}, "email"),
        ({"firstName": "   "}, "firstName"),
        ({"firstName": "Anna\x00"}, "firstName"),
        ({"email": "anna\x00@example.com"}, "email"),
        ({"password": "correct horse\x00battery", "confirmPassword": "x"}, "password"),
    ],
)
def test_huge_blank_and_null_byte_values_answer_422(register, attributes, failing):
    response = register(registration(**attributes))

    assert response.status_code == 422
    assert pointer(failing) in [p for p, _ in error_codes(response)]
    assert not Customer.objects.exists()


def test_unicode_names_are_kept_and_trimmed(register):
    name = "Zoë-Łucja 李" + "ß" * 89

    response = register(registration(firstName=f"  {name}  ", lastName="O'Brien"))

    assert response.status_code == 201
    assert response.json()["data"]["attributes"]["firstName"] == name
    assert Customer.objects.get().first_name == name


def test_registration_is_limited_per_client_ip(register, settings):
    settings.REGISTRATION_RATE = "3/4h"
    for n in range(3):
        assert register(registration(email=f"a{n}@example.com")).status_code == 201

    response = register(registration(email="a4@example.com"))

    assert response.status_code == 429
    assert error_codes(response) == [("", "429")]
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 4 * 3600
    assert f"Retry after {retry_after} seconds" in errors_of(response)[0]["detail"]
    assert Customer.objects.count() == 3
    other_ip = register(registration(email="a5@example.com"), REMOTE_ADDR="203.0.113.9")
    assert other_ip.status_code == 201


def test_refused_registrations_do_not_use_up_the_account_limit(register, settings):
    settings.REGISTRATION_RATE = "1/4h"
    for _ in range(3):
        assert register(registration(email="not an e-mail")).status_code == 422

    response = register(registration(email="typo-fixed@example.com"))

    assert response.status_code == 201


def test_every_attempt_counts_against_the_attempt_limit(register, settings):
    settings.REGISTRATION_ATTEMPT_RATE = "3/h"
    CustomerFactory(email="taken@example.com")
    for n in range(3):
        assert (
            register(registration(email=f"taken{'@' if n else '@@'}example.com")).status_code == 422
        )

    response = register(registration(email="new@example.com"))

    assert error_codes(response) == [("", "429")]
    assert 0 < int(response["Retry-After"]) <= 3600
    assert not Customer.objects.filter(email="new@example.com").exists()


def test_forwarded_for_header_is_ignored_without_trusted_proxies(register, settings):
    settings.REGISTRATION_RATE = "1/4h"
    register(registration(email="a1@example.com"), HTTP_X_FORWARDED_FOR="198.51.100.1")

    response = register(registration(email="a2@example.com"), HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert response.status_code == 429


def test_forwarded_for_header_counts_with_one_trusted_proxy(register, settings):
    settings.REGISTRATION_RATE = "1/4h"
    settings.TRUSTED_PROXY_COUNT = 1
    register(registration(email="a1@example.com"), HTTP_X_FORWARDED_FOR="198.51.100.1")

    spoofed = register(
        registration(email="a2@example.com"), HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1"
    )
    other_client = register(
        registration(email="a3@example.com"), HTTP_X_FORWARDED_FOR="198.51.100.2"
    )

    assert spoofed.status_code == 429
    assert other_client.status_code == 201


def test_addresses_of_one_ipv6_network_share_the_registration_limit(register, settings):
    settings.REGISTRATION_RATE = "2/4h"
    for host in (1, 2):
        created = register(
            registration(email=f"h{host}@example.com"), REMOTE_ADDR=f"2001:db8::{host}"
        )
        assert created.status_code == 201

    same_network = register(registration(email="h3@example.com"), REMOTE_ADDR="2001:db8::ff:3")
    next_network = register(registration(email="h4@example.com"), REMOTE_ADDR="2001:db8:0:1::4")

    assert error_codes(same_network) == [("", "429")]
    assert next_network.status_code == 201


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_of_one_email_create_one_customer():
    def register_once(n: int):
        return Api().send(
            "POST",
            "/customers",
            registration(email="Race@Example.com" if n % 2 else "race@example.com"),
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )

    responses = all_at_once([partial(register_once, n) for n in range(20)])
    statuses = [response.status_code for response in responses]
    codes = [
        code
        for response in responses
        if response.status_code == 422
        for code in error_codes(response)
    ]

    assert sorted(statuses) == [201] + [422] * 19
    assert set(codes) == {(pointer("email"), "400")}
    assert Customer.objects.with_email("race@example.com").count() == 1
