"""E-mails to customers, rendered from templates as plain text and HTML."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from customers.models import Customer


def templated_email(*, to: str, template: str, context: dict) -> EmailMultiAlternatives:
    """``{template}_subject.txt``, ``{template}.txt`` and ``{template}.html`` for ``to``."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send_templated_email(*, to: str, template: str, context: dict) -> None:
    """Render the e-mail of ``template`` and send it to ``to`` now."""
    templated_email(to=to, template=template, context=context).send()


def confirmation_email(customer: Customer, registration_key: str) -> EmailMultiAlternatives:
    """The link that confirms the customer's e-mail address."""
    return templated_email(
        to=customer.email,
        template="customers/email/confirmation",
        context={
            "customer": customer,
            "confirmation_url": settings.CUSTOMER_CONFIRMATION_URL.format(key=registration_key),
        },
    )


def email_change_email(customer: Customer, key: str) -> EmailMultiAlternatives:
    """The link that confirms a new e-mail address, sent to that address."""
    return templated_email(
        to=customer.pending_email,
        template="customers/email/email_change",
        context={
            "customer": customer,
            "new_email": customer.pending_email,
            "confirmation_url": settings.CUSTOMER_CONFIRMATION_URL.format(key=key),
        },
    )


def email_change_notice(customer: Customer) -> EmailMultiAlternatives:
    """A notice, with no key, to the address about to be replaced."""
    return templated_email(
        to=customer.email,
        template="customers/email/email_change_notice",
        context={"customer": customer, "new_email": customer.pending_email},
    )
