"""``make soak``: minutes of mixed traffic from many simulated customers against gunicorn.

Afterwards the database must hold exactly what the clients believe they created, no request
may have answered 5xx, and the workers' memory must stay flat.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import AppServer

DURATION = float(os.environ.get("SOAK_SECONDS", "180"))
CUSTOMERS = int(os.environ.get("SOAK_CUSTOMERS", "24"))
DATABASE = "soak"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
JSON_API = {"Content-Type": "application/vnd.api+json"}
PASSWORD = "soak test password 2026"
# Memory may grow this much between the first sample after warm-up and the last one.
MEMORY_GROWTH_LIMIT = 0.10


def body(resource_type: str, attributes: dict) -> bytes:
    return json.dumps({"data": {"type": resource_type, "attributes": attributes}}).encode()


def expect(wanted: int, status: int, answer: dict) -> None:
    if status != wanted:
        raise RuntimeError(f"expected {wanted}, got {status}: {answer}")


@dataclass
class SimulatedCustomer:
    """One customer's session; remembers what it believes the service holds for it."""

    app: AppServer
    number: int
    statuses: Counter = field(default_factory=Counter)
    relations: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    properties: int = 0
    reference: str = ""
    headers: dict = field(default_factory=dict)
    refresh_token: str = ""

    def call(self, method: str, path: str, payload: bytes | None = None) -> tuple[int, dict]:
        status, _, raw = self.app.request(method, path, payload, {**JSON_API, **self.headers})
        self.statuses[status] += 1
        return status, json.loads(raw) if raw else {}

    def sign_up(self) -> None:
        email = f"soak{self.number}@example.com"
        attributes = {
            "salutation": "Ms",
            "firstName": "Soak",
            "lastName": f"Customer {self.number}",
            "email": email,
            "password": PASSWORD,
            "confirmPassword": PASSWORD,
            "acceptedTerms": True,
        }
        status, answer = self.call("POST", "/customers", body("customers", attributes))
        expect(201, status, answer)
        self.reference = answer["data"]["id"]
        login = {"username": email, "password": PASSWORD}
        status, answer = self.call("POST", "/access-tokens", body("access-tokens", login))
        expect(201, status, answer)
        self.use_tokens(answer)

    def use_tokens(self, answer: dict) -> None:
        attributes = answer["data"]["attributes"]
        self.headers = {"Authorization": f"Bearer {attributes['accessToken']}"}
        self.refresh_token = attributes["refreshToken"]

    def act(self, rng: random.Random) -> None:
        me = f"/customers/{self.reference}"
        action = rng.choices(
            ["read", "include", "patch", "add", "remove", "property", "list", "refresh", "address"],
            weights=[30, 10, 10, 15, 8, 7, 15, 5, 10],
        )[0]
        if action == "read":
            self.call("GET", me)
        elif action == "include":
            self.call("GET", f"{me}?include=customer-relations,customer-properties")
        elif action == "patch":
            self.call("PATCH", me, body("customers", {"firstName": f"Soak {rng.randrange(999)}"}))
        elif action == "add":
            attributes = {
                "domain": "product",
                "relationType": "favorite",
                "refId": f"sku-{rng.randrange(10**9)}",
            }
            status, answer = self.call(
                "POST", f"{me}/customer-relations", body("customer-relations", attributes)
            )
            if status == 201:
                self.relations.add(answer["data"]["id"])
        elif action == "remove" and self.relations:
            relation = self.relations.pop()
            status, _ = self.call("DELETE", f"{me}/customer-relations/{relation}")
            if status != 204:
                self.relations.add(relation)
        elif action == "property":
            attributes = {
                "propertyType": "note",
                "languageId": None,
                "value": f"n{rng.randrange(10**9)}",
            }
            status, _ = self.call(
                "POST", f"{me}/customer-properties", body("customer-properties", attributes)
            )
            self.properties += status == 201
        elif action == "address":
            self.change_addresses(rng, me)
        elif action == "list":
            self.call("GET", f"{me}/customer-relations?page[limit]=20")
        elif action == "refresh":
            payload = body("refresh-tokens", {"refreshToken": self.refresh_token})
            self.headers = {}
            status, answer = self.call("POST", "/refresh-tokens", payload)
            expect(201, status, answer)
            self.use_tokens(answer)

    def change_addresses(self, rng: random.Random, me: str) -> None:
        """Add an address, make one the default shipping address, or remove one."""
        choice = rng.random()
        if choice < 0.5 or not self.addresses:
            attributes = {
                "salutation": "Ms",
                "firstName": "Soak",
                "lastName": "Customer",
                "address1": "Julie-Wolfthorn-Straße",
                "address2": str(rng.randrange(1, 200)),
                "zipCode": "10115",
                "city": "Berlin",
                "iso2Code": "DE",
            }
            status, answer = self.call("POST", f"{me}/addresses", body("addresses", attributes))
            if status == 201:
                self.addresses.add(answer["data"]["id"])
        elif choice < 0.8:
            address = rng.choice(sorted(self.addresses))
            self.call(
                "PATCH", f"{me}/addresses/{address}", body("addresses", {"isDefaultShipping": True})
            )
        else:
            address = self.addresses.pop()
            status, _ = self.call("DELETE", f"{me}/addresses/{address}")
            if status != 204:
                self.addresses.add(address)

    def run(self, deadline: float) -> None:
        rng = random.Random(self.number)
        self.sign_up()
        while time.monotonic() < deadline:
            self.act(rng)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_database(app: AppServer) -> None:
    for statement in (f"DROP DATABASE IF EXISTS {DATABASE}", f"CREATE DATABASE {DATABASE}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", statement], check=True)
    app.manage("migrate", "-v0")


