"""How many log in attempts a client gets, counted before the password is checked.

Two limits, both answered 429 code 4401 once used up: attempts at one account from one client
IP (``LOGIN_FAILURE_LIMIT``, as Glue counts them) and failed attempts from one client IP at
any account (``LOGIN_IP_FAILURE_LIMIT``, against password spraying). Each attempt is counted
before its password is checked, so however many arrive at once, no more passwords are checked
than the limits allow; a right password then clears the pair's count and takes the attempt
back from the IP's. The account is named by the canonical form of its e-mail, so every
spelling of one mailbox counts against one limit.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from customers.email_address import canonical_email
from jsonapi.errors import ApiError, ErrorCode
from operations.client_ip import client_network
from operations.throttling import clear, hit, unhit

ATTEMPTS_AT_ACCOUNT = "login-failures"
FAILURES_FROM_IP = "login-failures-by-ip"


def _pair(request: HttpRequest, email: str) -> dict[str, str]:
    return {
        "group": ATTEMPTS_AT_ACCOUNT,
        "key": f"{client_network(request)}|{canonical_email(email)}",
        "rate": settings.LOGIN_FAILURE_LIMIT,
    }


def _from_ip(request: HttpRequest) -> dict[str, str]:
    return {
        "group": FAILURES_FROM_IP,
        "key": client_network(request),
        "rate": settings.LOGIN_IP_FAILURE_LIMIT,
    }


def count_login_attempt(request: HttpRequest, email: str) -> None:
    """Count an attempt at the account of ``email``; 429 code 4401 when a limit is used up.

    Refused attempts are refused whatever the password, and count too.
    """
    usages = [hit(**_pair(request, email)), hit(**_from_ip(request))]
    refused = [usage for usage in usages if usage is not None and usage.exceeded]
    if refused:
        retry_after = max(usage.retry_after for usage in refused)
        raise ApiError.throttled(ErrorCode.TOO_MANY_LOGIN_ATTEMPTS, retry_after)


def login_succeeded(request: HttpRequest, email: str) -> None:
    """The attempt was right: the pair starts afresh and the IP's failures are as before."""
    clear(**_pair(request, email))
    unhit(**_from_ip(request))
