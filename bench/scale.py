"""Read latencies at scale: the seeded ``bench`` database against one of a thousand customers.

Run after ``BENCH_SEED_CUSTOMERS=1000000 make bench`` (which leaves ``bench`` seeded):
``.venv/bin/python bench/scale.py``. It seeds ``bench1k`` with 1,000 customers, serves both
databases side by side (document cache on, and off: ``rendered``) and drives the customer's
reads against each in turn, three rounds, so the machine's load falls on both alike. It prints
each read's median p50 on both databases and their ratio (the target: within 20 %).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import bench_server, create_fixtures, psql, to_ms
from bench.servers import AppServer

LARGE = os.environ.get("BENCH_DATABASE", "bench")
SMALL = "bench1k"
SMALL_CUSTOMERS = 1000
ROUNDS = 3
READS = {
    "GET /customers/{ref}": "/customers/{ref}",
    "…?include=addresses,customer-relations": (
        "/customers/{ref}?include=addresses,customer-relations"
    ),
    "GET /customers/{ref}/addresses": "/customers/{ref}/addresses",
}


def server(database: str, *, rendered: bool) -> AppServer:
    app = bench_server(**({"DOCUMENT_CACHE_URL": "dummycache://"} if rendered else {}))
    app.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    return app


def seed_small_database() -> None:
    psql(f"DROP DATABASE IF EXISTS {SMALL}")
    psql(f"CREATE DATABASE {SMALL}")
    app = server(SMALL, rendered=False)
    app.manage("migrate", "-v0")
    app.manage("seed_customers", str(SMALL_CUSTOMERS), "--tokens", "--batch-size", "1000")
    psql("ANALYZE", SMALL)


def p50_ms(app: AppServer, path: str, token: str) -> float:
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            "-c4",
            "-d5s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            app.base + path,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))


def main() -> int:
    seed_small_database()
    servers = {
        (database, rendered): server(database, rendered=rendered)
        for database in (LARGE, SMALL)
        for rendered in (False, True)
    }
    fixtures = {database: create_fixtures(servers[database, False]) for database in (LARGE, SMALL)}
    for app in servers.values():
        app.start()
    latencies: dict[tuple, list[float]] = {}
    try:
        for _ in range(ROUNDS):
            for name, path in READS.items():
                for (database, rendered), app in servers.items():
                    found = fixtures[database]
                    url = path.format(ref=found["reference"])
                    key = (name, rendered, database)
                    latencies.setdefault(key, []).append(p50_ms(app, url, found["access_token"]))
    finally:
        for app in servers.values():
            app.stop()
    worst = 0.0
    for name in READS:
        for rendered in (False, True):
            large = statistics.median(latencies[(name, rendered, LARGE)])
            small = statistics.median(latencies[(name, rendered, SMALL)])
            worst = max(worst, large / small)
            label = f"{name} {'[rendered]' if rendered else ''}"
            print(f"{label:52s} p50 {large:5.2f} ms vs {small:5.2f} ms: {large / small:.2f}x")
    print(f"worst: {worst:.2f}x (target: at most 1.20x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
