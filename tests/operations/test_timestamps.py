"""Timestamps read from PostgreSQL: parsed by psycopg's compiled loader, as Django reads them."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader

from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

SPELLINGS = [
    "2026-11-30 14:16:57.123456+00",
    "2026-11-30 23:59:59.999999+05:30",
    "0191-03-04 05:06:07+00",
    "9999-12-31 23:59:59.999999+00",
    "2026-03-29 01:30:00-09:30",
]


def _loader_class():
    connection.ensure_connection()
    adapters = connection.connection.adapters
    return adapters.get_loader(adapters.types["timestamptz"].oid, 0)


def test_connections_parse_timestamps_with_the_compiled_loader():
    loader = _loader_class()

    assert issubclass(loader, BaseTzLoader)  # Django's class: its timezone check still holds
    assert loader.timezone == connection.timezone
    assert loader.load is not BaseTzLoader.load


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_each_timestamp_reads_as_djangos_own_loader_reads_it(spelling):
    with connection.cursor() as cursor:
        # The same value twice: parsed by the connection's loader, and as the text it was sent as.
        cursor.execute("SELECT %s::timestamptz, %s::timestamptz::text", [spelling, spelling])
        read, sent_text = cursor.fetchone()

    class DjangosLoader(BaseTzLoader):
        timezone = connection.timezone

    expected = DjangosLoader(0, connection.connection).load(sent_text.encode())
    assert read == expected
    assert read.tzinfo is expected.tzinfo
    assert read.utcoffset().total_seconds() == 0


def test_model_timestamps_round_trip_unchanged():
    moment = datetime(2026, 11, 30, 14, 16, 57, 123456, tzinfo=UTC)
    customer = CustomerFactory()
    Customer.objects.filter(pk=customer.pk).update(created_at=moment, anonymized_at=None)

    read = Customer.objects.get(pk=customer.pk)

    assert read.created_at == moment
    assert read.created_at.tzinfo is connection.timezone
    assert read.anonymized_at is None
