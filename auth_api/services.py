"""Log in, refresh and log out, change and restore passwords; spent OAuth2 authorization codes.

Glue's token resources on django-oauth-toolkit's models. Tokens are random 256-bit strings;
the database keeps only their SHA-256 checksum (``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``), so a
leaked table does not leak sessions. Restore keys are stored the same way.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from oauth2_provider.models import (
    AccessToken,
    Application,
    Grant,
    RefreshToken,
    clear_expired,
    set_token_value,
)

from auth_api.emails import restore_password_email
from auth_api.login_limits import count_login_attempt, login_succeeded
from auth_api.models import RestorePasswordKey, SpentAuthorizationCode
from customers import activities
from customers.locking import lock_customer_for_write, lock_live_customer
from customers.models import ActivityType, Customer
from customers.serializers import check_password_policy
from customers.services import queue_mail_for_address
from events.models import EventType
from events.services import record_event
from jsonapi.errors import ApiError, ErrorCode
from operations.after_response import after_response
from operations.keys import key_digest, new_key
from operations.prepared import column_converters, instance_from_row

FIRST_PARTY_CLIENT_ID = "storefront-api"
TOKEN_SCOPE = "customer"  # noqa: S105 (an OAuth2 scope name)
RESTORE_REQUESTS_BY_IP = "restore-requests-by-ip"
RESTORE_REQUESTS_BY_EMAIL = "restore-requests-by-email"
# Live refresh tokens of one customer, one per app or device signed in: far more than anyone
# uses, and a bound on what log out everywhere, a password change and anonymization revoke in
# one transaction (100,000 sessions took 11 s, past a worker's timeout well before a million).
MAX_SESSIONS_PER_CUSTOMER = 100


@dataclass(frozen=True)
class TokenPair:
    """What ``/access-tokens`` and ``/refresh-tokens`` answer."""

    access_token: str
    refresh_token: str
    expires_in: int
    refresh_token_expires_in: int
    token_type: str = "Bearer"  # noqa: S105 (the RFC 6750 scheme name)


def token_checksum(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def first_party_application() -> Application:
    """The public client the Glue endpoints issue tokens for (created by a migration)."""
    application, _ = Application.objects.get_or_create(
        client_id=FIRST_PARTY_CLIENT_ID,
        defaults={
            "name": "Storefront API (first-party)",
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_PASSWORD,
            "skip_authorization": True,
        },
    )
    return application


def issue_tokens(customer: Customer, *, token_family: uuid.UUID | None = None) -> TokenPair:
    """Create an access token and its refresh token for the customer.

    The services call it holding the customer's lock (``customers.locking``), so no token is
    issued to an account that an anonymization has just closed.
    """
    application = first_party_application()
    access_value, refresh_value = new_key(), new_key()
    access_token = AccessToken(
        user=customer,
        application=application,
        scope=TOKEN_SCOPE,
        expires=timezone.now() + timedelta(seconds=settings.ACCESS_TOKEN_EXPIRE_SECONDS),
    )
    set_token_value(access_token, access_value)
    refresh_token = RefreshToken(
        user=customer,
        application=application,
        token_family=token_family or uuid.uuid4(),
    )
    set_token_value(refresh_token, refresh_value)
    with transaction.atomic():
        access_token.save()
        refresh_token.access_token = access_token
        refresh_token.save()
        if token_family is None:  # a new session; a rotation replaces its own
            end_sessions_past_the_cap(customer.pk)
    return TokenPair(
        access_token=access_value,
        refresh_token=refresh_value,
        expires_in=settings.ACCESS_TOKEN_EXPIRE_SECONDS,
        refresh_token_expires_in=settings.REFRESH_TOKEN_EXPIRE_SECONDS,
    )


def end_sessions_past_the_cap(customer_id: int) -> None:
    """Revoke the customer's live refresh tokens older than its newest
    :data:`MAX_SESSIONS_PER_CUSTOMER`, and delete their access tokens.

    Called wherever a session starts (a log in, an authorization code exchanged); a rotation
    revokes the token it replaces, so refreshing ends no other session.
    """
    live = RefreshToken.objects.filter(user_id=customer_id, revoked__isnull=True)
    past_the_cap = list(
        live.order_by("-created", "-pk").values_list("pk", "access_token_id")[
            MAX_SESSIONS_PER_CUSTOMER:
        ]
    )
    if not past_the_cap:
        return
    RefreshToken.objects.filter(pk__in=[pk for pk, _ in past_the_cap]).update(
        revoked=timezone.now()
    )
    AccessToken.objects.filter(pk__in=[pk for _, pk in past_the_cap if pk is not None]).delete()


@dataclass(frozen=True)
class Credentials:
    """What an e-mail and password were checked against: the account, and whether they fit."""

    customer: Customer | None
    accepted: bool


def check_credentials(*, email: str, password: str) -> Credentials:
    """The account of ``email`` and whether the password logs it in.

    An unknown e-mail still costs one password hash, so timing does not tell which e-mails
    have accounts.
    """
    customer = Customer.objects.with_email(email).first()
    if customer is None:
        make_password(password)
        return Credentials(None, accepted=False)
    accepted = customer.check_password(password) and may_log_in(customer)
    return Credentials(customer, accepted=accepted)


def may_log_in(customer: Customer) -> bool:
    """Active, not anonymized, and confirmed where confirmation is required."""
    if not customer.is_active or customer.is_anonymized:
        return False
    return customer.is_confirmed or not settings.REQUIRE_EMAIL_CONFIRMATION


def record_failed_login(request: HttpRequest, customer: Customer | None) -> None:
    """A wrong password for an existing account goes into its activity log, for good.

    Once the answer has been sent: written before, it made the answer slower for existing
    accounts than for unknown e-mails (a lock, an INSERT and a commit), and that time told
    which e-mails have accounts.
    """
    if customer is not None:
        after_response(
            activities.record_activity_of_live_customer,
            customer_id=customer.pk,
            activity_type=ActivityType.LOGIN_FAILED,
            request=request,
        )


def verify_login(*, request: HttpRequest, email: str, password: str) -> Customer | None:
    """The customer the credentials log in, within the login limits (``login_limits``); None
    for credentials that do not, with the failure recorded.

    The one sequence of checks of every log in: the API's and the session login's.
    """
    count_login_attempt(request, email)
    credentials = check_credentials(email=email, password=password)
    if not credentials.accepted:
        record_failed_login(request, credentials.customer)
        return None
    login_succeeded(request, email)
    return credentials.customer


def log_in(*, request: HttpRequest, email: str, password: str) -> TokenPair:
    """Exchange e-mail and password for tokens, within the login limits (``login_limits``).

    A success is the customer's last login (staff read it in the admin, as for a browser's log
    in) and an entry in the activity log, beside the tokens.
    """
    customer = verify_login(request=request, email=email, password=password)
    if customer is None:
        raise ApiError(ErrorCode.AUTHENTICATION_FAILED)
    with transaction.atomic():
        if lock_live_customer(customer.pk) is None:
            raise ApiError(ErrorCode.AUTHENTICATION_FAILED)
        tokens = issue_tokens(customer)
        # Not shown by the API: an UPDATE of the column alone leaves the data version as it is.
        Customer.objects.filter(pk=customer.pk).update(last_login=timezone.now())
        activities.record_activity(
            customer_id=customer.pk, activity_type=ActivityType.LOGIN, request=request
        )
    return tokens


def _refresh_token_expired(token: RefreshToken) -> bool:
    lifetime = timedelta(seconds=settings.REFRESH_TOKEN_EXPIRE_SECONDS)
    return token.created + lifetime <= timezone.now()


def refresh_tokens(*, refresh_token: str, request: HttpRequest | None = None) -> TokenPair:
    """Rotate: the refresh token is spent and a new pair is issued in the same family.

    A refresh token that was already rotated is a replay (RFC 9700 §4.14): whoever presents
    it, every token of its family is revoked, the newer pair of the rightful owner included,
    and the customer's log records it. One whose session ended (a log out, the session cap)
    is refused alone: its family holds nothing newer to steal.
    The customer's row lock, then the token's, make concurrent refreshes of one token serial.
    """
    presented = (
        RefreshToken.objects.filter(
            token_checksum=token_checksum(refresh_token),
            application__client_id=FIRST_PARTY_CLIENT_ID,
        )
        .values("pk", "user_id")
        .first()
    )
    if presented is None:
        raise ApiError(ErrorCode.REFRESH_FAILED)
    tokens = None
    with transaction.atomic():
        customer = lock_live_customer(presented["user_id"])
        current = RefreshToken.objects.select_for_update().get(pk=presented["pk"])
        if current.revoked is not None:
            RefreshToken.revoke_family(current.token_family)
            if customer is not None and was_rotated(current):
                activities.record_activity(
                    customer_id=customer.pk,
                    activity_type=ActivityType.TOKEN_REFRESHED_REUSED,
                    request=request,
                )
        elif customer is not None and not _refresh_token_expired(current):
            current.revoke()
            tokens = issue_tokens(customer, token_family=current.token_family)
    if tokens is None:
        raise ApiError(ErrorCode.REFRESH_FAILED)
    return tokens


def was_rotated(token: RefreshToken) -> bool:
    """Whether a newer refresh token of the family replaced ``token`` (a refresh spent it),
    rather than its session ending with it."""
    return RefreshToken.objects.filter(
        token_family=token.token_family, created__gt=token.created
    ).exists()


def record_refresh_token_replay(*, refresh_token: str, request: HttpRequest) -> None:
    """A rotated refresh token refused at ``/oauth/token``: its customer's log records the replay.

    DOT has revoked the token's family (``REFRESH_TOKEN_REUSE_PROTECTION``); this is the entry
    :func:`refresh_tokens` writes for the same replay at ``/refresh-tokens``.
    """
    spent = RefreshToken.objects.filter(
        token_checksum=token_checksum(refresh_token), revoked__isnull=False
    ).first()
    if spent is not None and was_rotated(spent):
        activities.record_activity_of_live_customer(
            customer_id=spent.user_id,
            activity_type=ActivityType.TOKEN_REFRESHED_REUSED,
            request=request,
        )


def revoke_refresh_token(
    *, customer: Customer, refresh_token: str, request: HttpRequest | None = None
) -> None:
    """Revoke one of the customer's refresh tokens and its access token; others are ignored."""
    with transaction.atomic():
        lock_customer_for_write(customer.pk)
        token = RefreshToken.objects.filter(
            token_checksum=token_checksum(refresh_token), user=customer, revoked__isnull=True
        ).first()
        if token is not None:
            token.revoke()
            activities.record_activity(
                customer_id=customer.pk, activity_type=ActivityType.LOGOUT, request=request
            )


