"""E-mails to customers, rendered from templates as plain text and HTML, in their language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from customers.models import Customer


def mail_language(customer: Customer) -> str:
    """The language of the customer's e-mails: its ``languageId`` (``de``, ``de_AT``) where
    the service ships that language (``LANGUAGES``; ``de_AT`` falls back to ``de``), else
    the default language (English)."""
    if customer.language_id:
        try:
            return translation.get_supported_language_variant(
                translation.to_language(customer.language_id)
            )
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def templated_email(
    *, to: str, template: str, context: dict, language: str | None = None
) -> EmailMultiAlternatives:
    """``{template}_subject.txt``, ``{template}.txt`` and ``{template}.html`` for ``to``,
    rendered in ``language`` (default: the service's language)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message


def customer_email(
    customer: Customer, *, template: str, context: dict, to: str | None = None
) -> EmailMultiAlternatives:
    """An e-mail to the customer (at ``to``, default its e-mail address), in its language."""
    return templated_email(
        to=to or customer.email,
        template=template,
        context={"customer": customer, **context},
        language=mail_language(customer),
    )


def confirmation_email(customer: Customer, registration_key: str) -> EmailMultiAlternatives:
    """The link that confirms the customer's e-mail address."""
    return customer_email(
        customer,
        template="customers/email/confirmation",
        context={
            "confirmation_url": settings.CUSTOMER_CONFIRMATION_URL.format(key=registration_key),
        },
    )


def email_change_email(customer: Customer, key: str) -> EmailMultiAlternatives:
    """The link that confirms a new e-mail address, sent to that address."""
    return customer_email(
        customer,
        to=customer.pending_email,
        template="customers/email/email_change",
        context={
            "new_email": customer.pending_email,
            "confirmation_url": settings.CUSTOMER_CONFIRMATION_URL.format(key=key),
        },
    )


def email_change_notice(customer: Customer) -> EmailMultiAlternatives:
    """A notice, with no key, to the address about to be replaced."""
    return customer_email(
        customer,
        template="customers/email/email_change_notice",
        context={"new_email": customer.pending_email},
    )
