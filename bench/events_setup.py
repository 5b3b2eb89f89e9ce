"""Data for ``bench/events.py``, run in the app's environment: ``events_setup.py WHAT [ARGS]``.

customers N GROUP: N confirmed customers with a token each (JSON: references and tokens);
login-customers N GROUP PASSWORD: N confirmed customers with that password (JSON: e-mails);
endpoint URL: a webhook endpoint for every event type; events N GROUP: N events over the
group's customers, delivered through the broker after each commit; deliveries: the deliveries'
states and times (JSON); watches CUSTOMERS PER: that many customers watching PER products
each, by SQL (PostgreSQL); reset-watches: forget what was announced, see every product out
of stock, drop queued e-mails.
"""

import json
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from auth_api.services import issue_tokens  # noqa: E402
from customers.models import Customer  # noqa: E402
from events.models import EventType, OutgoingMail, WebhookDelivery, WebhookEndpoint  # noqa: E402
from events.services import record_customer_event  # noqa: E402

PRODUCTS = 100_000


def confirmed_customer(email: str, password: str | None = None) -> Customer:
    customer = Customer(
        email=email,
        salutation="Mr",
        first_name="Bench",
        last_name="Mark",
        confirmed_at=timezone.now(),
    )
    if password is None:
        customer.set_unusable_password()
    else:
        customer.set_password(password)
    customer.save()
    return customer


def customers(count: int, group: str) -> None:
    found = []
    for n in range(count):
        customer = confirmed_customer(f"events-bench-{group}-{n}@example.com")
        found.append((customer.customer_reference, issue_tokens(customer).access_token))
    print(json.dumps(found))


def login_customers(count: int, group: str, password: str) -> None:
    """Confirmed customers who log in with ``password`` (JSON: their e-mail addresses)."""
    emails = [
        confirmed_customer(f"login-bench-{group}-{n}@example.com", password).email
        for n in range(count)
    ]
    print(json.dumps(emails))


def endpoint(url: str) -> None:
    WebhookEndpoint.objects.create(url=url, description="benchmark receiver")


def events(count: int, group: str) -> None:
    targets = list(Customer.objects.filter(email__startswith=f"events-bench-{group}-"))
    for n in range(count):
        with transaction.atomic():
            record_customer_event(
                customer=targets[n % len(targets)], event_type=EventType.CUSTOMER_UPDATED
            )


def deliveries() -> None:
    done = WebhookDelivery.objects.filter(status="delivered")
    times = done.aggregate(first=Min("delivered_at"), last=Max("delivered_at"))
    print(
        json.dumps(
            {
                "pending": WebhookDelivery.objects.filter(status="pending").count(),
                "delivered": done.count(),
                "seconds": (times["last"] - times["first"]).total_seconds()
                if times["first"]
                else 0,
            }
        )
    )


def watches(count: int, per_customer: int) -> None:
    """Customers and their watches by SQL: a million rows in about a minute, not an hour.

    Customer ``c`` watches products ``(c * 7 + k * 10007) % PRODUCTS``; every other watch
    asks for stock, the others for a price of at most 20.00 EUR.
    """
    prefix = "watch-bench-"
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO customers_customer (password, email, email_canonical, salutation,
                first_name, last_name, is_active, is_staff, is_superuser, confirmed_at,
                created_at, updated_at, data_version, session_epoch)
            SELECT '!', %s || n || '@example.com', %s || n || '@example.com', 'Mr', 'Watch',
                'Er', true, false, false, now(), now(), now(), 0, 0
            FROM generate_series(1, %s) AS n
            """,
            [prefix, prefix, count],
        )
        cursor.execute(
            "UPDATE customers_customer SET customer_reference = 'DE--' || id "
            "WHERE customer_reference IS NULL"
        )
        cursor.execute(
            """
            INSERT INTO relations_relation (id, customer_id, domain, relation_type, ref_id,
                config, position, status, notified_state, created_at, updated_at)
            SELECT gen_random_uuid(), c.id, 'product', 'watch',
                'p-' || ((c.id * 7 + k * 10007) %% %s),
                CASE WHEN k %% 2 = 0 THEN '{"stock": "1"}'::jsonb ELSE
                    '{"price": "1", "currency": "EUR", "pricevalue": "20.00"}'::jsonb END,
                k, 1, '', now(), now()
            FROM customers_customer c CROSS JOIN generate_series(0, %s - 1) AS k
            WHERE c.email LIKE %s
            """,
            [PRODUCTS, per_customer, prefix + "%"],
        )
        cursor.execute("ANALYZE")


def reset_watches() -> None:
    """Nothing announced yet, and every product last seen out of stock: the feed's products in
    stock are back in stock (news), not merely seen in stock for the first time."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE relations_relation SET notified_state = '', notified_at = NULL "
            "WHERE notified_state <> ''"
        )
        cursor.execute("TRUNCATE relations_productstock")
        cursor.execute(
            "INSERT INTO relations_productstock (product_id, in_stock, seen_at) "
            "SELECT 'p-' || n, false, now() FROM generate_series(0, %s - 1) AS n",
            [PRODUCTS],
        )
    OutgoingMail.objects.all().delete()


if __name__ == "__main__":
    what, *arguments = sys.argv[1:]
    {
        "customers": lambda: customers(int(arguments[0]), arguments[1]),
        "login-customers": lambda: login_customers(int(arguments[0]), *arguments[1:]),
        "endpoint": lambda: endpoint(arguments[0]),
        "events": lambda: events(int(arguments[0]), arguments[1]),
        "deliveries": deliveries,
        "watches": lambda: watches(int(arguments[0]), int(arguments[1])),
        "reset-watches": reset_watches,
    }[what]()