def log_out_everywhere(customer: Customer, *, request: HttpRequest | None = None) -> None:
    """Revoke every token of the customer and end its browser sessions."""
    with transaction.atomic():
        lock_customer_for_write(customer.pk)
        revoke_all_tokens(customer)
        end_browser_sessions(customer)
        activities.record_activity(
            customer_id=customer.pk, activity_type=ActivityType.LOGOUT, request=request
        )


def end_browser_sessions(customer: Customer) -> None:
    """Every browser session of the customer stops authenticating (``Customer.session_epoch``)."""
    Customer.objects.filter(pk=customer.pk).update(session_epoch=F("session_epoch") + 1)


def revoke_all_tokens(customer: Customer, *, keep: AccessToken | None = None) -> None:
    """Revoke every token of the customer, except ``keep`` and its refresh token."""
    with transaction.atomic():
        access_tokens = AccessToken.objects.filter(user=customer)
        refresh_tokens = RefreshToken.objects.filter(user=customer, revoked__isnull=True)
        if keep is not None:
            access_tokens = access_tokens.exclude(pk=keep.pk)
            refresh_tokens = refresh_tokens.exclude(access_token=keep)
        refresh_tokens.update(revoked=timezone.now())
        access_tokens.delete()
        Grant.objects.filter(user=customer).delete()