def database_holds(customers: list[SimulatedCustomer]) -> list[str]:
    """Where the database disagrees with what the clients believe."""
    problems = []
    with psycopg.connect(DATABASE_URL) as connection:
        count = connection.execute("SELECT count(*) FROM customers_customer").fetchone()[0]
        if count != len(customers):
            problems.append(f"{count} customers stored, {len(customers)} registered")
        for customer in customers:
            relations = {
                str(row[0])
                for row in connection.execute(
                    "SELECT r.id FROM relations_relation r "
                    "JOIN customers_customer c ON c.id = r.customer_id "
                    "WHERE c.customer_reference = %s",
                    [customer.reference],
                )
            }
            if relations != customer.relations:
                problems.append(f"{customer.reference}: relations differ")
            addresses = connection.execute(
                "SELECT a.id, a.is_default_shipping, a.is_default_billing FROM addresses_address a "
                "JOIN customers_customer c ON c.id = a.customer_id "
                "WHERE c.customer_reference = %s",
                [customer.reference],
            ).fetchall()
            if {str(row[0]) for row in addresses} != customer.addresses:
                problems.append(f"{customer.reference}: addresses differ")
            if sum(row[1] for row in addresses) > 1 or sum(row[2] for row in addresses) > 1:
                problems.append(f"{customer.reference}: more than one default address")
            properties = connection.execute(
                "SELECT count(*) FROM properties_property p "
                "JOIN customers_customer c ON c.id = p.customer_id "
                "WHERE c.customer_reference = %s",
                [customer.reference],
            ).fetchone()[0]
            if properties != customer.properties:
                problems.append(
                    f"{customer.reference}: {properties} properties, expected {customer.properties}"
                )
    return problems


def main() -> int:
    app = AppServer(
        DATABASE_URL=DATABASE_URL,
        CACHE_URL=os.environ.get("SOAK_CACHE_URL", "redis://127.0.0.1:6379/8"),
        REQUIRE_EMAIL_CONFIRMATION="0",
        REGISTRATION_RATE="100000/h",
        REGISTRATION_ATTEMPT_RATE="100000/h",
        GUNICORN_MAX_REQUESTS="0",
        # A bounded cache grows until it is full, which is not a leak: held small here, the
        # document cache is full before the first memory sample, and any growth after is one.
        DOCUMENT_CACHE_URL="locmemcache://soak-documents?max_entries=100",
    )
    reset_database(app)
    app.start()
    try:
        deadline = time.monotonic() + DURATION
        customers = [SimulatedCustomer(app, n) for n in range(CUSTOMERS)]
        threads = [threading.Thread(target=c.run, args=(deadline,)) for c in customers]
        for thread in threads:
            thread.start()
        workers = worker_pids(app.process.pid)
        samples = []
        warmed_up = time.monotonic() + min(30, DURATION / 5)
        while any(thread.is_alive() for thread in threads):
            if time.monotonic() >= warmed_up:
                samples.append(sum(rss_mib(pid) for pid in workers))
            time.sleep(5)
        for thread in threads:
            thread.join()
    finally:
        app.stop()

    statuses = sum((c.statuses for c in customers), Counter())
    total = sum(statuses.values())
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    growth = (samples[-1] - samples[0]) / samples[0] if len(samples) > 1 else 0.0
    problems = database_holds(customers)
    rate = total / DURATION
    print(f"soak: {CUSTOMERS} customers, {DURATION:.0f} s, {total} requests ({rate:.0f}/s)")
    print(f"statuses: {dict(sorted(statuses.items()))}")
    print(
        f"worker memory: {samples[0]:.1f} MiB -> {samples[-1]:.1f} MiB ({growth:+.1%})"
        if samples
        else "no memory samples"
    )
    print("worker memory every 5 s (MiB): " + " ".join(f"{sample:.0f}" for sample in samples))
    print("database matches the clients" if not problems else "\n".join(problems))
    failed = server_errors or problems or growth > MEMORY_GROWTH_LIMIT
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
