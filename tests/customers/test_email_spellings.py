"""§11.2: one canonical form of an e-mail address for uniqueness, log in, lockout and reset.

Spellings of one mailbox — another case, composed or decomposed accents, the domain in
Unicode or punycode — are one account: registering another answers 422 code 400, each logs
in, all count against one lockout and one reset limit, and a reset mail goes to the stored
address. A look-alike (``İ`` for ``i``) is another mailbox: it neither reaches nor blocks the
account.
"""

from __future__ import annotations

import unicodedata

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from customers.email_address import canonical_email
from customers.models import Customer
from tests.auth_api.test_access_tokens import log_in
from tests.auth_api.test_forgotten_password import forgotten
from tests.conftest import error_codes
from tests.customers.test_registration import registration
from tests.factories import CustomerFactory

LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
LABEL = st.text(alphabet="abcdefghijklmnoprstuvwzäöüßéèçñøåłż", min_size=1, max_size=12)
TOP_LEVEL = st.sampled_from(["de", "com", "pl", "shop"])
TRANSFORMS = ("upper", "lower", "swapcase", "nfd", "nfc", "punycode", "punycode-upper")


@st.composite
def mailboxes(draw) -> str:
    """An address with an ASCII local part (Django's validator wants one) and any domain."""
    labels = draw(st.lists(LABEL, min_size=1, max_size=2))
    return f"{draw(LOCAL)}@{'.'.join(labels)}.{draw(TOP_LEVEL)}"


def respell(address: str, transforms: list[str]) -> str:
    """Another spelling of the same mailbox."""
    local, domain = address.rsplit("@", 1)
    for transform in transforms:
        if transform in ("upper", "lower", "swapcase"):
            local, domain = getattr(local, transform)(), getattr(domain, transform)()
        elif transform in ("nfd", "nfc"):
            domain = unicodedata.normalize(transform.upper(), domain)
        else:
            domain = domain.encode("idna").decode("ascii")
            domain = domain.upper() if transform == "punycode-upper" else domain
    return f"{local}@{domain}"


spellings = st.tuples(mailboxes(), st.lists(st.sampled_from(TRANSFORMS), max_size=4))
EXAMPLES = hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@given(spellings)
@hypothesis_settings(max_examples=300, derandomize=True)
def test_spellings_of_one_mailbox_have_one_canonical_form(spelling):
    address, transforms = spelling

    assert canonical_email(respell(address, transforms)) == canonical_email(address)


@pytest.mark.parametrize(
    ("address", "canonical"),
    [
        ("Anna@Example.COM", "anna@example.com"),
        ("anna@MÜNCHEN.de", "anna@xn--mnchen-3ya.de"),
        ("anna@xn--MNCHEN-3ya.DE", "anna@xn--mnchen-3ya.de"),
        ("anna@mu\u0308nchen.de", "anna@xn--mnchen-3ya.de"),
        ("STRASSE@x.de", "strasse@x.de"),
        ("straße@x.de", "strasse@x.de"),
    ],
)
def test_canonical_forms(address, canonical):
    assert canonical_email(address) == canonical


@pytest.mark.parametrize("look_alike", ["vİctim@example.com", "v\u0131ctim@example.com"])
def test_a_look_alike_has_a_canonical_form_of_its_own(look_alike):
    assert canonical_email(look_alike) != canonical_email("victim@example.com")


@given(spellings)
@EXAMPLES
def test_another_spelling_of_a_registered_mailbox_answers_422_code_400(api, spelling):
    Customer.objects.all().delete()
    cache.clear()
    address, transforms = spelling
    assert api.send("POST", "/customers", registration(email=address)).status_code == 201

    again = api.send("POST", "/customers", registration(email=respell(address, transforms)))

    assert error_codes(again) == [("/data/attributes/email", "400")]
    assert Customer.objects.count() == 1


@given(spellings)
@EXAMPLES
def test_every_spelling_logs_in_and_counts_against_one_lockout(api, settings, spelling):
    Customer.objects.all().delete()
    cache.clear()
    settings.LOGIN_FAILURE_LIMIT = "2/15m"
    address, transforms = spelling
    other = respell(address, transforms)
    CustomerFactory(email=address)
    assert log_in(api, other).status_code == 201

    log_in(api, address, "a wrong password")
    log_in(api, other, "a wrong password")

    assert error_codes(log_in(api, address)) == [("", "4401")]
    assert error_codes(log_in(api, other)) == [("", "4401")]


@given(spellings)
@EXAMPLES
def test_every_spelling_gets_the_reset_mail_to_the_stored_address_within_one_limit(
    api, settings, mailoutbox, django_capture_on_commit_callbacks, spelling
):
    Customer.objects.all().delete()
    cache.clear()
    mailoutbox.clear()
    settings.PASSWORD_RESET_RATE = "1/h"
    address, transforms = spelling
    CustomerFactory(email=address)

    with django_capture_on_commit_callbacks(execute=True):
        first = forgotten(api, respell(address, transforms))
        second = forgotten(api, address, REMOTE_ADDR="203.0.113.5")

    assert first.status_code == 204
    assert error_codes(second) == [("", "429")]
    assert [message.to for message in mailoutbox] == [[address]]


def test_a_look_alike_neither_squats_the_address_nor_diverts_its_reset_mail(
    api, mailoutbox, django_capture_on_commit_callbacks
):
    look_alike = api.send("POST", "/customers", registration(email="anna@exampIe.com"))
    turkish = CustomerFactory(email="vİctim@example.com")

    victim = api.send("POST", "/customers", registration(email="victim@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        forgotten(api, "VİCTIM@example.com", REMOTE_ADDR="203.0.113.6")

    assert look_alike.status_code == 201
    assert victim.status_code == 201
    assert [message.to for message in mailoutbox if "restore" in message.body] == [[turkish.email]]
    assert log_in(api, "vİctim@example.com").status_code == 201
    assert Customer.objects.with_email("victim@example.com").get().email == "victim@example.com"


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("local_part", ["İnci", "\u017fara"])
def test_a_local_part_beyond_ascii_is_refused_in_every_spelling(api, mailoutbox, form, local_part):
    # Django's validator takes these for ASCII letters (it matches ignoring case), but mail to
    # them cannot be addressed: the confirmation key would never arrive.
    address = unicodedata.normalize(form, f"{local_part}@example.com")

    response = api.send("POST", "/customers", registration(email=address))

    assert error_codes(response) == [("/data/attributes/email", "901")]
    assert not Customer.objects.exists()
    assert mailoutbox == []