def revoke_all_credentials(customer: Customer) -> None:
    """Tokens, grants, restore keys and browser sessions of the customer: all gone."""
    revoke_all_tokens(customer)
    RestorePasswordKey.objects.filter(customer=customer).delete()
    end_browser_sessions(customer)


def lock_authorization_code(*, code: str, application: Application) -> None:
    """Lock the OAuth2 grant of the code, if it is still there, until the transaction ends."""
    Grant.objects.select_for_update().filter(code=code, application=application).first()


def token_family_of(refresh_token: str) -> uuid.UUID:
    """The family of a refresh token just issued."""
    return RefreshToken.objects.values_list("token_family", flat=True).get(
        token_checksum=token_checksum(refresh_token), revoked__isnull=True
    )


def record_spent_authorization_code(*, code: str, token_family: uuid.UUID) -> None:
    """Remember that the OAuth2 authorization code was exchanged for this token family."""
    SpentAuthorizationCode.objects.create(code_digest=key_digest(code), token_family=token_family)


def revoke_tokens_of_spent_code(code: str) -> None:
    """If the authorization code was exchanged before, revoke the tokens it was exchanged for."""
    spent = SpentAuthorizationCode.objects.filter(code_digest=key_digest(code)).first()
    if spent is not None:
        RefreshToken.revoke_family(spent.token_family)


