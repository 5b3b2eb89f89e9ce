"""E-mails about passwords."""

from __future__ import annotations

from django.conf import settings

from customers.emails import send_templated_email
from customers.models import Customer


def send_restore_password_email(customer: Customer, restore_password_key: str) -> None:
    """The link that lets the customer choose a new password."""
    send_templated_email(
        to=customer.email,
        template="auth_api/email/restore_password",
        context={
            "customer": customer,
            "restore_url": settings.PASSWORD_RESTORE_URL.format(key=restore_password_key),
            "valid_minutes": max(settings.RESTORE_PASSWORD_KEY_TTL // 60, 1),
        },
    )
