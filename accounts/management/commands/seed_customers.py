"""Create many customers with related rows in bulk, for benchmarks and scale tests."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken, set_token_value

from addresses.models import Address
from auth_api.services import TOKEN_SCOPE, first_party_application
from customers.email_address import canonical_email
from customers.models import Customer
from operations.keys import new_key
from relations.models import Relation

SEED_PASSWORD = "seeded customer password"  # noqa: S105 (documented test credential)


class Command(BaseCommand):
    help = (
        "Create COUNT confirmed customers (password: 'seeded customer password') with "
        "--addresses addresses (the first is both defaults) and --relations favorites each, "
        "and with --tokens a token pair each, in bulk inserts of --batch-size customers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--addresses", type=int, default=2)
        parser.add_argument("--relations", type=int, default=2)
        parser.add_argument("--tokens", action="store_true", help="a token pair per customer")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(
        self,
        *args,
        count: int,
        addresses: int,
        relations: int,
        tokens: bool,
        batch_size: int,
        **options,
    ) -> None:
        started = time.monotonic()
        password = make_password(SEED_PASSWORD)  # one hash for all: Argon2 is slow on purpose
        run = uuid.uuid4().hex[:8]
        for first in range(0, count, batch_size):
            numbers = range(first, min(first + batch_size, count))
            with transaction.atomic():
                customers = self._create_customers(numbers, run, password)
                Address.objects.bulk_create(self._addresses(customers, addresses))
                Relation.objects.bulk_create(self._relations(customers, relations))
                if tokens:
                    self._issue_tokens(customers)
            done = numbers.stop
            if done % (batch_size * 20) == 0 or done == count:
                self.stdout.write(f"{done} customers in {time.monotonic() - started:.0f} s")

    def _create_customers(self, numbers: range, run: str, password: str) -> list[Customer]:
        now = timezone.now()
        customers = Customer.objects.bulk_create(
            Customer(
                email=f"seed-{run}-{n}@example.com",
                email_canonical=canonical_email(f"seed-{run}-{n}@example.com"),
                password=password,
                salutation=Customer.Salutation.MR,
                first_name="Seed",
                last_name=f"Customer {n}",
                confirmed_at=now,
            )
            for n in numbers
        )
        # The reference is PREFIX--id; bulk_create skips save(), so set it in one UPDATE.
        prefix = f"{settings.CUSTOMER_REFERENCE_PREFIX}--"
        Customer.objects.filter(pk__in=[c.pk for c in customers]).update(
            customer_reference=Concat(models.Value(prefix), Cast("id", models.CharField()))
        )
        return customers

    @staticmethod
    def _issue_tokens(customers: list[Customer]) -> None:
        """An access token and its refresh token per customer, as a login would store them."""
        application = first_party_application()
        expires = timezone.now() + timedelta(seconds=settings.ACCESS_TOKEN_EXPIRE_SECONDS)
        access_tokens = []
        for customer in customers:
            access_token = AccessToken(
                user=customer, application=application, scope=TOKEN_SCOPE, expires=expires
            )
            set_token_value(access_token, new_key())
            access_tokens.append(access_token)
        AccessToken.objects.bulk_create(access_tokens)
        refresh_tokens = []
        for access_token in access_tokens:
            refresh_token = RefreshToken(
                user=access_token.user,
                application=application,
                access_token=access_token,
                token_family=uuid.uuid4(),
            )
            set_token_value(refresh_token, new_key())
            refresh_tokens.append(refresh_token)
        RefreshToken.objects.bulk_create(refresh_tokens)

    @staticmethod
    def _addresses(customers: list[Customer], per_customer: int) -> list[Address]:
        return [
            Address(
                customer=customer,
                salutation=Customer.Salutation.MR,
                first_name="Seed",
                last_name=customer.last_name,
                address1="Julie-Wolfthorn-Straße",
                address2=str(n + 1),
                zip_code="10115",
                city="Berlin",
                iso2_code="DE",
                is_default_shipping=n == 0,
                is_default_billing=n == 0,
            )
            for customer in customers
            for n in range(per_customer)
        ]

    @staticmethod
    def _relations(customers: list[Customer], per_customer: int) -> list[Relation]:
        return [
            Relation(
                customer=customer,
                domain="product",
                relation_type="favorite",
                ref_id=f"sku-{n}",
                position=n,
            )
            for customer in customers
            for n in range(per_customer)
        ]