class _TokenOwnerQuery:
    """One query for the hottest path of the service: a live token's active customer.

    Written once from the models' metadata rather than compiled by the ORM on every request,
    and read with a plain cursor; the customer is built with the ORM's own conversions
    (``operations.prepared``), so it is the customer the ORM would build.
    """

    def __init__(self) -> None:
        customer, token = Customer._meta, AccessToken._meta
        self.field_names = [field.attname for field in customer.concrete_fields]
        columns = ", ".join(f'c."{field.column}"' for field in customer.concrete_fields)
        self.sql = (
            f'SELECT {columns}, t."id" '  # noqa: S608 (names from the models)
            f'FROM "{customer.db_table}" c JOIN "{token.db_table}" t ON t."user_id" = c."id" '
            f'WHERE t."token_checksum" = %s AND t."expires" > %s AND c."is_active"'
        )
        self._converters: dict[str, list] = {}

    def fetch(self, checksum: str) -> tuple[Customer, int] | None:
        """The customer and the token's id, or None for an unknown or expired token."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [checksum, now])
            row = cursor.fetchone()
        if row is None:
            return None
        *values, access_token_id = row
        if connection.alias not in self._converters:
            self._converters[connection.alias] = column_converters(Customer, connection)
        converters = self._converters[connection.alias]
        customer = instance_from_row(Customer, self.field_names, converters, values, connection)
        return customer, access_token_id


_token_owner = _TokenOwnerQuery()


def customer_for_access_token(token: str) -> tuple[Customer, AccessToken] | None:
    """The active customer a live access token belongs to, in one query."""
    found = _token_owner.fetch(token_checksum(token))
    if found is None:
        return None
    customer, access_token_id = found
    access_token = AccessToken.from_db(
        connection.alias, ["id", "user_id"], [access_token_id, customer.pk]
    )
    return customer, access_token


def change_password(
    *,
    request: HttpRequest,
    customer: Customer,
    current_password: str,
    new_password: str,
    keep: AccessToken | None,
) -> None:
    """Set a new password and revoke every token of the customer but ``keep``.

    The new password has passed the policy already; the current one is checked here, as a log
    in attempt of the account (a stolen token must not test passwords without limit). Browser
    sessions end with the old password's hash.

    The password is checked against the hash read with the token, outside the lock (Argon2 is
    slow on purpose); under the lock, a hash that changed since means another change came
    first, and the password given is no longer the current one: 400 code 408.
    """
    count_login_attempt(request, customer.email)
    checked_hash = customer.password
    if not customer.check_password(current_password):
        record_failed_login(request, customer)
        raise ApiError(ErrorCode.INVALID_PASSWORD, attribute="password")
    login_succeeded(request, customer.email)
    hashed = make_password(new_password)
    with transaction.atomic():
        current = lock_customer_for_write(customer.pk)
        if current.password not in (checked_hash, customer.password):
            raise ApiError(ErrorCode.INVALID_PASSWORD, attribute="password")
        current.password = hashed
        current.save(update_fields=["password", "updated_at"])
        revoke_all_tokens(current, keep=keep)
        record_event(customer=current, event_type=EventType.CUSTOMER_PASSWORD_CHANGED)
        activities.record_activity(
            customer_id=current.pk, activity_type=ActivityType.PASSWORD_CHANGED, request=request
        )


def request_password_restore(*, request: HttpRequest, email: str) -> None:
    """Mail a restore key if an active account has this e-mail; reveal nothing either way.

    Throttled per client IP and per e-mail, known or not. The request itself does the same for
    every e-mail — count the limits, queue one outgoing mail holding the canonical e-mail — so
    neither its answer nor its time tells whether an account exists; the account is looked up
    by the outbox's worker (:func:`restore_key_email`), off the request.
    """
    queue_mail_for_address(
        request=request,
        email=email,
        renderer="auth_api.services.restore_key_email",
        limits=(RESTORE_REQUESTS_BY_IP, RESTORE_REQUESTS_BY_EMAIL),
    )


def restore_key_email(email: str) -> EmailMultiAlternatives | None:
    """Store a new restore key of the active account of ``email`` and answer the mail that
    carries it; None when there is no such account. A new key replaces the older one."""
    customer = Customer.objects.with_email(email).filter(is_active=True).first()
    if customer is None:
        return None
    restore_password_key = new_key()
    _store_restore_key(customer, restore_password_key)
    return restore_password_email(customer, restore_password_key)


def _store_restore_key(customer: Customer, restore_password_key: str) -> None:
    """Replace the customer's key in one statement (INSERT ... ON CONFLICT UPDATE)."""
    key = RestorePasswordKey(
        customer=customer,
        key_digest=key_digest(restore_password_key),
        expires_at=timezone.now() + timedelta(seconds=settings.RESTORE_PASSWORD_KEY_TTL),
    )
    RestorePasswordKey.objects.bulk_create(
        [key],
        update_conflicts=True,
        unique_fields=["customer"],
        update_fields=["key_digest", "created_at", "expires_at", "used_at"],
    )


