"""The query plans behind the benchmark's reads, as PostgreSQL executes them.

Run by ``make bench`` after the load: reads each GET scenario once with the document cache
off, captures its queries and prints ``EXPLAIN (ANALYZE)`` of each distinct one. Token
checksums are replaced by a placeholder in the output.
"""

import os
import re
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DOCUMENT_CACHE_URL"] = "dummycache://"
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

CHECKSUM = re.compile(r"'[0-9a-f]{64}'")
NOW = re.compile(r"'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[.\d]*\+00(:00)?'")


def shown(sql: str) -> str:
    """The statement without its token checksum or the clock, so repeats look the same."""
    return NOW.sub("'<now>'", CHECKSUM.sub("'<checksum>'", sql))


def queries_of(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    return [query["sql"] for query in captured.captured_queries]


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
        return "\n".join(f"    {shown(row[0])}" for row in cursor.fetchall())


def main() -> None:
    access_token, *paths = sys.argv[1:]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {access_token}", HTTP_HOST="127.0.0.1")
    seen: set[str] = set()
    for path in paths:
        for sql in queries_of(client, path):
            if shown(sql) in seen or sql == "SELECT 1":
                continue
            seen.add(shown(sql))
            print(f"-- GET {path}\n{shown(sql)}\n{plan(sql)}\n")


if __name__ == "__main__":
    main()
