"""§11.3: e-mails to a customer are written in its ``languageId``'s language where the service
ships it (English, German), else in English."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from customers.emails import mail_language
from events.models import OutgoingMail
from tests.auth_api.test_forgotten_password import forgotten
from tests.customers.test_registration import registration
from tests.factories import CustomerFactory
from tests.relations.test_notify_watchers import offer, run, sold_out, watch, write_feed

GERMAN_CONFIRMATION = "Bitte bestätigen Sie Ihre E-Mail-Adresse"
ENGLISH_CONFIRMATION = "Please confirm your e-mail address"
LOCALE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"


@pytest.fixture
def register(api, django_capture_on_commit_callbacks):
    def post(**attributes):
        with django_capture_on_commit_callbacks(execute=True):
            response = api.send("POST", "/customers", registration(**attributes))
        assert response.status_code == 201, response.content
        return response

    return post


@pytest.mark.parametrize("language_id", ["de", "de_DE", "de_AT", "de_CH"])
def test_a_german_customer_gets_the_confirmation_in_german(register, mailoutbox, language_id):
    register(languageId=language_id, firstName="Jürgen", lastName="Weiß")

    [message] = mailoutbox
    assert message.subject == GERMAN_CONFIRMATION
    assert message.body.startswith("Hallo Jürgen Weiß,\n")
    assert "vielen Dank für Ihre Registrierung" in message.body
    assert "Wenn Sie sich nicht registriert haben" in message.body
    assert "thank you" not in message.body
    assert "/customer-confirmation?key=" in message.body
    html, _ = message.alternatives[0]
    assert '<html lang="de">' in html
    assert "Meine E-Mail-Adresse bestätigen" in html


@pytest.mark.parametrize("language_id", [None, "en", "en_GB", "fr", "fr_FR", "pt_BR"])
def test_other_customers_get_the_confirmation_in_english(register, mailoutbox, language_id):
    register(languageId=language_id)

    [message] = mailoutbox
    assert message.subject == ENGLISH_CONFIRMATION
    assert message.body.startswith("Hello Anna Kowalska,\n")
    assert "thank you for registering" in message.body
    assert '<html lang="en' in message.alternatives[0][0]


def test_the_stored_mail_is_the_german_one(register):
    register(languageId="de")

    assert OutgoingMail.objects.get().subject == GERMAN_CONFIRMATION


def test_rendering_a_mail_leaves_the_active_language_alone(register, mailoutbox):
    with translation.override("en"):
        register(languageId="de")
        assert translation.get_language() == "en"
    assert mailoutbox[0].subject == GERMAN_CONFIRMATION


@pytest.mark.parametrize(
    ("language_id", "expected"),
    [("de", "de"), ("de_AT", "de"), ("en_US", "en"), ("fr", "en-us"), (None, "en-us")],
)
def test_mail_language(db, language_id, expected):
    assert mail_language(CustomerFactory.build(language_id=language_id)) == expected


@pytest.mark.parametrize(
    ("language_id", "subject", "phrase"),
    [
        ("de", "Neues Passwort festlegen", "innerhalb von 60 Minuten diesen Link"),
        ("fr", "Set a new password", "within 60 minutes:"),
    ],
)
def test_the_password_restore_mail_is_in_the_customers_language(
    api, mailoutbox, django_capture_on_commit_callbacks, language_id, subject, phrase
):
    customer = CustomerFactory(language_id=language_id)

    with django_capture_on_commit_callbacks(execute=True):
        forgotten(api, customer.email)

    [message] = mailoutbox
    assert message.subject == subject
    assert phrase in message.body
    assert "customer-restore-password?key=" in message.body


def test_watch_notices_are_in_each_customers_language(tmp_path, mailoutbox):
    german = CustomerFactory(language_id="de_DE", first_name="Jürgen")
    french = CustomerFactory(language_id="fr")
    for customer in (german, french):
        watch(customer, "sku-1", {"stock": "1"})
        watch(customer, "sku-2", {"price": "1", "currency": "EUR", "pricevalue": "20.00"})
    sold_out("sku-1")

    run(write_feed(tmp_path, offer("sku-1"), offer("sku-2", price="18.50")))

    mails = {message.to[0]: message for message in mailoutbox}
    deutsch, english = mails[german.email], mails[french.email]
    assert deutsch.subject == "2 Produkte, die Sie beobachten, sind verfügbar"
    assert "Hallo Jürgen Nowak," in deutsch.body
    assert "Produkt sku-1: wieder auf Lager." in deutsch.body
    assert "Produkt sku-2: Jetzt 18,50 EUR (Sie wünschten 20,00 EUR oder weniger)." in deutsch.body
    assert "Produkt sku-1: wieder auf Lager." in deutsch.alternatives[0][0]
    assert english.subject == "2 products you watch are available"
    assert "Product sku-2: Now 18.50 EUR (you asked for 20.00 EUR or less)." in english.body


def test_one_product_reads_in_the_singular(tmp_path, mailoutbox):
    customer = CustomerFactory(language_id="de")
    watch(customer, "sku-1", {"stock": "1"})
    sold_out("sku-1")

    run(write_feed(tmp_path, offer("sku-1")))

    assert mailoutbox[0].subject == "Ein Produkt, das Sie beobachten, ist verfügbar"


def test_the_committed_catalog_is_the_compiled_po_file(tmp_path):
    """A fresh machine needs no gettext: the .mo is committed, and must say what the .po says."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("needs gettext's msgfmt")
    compiled = tmp_path / "django.mo"

    subprocess.run([msgfmt, "-c", "-o", compiled, LOCALE / "django.po"], check=True)

    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes()
