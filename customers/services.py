"""Business rules that change customers: register, confirm, update, anonymize."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from customers import activities
from customers.email_address import canonical_email
from customers.emails import confirmation_email, email_change_email, email_change_notice
from customers.locking import lock_customer_for_write
from customers.models import EMAIL_CONSTRAINT, ActivityType, Customer, CustomerItem
from events.models import EventType
from events.services import (
    forget_customer,
    queue_mail,
    queue_rendered_later,
    record_customer_changes,
    record_customer_event,
    record_event,
    record_item_event,
)
from jsonapi.errors import ApiError, ErrorCode
from operations.client_ip import client_network
from operations.keys import key_digest, new_key
from operations.throttling import RateLimited, enforce_rate, hit, unhit

ANONYMIZED_EMAIL_DOMAIN = "anonymized.invalid"
REGISTRATION_ATTEMPTS = "registration-attempts"
REGISTRATIONS = "registration"
# Aimeos' optional profile data, null unless the customer sets it.
OPTIONAL_FIELDS = frozenset({"title", "company", "vat_id", "phone", "language_id"})
CONFIRMATION_REQUESTS_BY_IP = "confirmation-requests-by-ip"
CONFIRMATION_REQUESTS_BY_EMAIL = "confirmation-requests-by-email"
EMAIL_CHANGES_BY_CUSTOMER = "email-changes-by-customer"
EMAIL_CHANGES_BY_EMAIL = "email-changes-by-email"


def _check_email_available(
    email: str, *, customer: Customer | None = None, attribute: str | None = "email"
) -> None:
    """422 code 400 when another account has a spelling of ``email``.

    Checked after the body's own rules (Glue's order of checks); the unique constraint on the
    canonical form decides races.
    """
    taken = Customer.objects.with_email(email)
    if customer is not None:
        taken = taken.exclude(pk=customer.pk)
    if taken.exists():
        raise ApiError(ErrorCode.EMAIL_TAKEN, attribute=attribute)


def _is_email_conflict(exc: IntegrityError) -> bool:
    # PostgreSQL names the constraint, SQLite the column.
    return EMAIL_CONSTRAINT in str(exc) or "email_canonical" in str(exc)


def count_registration_attempt(request: HttpRequest) -> None:
    """Count an attempt to register from the client's IP, refused or not.

    ``REGISTRATION_ATTEMPT_RATE``: registration must say "e-mail taken" (Glue), and this limit
    keeps that answer from probing many addresses.
    """
    enforce_rate(
        group=REGISTRATION_ATTEMPTS,
        key=client_network(request),
        rate=settings.REGISTRATION_ATTEMPT_RATE,
    )


@contextmanager
def registration_allowance(request: HttpRequest) -> Iterator[None]:
    """One of the accounts the client's IP may create (``REGISTRATION_RATE``, Aimeos' limit).

    Taken before the account is created, so parallel requests cannot pass the limit, and given
    back when none is created: a refused attempt does not use the allowance up.
    """
    limit = {
        "group": REGISTRATIONS,
        "key": client_network(request),
        "rate": settings.REGISTRATION_RATE,
    }
    usage = hit(**limit)
    if usage is not None and usage.exceeded:
        unhit(**limit)
        raise RateLimited(usage.retry_after)
    try:
        yield
    except BaseException:
        unhit(**limit)
        raise


def register_customer(
    *,
    email: str,
    password: str,
    salutation: str,
    first_name: str,
    last_name: str,
    gender: str | None = None,
    date_of_birth=None,
    **optional: str | None,
) -> Customer:
    """Create a customer and queue the e-mail with the confirmation link.

    The unique constraint on the e-mail's canonical form decides races between registrations
    of one mailbox, however it is spelled. ``optional``: any of :data:`OPTIONAL_FIELDS`.
    """
    unknown = set(optional) - OPTIONAL_FIELDS
    if unknown:
        raise ValueError(f"not settable: {sorted(unknown)}")
    _check_email_available(email)
    customer = Customer(
        terms_accepted_at=timezone.now(),
        email=email,
        salutation=salutation,
        first_name=first_name,
        last_name=last_name,
        gender=gender,
        date_of_birth=date_of_birth,
        **optional,
    )
    customer.set_password(password)  # hashed before the transaction: Argon2 is slow on purpose
    registration_key = None
    if settings.REQUIRE_EMAIL_CONFIRMATION:
        registration_key = new_key()
        customer.registration_key_digest = key_digest(registration_key)
    else:
        customer.confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            customer.save()
            record_customer_event(customer=customer, event_type=EventType.CUSTOMER_REGISTERED)
            if registration_key:
                queue_mail(confirmation_email(customer, registration_key), customer=customer)
    except IntegrityError as exc:
        if _is_email_conflict(exc):
            raise ApiError(ErrorCode.EMAIL_TAKEN, attribute="email") from exc
        raise
    return customer


def confirm_customer(*, registration_key: str, request: HttpRequest | None = None) -> Customer:
    """Confirm what the key was mailed for: the account's e-mail, or its new e-mail address.

    A key works once. A new address taken meanwhile by another account → 422 code 400, decided
    by the unique constraint on the canonical form.
    """
    digest = key_digest(registration_key)
    try:
        with transaction.atomic():
            customer = (
                Customer.objects.select_for_update()
                .filter(
                    Q(registration_key_digest=digest)
                    | Q(email_change_key_digest=digest, email_change_expires_at__gt=timezone.now()),
                    is_active=True,
                )
                .first()
            )
            if customer is None:
                raise ApiError(ErrorCode.INVALID_CONFIRMATION_KEY, attribute="registration_key")
            if customer.registration_key_digest == digest:
                _confirm_registration(customer)
            else:
                _confirm_email_change(customer, request)
    except IntegrityError as exc:
        if _is_email_conflict(exc):
            raise ApiError(ErrorCode.EMAIL_TAKEN) from exc
        raise
    return customer


def request_confirmation_email(*, request: HttpRequest, email: str) -> None:
    """Mail a new confirmation key if an unconfirmed account has this e-mail; reveal nothing.

    Throttled as forgotten-password requests are (``PASSWORD_RESET_RATE``, per client IP and
    per e-mail). The request does the same for every e-mail — count the limits, queue one
    outgoing mail holding the canonical e-mail — and the account is looked up by the outbox's
    worker (:func:`confirmation_key_email`), so neither the answer nor its time tells whether
    or in which state an account exists.
    """
    queue_mail_for_address(
        request=request,
        email=email,
        renderer="customers.services.confirmation_key_email",
        limits=(CONFIRMATION_REQUESTS_BY_IP, CONFIRMATION_REQUESTS_BY_EMAIL),
    )


def queue_mail_for_address(
    *, request: HttpRequest, email: str, renderer: str, limits: tuple[str, str]
) -> None:
    """A mail that an account of ``email`` may get, asked for by anyone: counted against
    ``PASSWORD_RESET_RATE`` per client IP and per e-mail (``limits``: the two groups), then
    one outgoing mail queued that ``renderer`` writes from the canonical e-mail in the outbox's
    worker. The same work for every address, so neither the answer nor its time tells whether
    or in which state an account exists.
    """
    rate = settings.PASSWORD_RESET_RATE
    canonical = canonical_email(email)
    by_ip, by_email = limits
    enforce_rate(group=by_ip, key=client_network(request), rate=rate)
    enforce_rate(group=by_email, key=canonical, rate=rate)
    with transaction.atomic():
        queue_rendered_later(renderer=renderer, argument=canonical)


def confirmation_key_email(email: str) -> EmailMultiAlternatives | None:
    """Give the unconfirmed account of ``email`` a new registration key (the older one stops
    working) and answer the mail that carries it; None when there is no such account."""
    with transaction.atomic():
        customer = (
            Customer.objects.with_email(email)
            .select_for_update()
            .filter(is_active=True, confirmed_at__isnull=True, anonymized_at__isnull=True)
            .first()
        )
        if customer is None:
            return None
        registration_key = new_key()
        customer.registration_key_digest = key_digest(registration_key)
        customer.save(update_fields=["registration_key_digest"])
    return confirmation_email(customer, registration_key)


def _confirm_registration(customer: Customer) -> None:
    customer.confirmed_at = timezone.now()
    customer.registration_key_digest = None
    customer.save(update_fields=["confirmed_at", "registration_key_digest", "updated_at"])
    record_customer_event(customer=customer, event_type=EventType.CUSTOMER_CONFIRMED)


def _confirm_email_change(customer: Customer, request: HttpRequest | None) -> None:
    _check_email_available(customer.pending_email, customer=customer, attribute=None)
    customer.email = customer.pending_email
    _forget_email_change(customer)
    customer.save(update_fields=["email", *EMAIL_CHANGE_FIELDS, "updated_at"])
    record_customer_changes(customer=customer, changed=["email"])
    activities.record_activity(
        customer_id=customer.pk, activity_type=ActivityType.EMAIL_CHANGED, request=request
    )


EMAIL_CHANGE_FIELDS = ("pending_email", "email_change_key_digest", "email_change_expires_at")


def _forget_email_change(customer: Customer) -> None:
    customer.pending_email = None
    customer.email_change_key_digest = None
    customer.email_change_expires_at = None


def _request_email_change(customer: Customer, email: str) -> None:
    """Keep ``email`` pending and mail its key to it, and a notice to the current address.

    A newer request replaces an older one: its key stops working.
    """
    key = new_key()
    customer.pending_email = email
    customer.email_change_key_digest = key_digest(key)
    customer.email_change_expires_at = timezone.now() + timedelta(
        seconds=settings.EMAIL_CHANGE_KEY_TTL
    )
    queue_mail(email_change_email(customer, key), customer=customer)
    queue_mail(email_change_notice(customer), customer=customer)


UPDATABLE_FIELDS = frozenset(
    {"salutation", "first_name", "last_name", "gender", "date_of_birth", "email", *OPTIONAL_FIELDS}
)


def update_customer(
    *, customer: Customer, changes: dict[str, Any], request: HttpRequest | None = None
) -> Customer:
    """Change the given profile attributes; the others stay as they were.

    A new e-mail address (another mailbox than the current one) takes effect at once, or with
    ``EMAIL_CHANGE_CONFIRMATION`` once the key mailed to it is confirmed; until then it is
    ``pending_email``. The changes are applied to the customer's row as it is under its lock,
    so a request that waited for an anonymization stores nothing (401 code 001).
    """
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    if not changes:
        return customer
    if "email" in changes:
        count_email_change_request(customer=customer, email=changes["email"])
        _check_email_available(changes["email"], customer=customer)
    try:
        with transaction.atomic():
            current = lock_customer_for_write(customer.pk)
            changes = dict(changes)
            new_email = changes.pop("email", None)
            changed = [name for name, value in changes.items() if getattr(current, name) != value]
            for name, value in changes.items():
                setattr(current, name, value)
            update_fields = [*changes, "updated_at"]
            if new_email is not None:
                changed += _change_email(current, new_email, request)
                update_fields += ["email", *EMAIL_CHANGE_FIELDS]
            current.save(update_fields=update_fields)
            record_customer_changes(customer=current, changed=changed)
            if set(changed) - {"email", "pending_email"}:
                activities.record_activity(
                    customer_id=current.pk,
                    activity_type=ActivityType.PROFILE_CHANGED,
                    request=request,
                )
    except IntegrityError as exc:
        if _is_email_conflict(exc):
            raise ApiError(ErrorCode.EMAIL_TAKEN, attribute="email") from exc
        raise
    return current


def count_email_change_request(*, customer: Customer, email: str) -> None:
    """Count a request to make ``email`` the customer's address against ``PASSWORD_RESET_RATE``,
    per customer and per new address; 429 code 429 when either is used up.

    Each request mails a key to the new address, and a taken address answers "e-mail taken":
    unlimited, one account could send mail to any address without end, or probe which
    addresses have accounts. Another spelling of the current address is no request.
    """
    canonical = canonical_email(email)
    if canonical == customer.email_canonical:
        return
    rate = settings.PASSWORD_RESET_RATE
    enforce_rate(group=EMAIL_CHANGES_BY_CUSTOMER, key=str(customer.pk), rate=rate)
    enforce_rate(group=EMAIL_CHANGES_BY_EMAIL, key=canonical, rate=rate)


def _change_email(customer: Customer, email: str, request: HttpRequest | None) -> list[str]:
    """Change or request to change the e-mail (see :func:`update_customer`); the changed fields.

    Another spelling of the current mailbox needs no confirmation and drops a pending change.
    """
    if canonical_email(email) == customer.email_canonical:
        changed = ["email"] if email != customer.email else []
        if customer.pending_email is not None:
            changed.append("pending_email")
        customer.email = email
        _forget_email_change(customer)
        return changed
    if settings.EMAIL_CHANGE_CONFIRMATION:
        _request_email_change(customer, email)
        activity = ActivityType.EMAIL_CHANGE_REQUESTED
        changed = ["pending_email"]
    else:
        customer.email = email
        _forget_email_change(customer)
        activity = ActivityType.EMAIL_CHANGED
        changed = ["email"]
    activities.record_activity(customer_id=customer.pk, activity_type=activity, request=request)
    return changed


def may_administer(*, staff_member: Customer, customer: Customer) -> bool:
    """Whether ``staff_member`` may change or anonymize ``customer`` in the admin.

    Staff and superuser accounts are a superuser's: whoever can change an account's e-mail can
    reset its password and so take over its privileges.
    """
    return staff_member.is_superuser or not (customer.is_staff or customer.is_superuser)


def delete_item(item: CustomerItem) -> None:
    """Delete one of a customer's items (address, relation, property) and record its event.

    Under the customer's row lock, like every write of the customer's data.
    """
    with transaction.atomic():
        customer = lock_customer_for_write(item.customer_id)
        record_item_event(customer=customer, item=item, action="deleted")
        item.delete()


def count_within_cap(items: QuerySet, *, adding: int = 1, cap: int, detail: str) -> int:
    """How many of a customer's items there are; 422 code 901 (``detail``) when ``adding`` more
    would take them past ``cap``.

    Called under the customer's row lock, so parallel requests cannot pass the cap together.
    """
    existing = items.count()
    if existing + adding > cap:
        raise ApiError(ErrorCode.VALIDATION_FAILED, detail=detail)
    return existing


AnonymizationStep = Callable[[Customer], None]
_anonymization_steps: list[AnonymizationStep] = []


def on_anonymization(step: AnonymizationStep) -> AnonymizationStep:
    """Register what another app removes when a customer is anonymized.

    Each app that holds data of a customer (addresses, relations, properties, credentials)
    registers a step in its ``AppConfig.ready()``; :func:`anonymize_customer` runs every step
    in its transaction, under the customer's row lock, so the app that owns the data decides
    how it goes and this module needs to know none of them.
    """
    _anonymization_steps.append(step)
    return step


def anonymize_customer(*, customer: Customer) -> None:
    """Erase the customer's personal data for good and lock the account.

    What other apps hold of the customer (addresses, relations, properties, tokens, restore
    keys, browser sessions) goes through the steps they registered (:func:`on_anonymization`).
    The row and its reference stay so that orders kept elsewhere still point at something.
    Every other write of the customer waits for the row lock taken here and then finds the
    account anonymized, so nothing written at the same time survives.
    """
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if customer.is_anonymized:
            return
        forget_customer(customer)
        customer.first_name = "Anonymized"
        customer.last_name = "Customer"
        customer.email = f"anonymized-{uuid.uuid4().hex}@{ANONYMIZED_EMAIL_DOMAIN}"
        customer.date_of_birth = None
        customer.gender = None
        for name in OPTIONAL_FIELDS:
            setattr(customer, name, None)
        customer.registration_key_digest = None
        _forget_email_change(customer)
        customer.set_unusable_password()
        customer.is_active = False
        customer.anonymized_at = timezone.now()
        customer.save()
        activities.forget_activities(customer.pk)
        for step in _anonymization_steps:
            step(customer)
        record_event(customer=customer, event_type=EventType.CUSTOMER_ANONYMIZED)
