"""``make bench``: throughput and latency of the main endpoints under gunicorn, on loopback.

Each endpoint's requests/s is reported as a ratio to a bare Django view (``/health/live``)
measured in the same run, so results from a noisy shared machine stay comparable. The reads
run twice: as served (a repeated read comes from the document cache) and, marked
``[rendered]``, by a second server with the document cache off.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import AppServer

ROOT = Path(__file__).resolve().parent.parent
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "4")
WORKERS = os.environ.get("BENCH_WORKERS", "2")
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "bench")
# Customers seeded besides the benchmark's own (scale tests: 1000 vs 1000000).
SEED_CUSTOMERS = int(os.environ.get("BENCH_SEED_CUSTOMERS", "0"))
# Reuse a database seeded by an earlier run instead of building it again.
KEEP_DATABASE = os.environ.get("BENCH_KEEP_DATABASE") == "1"
JSON_API = "application/vnd.api+json"
UNCACHED = "[rendered]"


@dataclass
class Scenario:
    name: str
    method: str
    path: str
    body: dict | None = None
    authenticated: bool = True
    # Sent with If-None-Match: the entity tag a GET of the path answers just before.
    conditional: bool = False


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def bench_server(**environment: str) -> AppServer:
    return AppServer(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}",
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"),
        WEB_CONCURRENCY=WORKERS,
        # Production logs one access line per request; the benchmark pays for it too.
        LOG_LEVEL="INFO",
        **environment,
    )


def psql(statement: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", statement], check=True
    )


def reset_database(app: AppServer) -> None:
    """A migrated benchmark database (new unless kept), seeded if asked, and an empty cache."""
    env = app.env
    if not KEEP_DATABASE:
        psql(f"DROP DATABASE IF EXISTS {DATABASE_NAME}")
        psql(f"CREATE DATABASE {DATABASE_NAME}")
    app.manage("migrate", "-v0")
    if SEED_CUSTOMERS and not KEEP_DATABASE:
        app.manage("seed_customers", str(SEED_CUSTOMERS), "--tokens", "--batch-size", "10000")
    psql("ANALYZE", DATABASE_NAME)
    subprocess.run(
        ["redis-cli", "-n", env["CACHE_URL"].rsplit("/", 1)[1], "flushdb"],
        check=True,
        capture_output=True,
    )


def run_script(app: AppServer, script: str, *arguments: str) -> str:
    """What a script of ``bench/`` prints, run with the app's environment."""
    return subprocess.run(
        [sys.executable, f"bench/{script}", *arguments],
        cwd=ROOT,
        env=app.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def create_fixtures(app: AppServer) -> dict:
    output = run_script(app, "fixtures.py")
    return json.loads(output.strip().splitlines()[-1])


def scenarios(fixtures: dict) -> list[Scenario]:
    customer = f"/customers/{fixtures['reference']}"
    found = [
        Scenario("bare Django view (floor)", "GET", "/health/live", authenticated=False),
        Scenario("GET /customers/{ref}", "GET", customer),
        Scenario("GET /customers/{ref} If-None-Match → 304", "GET", customer, conditional=True),
    ]
    if fixtures["includes"]:
        include = ",".join(fixtures["includes"])
        found.append(
            Scenario(
                f"GET /customers/{{ref}}?include={include}", "GET", f"{customer}?include={include}"
            )
        )
    if "addresses" in fixtures["includes"]:
        found.append(Scenario("GET /customers/{ref}/addresses", "GET", f"{customer}/addresses"))
    found += [
        Scenario(
            "PATCH /customers/{ref}",
            "PATCH",
            customer,
            {"data": {"type": "customers", "attributes": {"firstName": "Benchmark"}}},
        ),
        Scenario(
            "POST /access-tokens",
            "POST",
            "/access-tokens",
            {
                "data": {
                    "type": "access-tokens",
                    "attributes": {"username": fixtures["email"], "password": fixtures["password"]},
                }
            },
            authenticated=False,
        ),
    ]
    return found


def rendered_reads(found: list[Scenario]) -> list[Scenario]:
    """The customer's reads again, for a server that renders every document."""
    return [
        Scenario(f"{scenario.name} {UNCACHED}", scenario.method, scenario.path)
        for scenario in found
        if scenario.method == "GET" and scenario.authenticated and not scenario.conditional
    ]


def measure(app: AppServer, found: list[Scenario], token: str) -> list[Result]:
    app.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            return [run_wrk(scenario, token, app, Path(folder)) for scenario in found]
    finally:
        app.stop()


def measure_plain_django() -> Result:
    """The same bare view served by Django with no project middleware (bench/plain_django.py)."""
    plain = AppServer(wsgi="bench.plain_django:application")
    floor = Scenario("bare Django view, no project middleware", "GET", "/health/live")
    return measure(plain, [floor], token="")[0]


def explain(app: AppServer, fixtures: dict, found: list[Scenario]) -> str:
    """EXPLAIN ANALYZE of every query the reads run (``bench/explain.py``)."""
    paths = [scenario.path for scenario in rendered_reads(found) if not scenario.conditional]
    return run_script(app, "explain.py", fixtures["access_token"], *paths)


def wrk_script(scenario: Scenario, token: str, app: AppServer, folder: Path) -> Path:
    lines = [f'wrk.method = "{scenario.method}"']
    if scenario.authenticated:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    if scenario.conditional:
        _, headers, _ = app.get(scenario.path, headers={"Authorization": f"Bearer {token}"})
        lines.append(f"wrk.headers[\"If-None-Match\"] = '{headers['ETag']}'")
    if scenario.body is not None:
        lines.append(f'wrk.headers["Content-Type"] = "{JSON_API}"')
        lines.append(f"wrk.body = [[{json.dumps(scenario.body)}]]")
    path = folder / f"{abs(hash(scenario.name))}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(scenario: Scenario, token: str, app: AppServer, folder: Path) -> Result:
    script = wrk_script(scenario, token, app, folder)
    base = app.base
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", str(script)]
    output = subprocess.run(
        [*command, base + scenario.path], check=True, capture_output=True, text=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Result(
        name=scenario.name,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)),
        p99_ms=to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)),
        errors=(int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    )