def _lock_restore_key(restore_password_key: str) -> RestorePasswordKey | None:
    """The usable key and its live customer, both locked (customer first), or None."""
    usable = RestorePasswordKey.objects.usable().filter(key_digest=key_digest(restore_password_key))
    found = usable.first()
    if found is None or lock_live_customer(found.customer_id) is None:
        return None
    return usable.select_for_update().select_related("customer").first()


def restore_password(
    *, restore_password_key: str, password: str, request: HttpRequest | None = None
) -> Customer:
    """Set the password of the key's customer, spend the key and revoke all its tokens."""
    with transaction.atomic():
        restore = _lock_restore_key(restore_password_key)
        if restore is None:
            raise ApiError(ErrorCode.INVALID_RESTORE_KEY, attribute="restore_password_key")
        customer = restore.customer
        # The rules that compare the password with the account, once the key named it.
        check_password_policy(password, customer, attribute="password")
        customer.set_password(password)
        customer.save(update_fields=["password", "updated_at"])
        restore.used_at = timezone.now()
        restore.save(update_fields=["used_at"])
        revoke_all_tokens(customer)
        record_event(customer=customer, event_type=EventType.CUSTOMER_PASSWORD_CHANGED)
        activities.record_activity(
            customer_id=customer.pk, activity_type=ActivityType.PASSWORD_RESTORED, request=request
        )
    return customer


def purge_spent_credentials() -> int:
    """Delete used or expired restore keys, expired tokens and the spent authorization codes
    with no live token left to revoke; answers the keys deleted."""
    deleted, _ = RestorePasswordKey.objects.spent().delete()
    clear_expired()
    SpentAuthorizationCode.objects.without_live_tokens().delete()
    activities.purge_old_activities()
    return deleted
