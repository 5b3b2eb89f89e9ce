"""E-mails about passwords."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from customers.emails import customer_email
from customers.models import Customer


def restore_password_email(customer: Customer, restore_password_key: str) -> EmailMultiAlternatives:
    """The link that lets the customer choose a new password."""
    return customer_email(
        customer,
        template="auth_api/email/restore_password",
        context={
            "restore_url": settings.PASSWORD_RESTORE_URL.format(key=restore_password_key),
            "valid_minutes": max(settings.RESTORE_PASSWORD_KEY_TTL // 60, 1),
        },
    )
