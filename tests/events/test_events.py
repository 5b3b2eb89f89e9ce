"""§11.6: every committed change records its event in its own transaction; none otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

import customers.services
from addresses.services import create_address, delete_address, update_address
from auth_api.services import restore_password
from customers.emails import confirmation_email
from customers.services import anonymize_customer, confirm_customer, update_customer
from events.delivery import sweep
from events.dispatch import wait_for_deliveries
from events.models import Event, OutgoingMail
from events.services import queue_mail, record_event
from operations.keys import key_digest
from properties.services import create_property, delete_property, update_property
from relations.services import create_relations, delete_relation, update_relation
from tests.conftest import document
from tests.customers.test_registration import registration
from tests.factories import CustomerFactory

ADDRESS = {
    "salutation": "Mrs",
    "first_name": "Anna",
    "last_name": "Kowalska",
    "address1": "Julie-Wolfthorn-Straße",
    "address2": "1",
    "zip_code": "10115",
    "city": "Berlin",
    "iso2_code": "DE",
}


def events_of(customer) -> list[tuple[str, dict]]:
    return [
        (event.event_type, event.data)
        for event in Event.objects.filter(customer_reference=customer.customer_reference).order_by(
            "id"
        )
    ]


def types_of(customer) -> list[str]:
    return [event_type for event_type, _ in events_of(customer)]


def test_registration_records_the_event_and_queues_the_mail_in_its_transaction(
    api, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.send("POST", "/customers", registration())

    reference = response.json()["data"]["id"]
    (event,) = Event.objects.all()
    assert event.event_type == "customer.registered"
    assert event.data["customerReference"] == reference
    assert event.data["email"] == "anna@example.com"
    assert event.data["firstName"] == "Anna"
    assert "password" not in str(event.data).lower()
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts, mail.recipient) == ("delivered", 1, "anna@example.com")
    assert mail.body == mail.html_body == ""  # the key is not kept once the mail is sent
    assert [message.to for message in mailoutbox] == [["anna@example.com"]]


def test_each_change_of_the_customer_records_its_event(customer, mailoutbox, settings):
    settings.EMAIL_CHANGE_CONFIRMATION = False
    update_customer(customer=customer, changes={"first_name": "Ewa", "last_name": "Kowalska"})
    update_customer(customer=customer, changes={"first_name": "Ewa"})  # no change, no event
    update_customer(customer=customer, changes={"email": "ewa@example.com", "gender": "Female"})
    address = create_address(customer=customer, attributes=ADDRESS)
    update_address(address=address, changes={"city": "Potsdam"})
    address_id = str(address.pk)
    delete_address(address=address)
    (relation,) = create_relations(
        customer=customer, items=[{"domain": "product", "ref_id": "sku-1"}], single=True
    )
    update_relation(relation=relation, changes={"position": 2})
    delete_relation(relation=relation)
    prop = create_property(customer=customer, property_type="nickname", value="Ewi")
    update_property(prop=prop, changes={"value": "Ewa"})
    delete_property(prop=prop)

    assert types_of(customer) == [
        "customer.updated",
        "customer.email_changed",
        "customer.updated",
        "address.created",
        "address.updated",
        "address.deleted",
        "relation.created",
        "relation.updated",
        "relation.deleted",
        "property.created",
        "property.updated",
        "property.deleted",
    ]
    events = events_of(customer)
    assert events[0][1]["changed"] == ["firstName", "lastName"]
    assert events[1][1] == {
        "customerReference": customer.customer_reference,
        "email": "ewa@example.com",
    }
    assert events[2][1]["changed"] == ["gender"]
    assert events[4][1]["address"]["city"] == "Potsdam"
    assert events[5][1] == {
        "customerReference": customer.customer_reference,
        "address": {"id": address_id},
    }
    assert events[6][1]["relation"]["refId"] == "sku-1"
    assert "notifiedState" not in events[6][1]["relation"]
    assert events[10][1]["property"]["value"] == "Ewa"


def test_confirmation_and_password_changes_record_their_events(
    api, customer_api, customer, mailoutbox, django_capture_on_commit_callbacks
):
    unconfirmed = CustomerFactory(confirmed_at=None, registration_key_digest=key_digest("the-key"))
    confirm_customer(registration_key="the-key")
    with django_capture_on_commit_callbacks(execute=True):
        customer_api.send(
            "PATCH",
            f"/customer-password/{customer.customer_reference}",
            document(
                "customer-password",
                {
                    "password": "correct horse battery staple",
                    "newPassword": "another fine passphrase",
                    "confirmPassword": "another fine passphrase",
                },
            ),
        )
        api.send(
            "POST",
            "/customer-forgotten-password",
            document("customer-forgotten-password", {"email": customer.email}),
        )
    key = mailoutbox[-1].body.split("key=")[1].split()[0]
    restore_password(restore_password_key=key, password="yet another passphrase")

    assert types_of(unconfirmed) == ["customer.confirmed"]
    assert types_of(customer) == ["customer.password_changed", "customer.password_changed"]
    assert events_of(customer)[0][1] == {"customerReference": customer.customer_reference}


def test_anonymization_keeps_nothing_personal_in_the_outbox(customer, mailoutbox):
    update_customer(customer=customer, changes={"first_name": "Ewa"})
    create_address(customer=customer, attributes=ADDRESS)
    with transaction.atomic():
        queue_mail(confirmation_email(customer, "a-key"), customer=customer)

    anonymize_customer(customer=customer)

    reference = customer.customer_reference
    assert events_of(customer) == [
        ("customer.updated", {"customerReference": reference}),
        ("address.created", {"customerReference": reference}),
        ("customer.anonymized", {"customerReference": reference}),
    ]
    assert not OutgoingMail.objects.exists()


def test_a_rolled_back_request_records_no_event_and_sends_no_mail(
    api, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    queue = customers.services.queue_mail

    def queue_then_fail(*args, **kwargs):
        queue(*args, **kwargs)
        raise RuntimeError("the change fails after its event and mail were written")

    monkeypatch.setattr(customers.services, "queue_mail", queue_then_fail)
    api.raise_request_exception = False

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.send("POST", "/customers", registration())

    assert response.status_code == 500
    assert callbacks == []
    assert not Event.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert mailoutbox == []


def test_a_refused_change_records_no_event(customer_api, customer):
    taken = CustomerFactory()

    response = customer_api.send(
        "PATCH",
        f"/customers/{customer.customer_reference}",
        document("customers", {"email": taken.email, "firstName": "Ewa"}),
    )

    assert response.status_code == 422
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused(customer):
    with pytest.raises(RuntimeError, match="transaction"):
        record_event(customer=customer, event_type="customer.updated")


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_mail_goes_out_from_a_thread_after_the_commit(api, settings, mailoutbox):
    settings.EMAIL_SEND_IN_BACKGROUND = True

    response = api.send("POST", "/customers", registration())
    wait_for_deliveries()

    assert response.status_code == 201
    assert [message.to for message in mailoutbox] == [["anna@example.com"]]


def test_a_mail_server_that_is_down_fails_no_request_and_the_mail_waits(
    api, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1

    with django_capture_on_commit_callbacks(execute=True):
        registered = api.send("POST", "/customers", registration())
    mail = OutgoingMail.objects.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=mail.next_attempt_at - timedelta(seconds=1))
    waited = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=mail.next_attempt_at)

    assert registered.status_code == 201
    assert (mail.status, mail.attempts) == ("pending", 1)
    assert "key=" not in mail.last_error
    assert waited == 0
    assert [message.to for message in mailoutbox] == [["anna@example.com"]]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.body) == ("delivered", 2, "")