def count_customers() -> int:
    output = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            DATABASE_NAME,
            "-Atc",
            "SELECT count(*) FROM customers_customer",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(output.strip())


CUSTOMERS_STORED = 0


def git_revision() -> str:
    revision = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    # Results of earlier runs are not changes to what is measured.
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", ".", ":!bench/results"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return revision + ("-dirty" if dirty.strip() else "")


def report(results: list[Result], plain: Result, revision: str) -> dict:
    floor = results[0].requests_per_second
    print(
        f"\nbenchmark at {revision}: {WORKERS} gunicorn workers, "
        f"{CONNECTIONS} connections, {DURATION} each, database {DATABASE_NAME} "
        f"with {CUSTOMERS_STORED} customers"
    )
    print(f"{'endpoint':<70} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'errors':>6}")
    rows = []
    for result in results:
        ratio = result.requests_per_second / floor
        print(
            f"{result.name:<70} {result.requests_per_second:>8.0f} {result.p50_ms:>8.2f} "
            f"{result.p99_ms:>8.2f} {ratio:>6.2f} {result.errors:>6}"
        )
        rows.append({**result.__dict__, "ratio": round(ratio, 3)})
    middleware = floor / plain.requests_per_second
    print(
        f"\n{plain.name}: {plain.requests_per_second:.0f} req/s, p50 {plain.p50_ms:.2f} ms; "
        f"the project's bare view runs at {middleware:.2f}x of it"
    )
    return {
        "revision": revision,
        "workers": WORKERS,
        "connections": CONNECTIONS,
        "duration": DURATION,
        "results": rows,
        "plain_django": {**plain.__dict__, "project_bare_view_ratio": round(middleware, 3)},
    }


def main() -> int:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    app = bench_server()
    reset_database(app)
    fixtures = create_fixtures(app)
    global CUSTOMERS_STORED
    CUSTOMERS_STORED = count_customers()
    found = scenarios(fixtures)
    plain = measure_plain_django()
    results = measure(app, found, fixtures["access_token"])
    # The same reads with the document cache off: what a read costs when the customer's data
    # has just changed (or was never read), every document rendered from the database.
    rendering = bench_server(DOCUMENT_CACHE_URL="dummycache://")
    results += measure(rendering, rendered_reads(found), fixtures["access_token"])
    revision = git_revision()
    summary = report(results, plain, revision)
    out = ROOT / "bench" / "results" / f"{revision}-{CUSTOMERS_STORED}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    plans = out.with_suffix(".explain.txt")
    plans.write_text(explain(app, fixtures, found))
    print(f"\nresults written to {out.relative_to(ROOT)}, query plans to {plans.relative_to(ROOT)}")
    return 1 if any(result.errors for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
