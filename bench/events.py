"""``make bench`` (second part): what the outbox and the activity log cost, how fast the
outbox delivers.

1. Writes (PATCH /customers/{ref}, POST /customers/{ref}/addresses) with wrk against three
   servers on one database: this checkout with event recording switched off (a copy whose
   ``record_*`` functions do nothing), with events recorded but no endpoint, and with a
   webhook endpoint and the Redis broker (the tasks queue up; no worker competes for the
   cores). Each is measured ``BENCH_WRITE_ROUNDS`` times (5), the servers taking turns; the
   medians are shown, with the ratio of each to the first, in requests a second and in CPU
   per write (the gunicorn workers' and their PostgreSQL backends' CPU time over the run,
   divided by the writes: the cost itself, which the neighbours' load on a shared machine
   does not change as it changes the wall clock).
2. Webhooks delivered per second by one worker (``--concurrency`` 2) to a local receiver,
   and the delay from the change to its arrival (p50, p99) under a steady stream of writes
   (``BENCH_STREAM_RATE`` a second, 20) through gunicorn on the same machine.
3. ``notify_watchers`` over 1,000,000 watches and a 100,000-line feed, with 1 and 2 workers.
4. Logins (``POST /access-tokens``) of 50 customers by turns, with the activity log written
   and with it switched off (a copy whose ``record_activity`` does nothing), as in 1.

Knobs: ``BENCH_DURATION``, ``BENCH_CONNECTIONS``, ``BENCH_WORKERS`` as ``bench/run.py``;
``BENCH_EVENTS`` (events to deliver, 5000), ``BENCH_WATCH_CUSTOMERS`` (100000, ten watches
each), ``BENCH_FEED_LINES`` (100000), ``BENCH_EVENTS_PARTS``
(``writes,delivery,watchers,logins``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import CONNECTIONS, DURATION, WORKERS, git_revision, psql, to_ms
from bench.servers import AppServer, wait_for_port
from tests.events.receiver import LoopbackServer

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "bench_events"
BROKER_URL = "redis://127.0.0.1:6379/8"
QUEUE = "customer-accounts"
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")
EVENTS = int(os.environ.get("BENCH_EVENTS", "5000"))
WATCH_CUSTOMERS = int(os.environ.get("BENCH_WATCH_CUSTOMERS", "100000"))
FEED_LINES = int(os.environ.get("BENCH_FEED_LINES", "100000"))
PARTS = os.environ.get("BENCH_EVENTS_PARTS", "writes,delivery,watchers,logins").split(",")
STREAM_RATE = float(os.environ.get("BENCH_STREAM_RATE", "20"))
WRITE_CUSTOMERS = 200
WRITE_ROUNDS = int(os.environ.get("BENCH_WRITE_ROUNDS", "5"))
JSON_API = "application/vnd.api+json"
ADDRESS = {
    "data": {
        "type": "addresses",
        "attributes": {
            "salutation": "Mrs",
            "firstName": "Anna",
            "lastName": "Kowalska",
            "address1": "Julie-Wolfthorn-Straße",
            "address2": "1",
            "zipCode": "10115",
            "city": "Berlin",
            "iso2Code": "DE",
        },
    }
}


class Server(AppServer):
    """The app under gunicorn from ``root`` (another revision's files, for the baseline)."""

    def __init__(self, root: Path = ROOT, **environment: str) -> None:
        super().__init__(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
            CACHE_URL=CACHE_URL,
            WEB_CONCURRENCY=WORKERS,
            LOG_LEVEL="WARNING",
            **environment,
        )
        self.root = root

    def start(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", "config/gunicorn.py", "config.wsgi:application"],
            cwd=self.root,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        wait_for_port(self.port)
        self.get("/health/live")


def setup(env: dict, *arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "bench/events_setup.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def start_worker(env: dict, concurrency: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def flush_broker() -> None:
    redis.Redis.from_url(BROKER_URL).flushdb()


# --- 1. Writes --------------------------------------------------------------------------------


# Appended to the baseline's events/services.py: every write records nothing.
EVENTS_OFF = """

def _record_nothing(**_arguments):
    return None


record_event = record_customer_event = record_customer_changes = _record_nothing
record_item_event = _record_nothing
"""


def baseline_tree(folder: Path, switched_off: dict[str, str]) -> tuple[Path, str]:
    """This checkout's files with code appended to some modules (``switched_off``: path →
    code), which switches one kind of work off: what a request costs without it, all else
    equal."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    for name, code in switched_off.items():
        with (folder / name).open("a") as module:
            module.write(code)
    return folder, git_revision()


def serving_cpu_seconds(server: Server) -> dict[int, float]:
    """CPU seconds used so far by each gunicorn worker of ``server`` and each PostgreSQL
    backend serving the benchmark database: the work a write costs, whatever the neighbours do
    to the wall clock."""
    backends = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            DATABASE,
            "-Atc",
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    pids = [int(pid) for pid in backends] + children(server.process.pid)
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return used


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def wrk_lua(method: str, customers: list, body: dict | None, folder: Path) -> Path:
    """A wrk script that spreads the requests over the customers (100 addresses at most each);
    ``@N@`` in the body becomes the request's number, so each PATCH changes something."""
    references = ", ".join(json.dumps(reference) for reference, _ in customers)
    tokens = ", ".join(json.dumps(token) for _, token in customers)
    suffix = "/addresses" if method == "POST" else ""
    script = folder / f"{method}.lua"
    script.write_text(
        f"local refs = {{{references}}}\nlocal tokens = {{{tokens}}}\n"
        f"local body = [[{json.dumps(body or {})}]]\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n  local n = (i % #refs) + 1\n"
        f'  return wrk.format("{method}", "/customers/" .. refs[n] .. "{suffix}", '
        f'{{["Authorization"] = "Bearer " .. tokens[n], ["Content-Type"] = "{JSON_API}"}}, '
        '(string.gsub(body, "@N@", tostring(i))))\nend\n'
    )
    return script


def run_wrk(base: str, script: Path) -> dict:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", str(script), base],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)),
        "errors": int(failed.group(1)) if failed else 0,
    }


def writes(folder: Path) -> list[dict]:
    baseline, revision = baseline_tree(folder / "baseline", {"events/services.py": EVENTS_OFF})
    app = Server()
    customers = json.loads(setup(app.env, "customers", str(WRITE_CUSTOMERS), "writes"))
    patch = {"data": {"type": "customers", "attributes": {"firstName": "Bench @N@"}}}
    scripts = {
        "PATCH /customers/{ref}": wrk_lua("PATCH", customers, patch, folder),
        "POST /customers/{ref}/addresses": wrk_lua("POST", customers, ADDRESS, folder),
    }
    configurations = [
        (f"events not recorded ({revision})", Server(root=baseline)),
        ("events, no endpoint", Server()),
        ("events, an endpoint, Redis broker", Server(CELERY_BROKER_URL=BROKER_URL)),
    ]
    receiver = Receiver()
    setup(app.env, "endpoint", receiver.url)

    def prepare(label: str, name: str | None) -> None:
        if name is None:  # a server starts: the endpoint is on for its configuration only
            active = "true" if "endpoint," in label else "false"
            psql(f"UPDATE events_webhookendpoint SET is_active = {active}", DATABASE)  # noqa: S608
        else:
            psql("DELETE FROM addresses_address", DATABASE)

    rows = alternate_rounds(configurations, scripts, prepare, after_server=flush_broker)
    receiver.stop()
    return rows


def alternate_rounds(
    configurations: list[tuple[str, Server]],
    scripts: dict[str, Path],
    prepare=lambda label, name: None,
    after_server=lambda: None,
) -> list[dict]:
    """Each script against each server, ``WRITE_ROUNDS`` times, the servers taking turns so a
    neighbour's load on the shared machine hits each alike: the medians, with the ratio of
    each configuration to the first in requests a second and in CPU per request."""
    samples: dict[tuple[str, str], list[dict]] = {}
    for _ in range(WRITE_ROUNDS):
        for label, server in configurations:
            prepare(label, None)
            server.start()
            try:
                # Warm up: connections to the database and the broker, imports, caches.
                for script in scripts.values():
                    subprocess.run(
                        ["wrk", "-t1", f"-c{CONNECTIONS}", "-d2s", "-s", str(script), server.base],
                        check=True,
                        capture_output=True,
                    )
                for name, script in scripts.items():
                    prepare(label, name)
                    before = serving_cpu_seconds(server)
                    measured = run_wrk(server.base, script)
                    after = serving_cpu_seconds(server)
                    used = sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
                    measured["cpu_ms"] = round(used * 1000 / max(measured["requests"], 1), 3)
                    samples.setdefault((label, name), []).append(measured)
            finally:
                server.stop()
            after_server()
    rows = []
    for (label, name), runs in samples.items():
        row = {"configuration": label, "write": name, "rounds": runs}
        for key in ("rps", "p50", "p99", "cpu_ms"):
            row[key] = statistics.median(run[key] for run in runs)
        row["errors"] = sum(run["errors"] for run in runs)
        rows.append(row)
    for row in rows:
        base = next(r for r in rows if r["write"] == row["write"])
        row["ratio"] = round(row["rps"] / base["rps"], 3)
        row["cpu_ratio"] = round(row["cpu_ms"] / base["cpu_ms"], 3)
    return rows


# --- 4. Logins and the activity log ----------------------------------------------------------

# Appended to the baseline's customers/activities.py: nothing is written to the activity log.
ACTIVITY_OFF = """

def _record_nothing(**_arguments):
    return None


record_activity = record_activity_of_live_customer = _record_nothing
"""
LOGIN_CUSTOMERS = 50
LOGIN_PASSWORD = "a benchmark passphrase"


def login_lua(emails: list[str], folder: Path) -> Path:
    """A wrk script that logs the customers in by turns (``POST /access-tokens``)."""
    names = ", ".join(json.dumps(email) for email in emails)
    script = folder / "login.lua"
    script.write_text(
        f"local emails = {{{names}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        '  local body = \'{"data": {"type": "access-tokens", "attributes": '
        '{"username": "\' .. emails[(i % #emails) + 1] .. '
        f'\'", "password": "{LOGIN_PASSWORD}"}}}}}}\'\n'
        f'  return wrk.format("POST", "/access-tokens", {{["Content-Type"] = "{JSON_API}"}}, '
        "body)\nend\n"
    )
    return script


def logins(folder: Path) -> list[dict]:
    """``POST /access-tokens`` with the activity log written and with it switched off."""
    baseline, revision = baseline_tree(
        folder / "activity-off", {"customers/activities.py": ACTIVITY_OFF}
    )
    app = Server()
    emails = json.loads(
        setup(app.env, "login-customers", str(LOGIN_CUSTOMERS), "logins", LOGIN_PASSWORD)
    )
    scripts = {"POST /access-tokens": login_lua(emails, folder)}
    configurations = [
        (f"activity log off ({revision})", Server(root=baseline)),
        ("activity log on", Server()),
    ]
    return alternate_rounds(configurations, scripts)


# --- 2. Delivery ------------------------------------------------------------------------------


class Receiver(LoopbackServer):
    """Answers 204 to every POST and notes when each event arrived after it happened."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.count = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                happened = datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))
                receiver.delays.append(time.time() - happened.timestamp())
                receiver.count += 1
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self._serve_from_thread(ThreadingHTTPServer(("127.0.0.1", 0), Handler))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def delivery() -> dict:
    app = Server(CELERY_BROKER_URL=BROKER_URL)
    psql("TRUNCATE events_event, events_webhookendpoint CASCADE", DATABASE)
    flush_broker()
    receiver = Receiver()
    setup(app.env, "endpoint", receiver.url)
    customers = json.loads(setup(app.env, "customers", "100", "delivery"))
    # Throughput: the events wait in the queue, then one worker delivers them all.
    setup(app.env, "events", str(EVENTS), "delivery")
    worker = start_worker(app.env, 2)
    try:
        while json.loads(setup(app.env, "deliveries"))["pending"]:
            time.sleep(1)
        throughput = json.loads(setup(app.env, "deliveries"))
        # Tasks whose delivery a task before them made (the customer's next events) are
        # still queued; they find nothing to do, but the stream would queue behind them.
        while redis.Redis.from_url(BROKER_URL).llen(QUEUE):
            time.sleep(0.5)
        # Delay: a steady stream of writes through the API while the worker delivers.
        receiver.delays.clear()
        app.start()
        try:
            stream(app.base, customers, seconds=20, per_second=STREAM_RATE)
        finally:
            app.stop()
        time.sleep(5)
    finally:
        stop(worker)
        receiver.stop()
    return {
        "events": throughput["delivered"],
        "seconds": throughput["seconds"],
        "events_per_second": round(throughput["delivered"] / max(throughput["seconds"], 1e-9)),
        "stream_events": len(receiver.delays),
        "delay_p50_ms": round(percentile(receiver.delays, 0.5) * 1000, 1),
        "delay_p99_ms": round(percentile(receiver.delays, 0.99) * 1000, 1),
    }


def stream(base: str, customers: list, *, seconds: float, per_second: float) -> None:
    """PATCH the customers in turn at a steady rate, each time with a new name."""
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < seconds:
        reference, token = customers[n % len(customers)]
        # A new name each time: a PATCH that changes nothing records no event.
        attributes = {"firstName": f"Stream {n}"}
        body = json.dumps({"data": {"type": "customers", "attributes": attributes}})
        request = urllib.request.Request(
            f"{base}/customers/{reference}",
            data=body.encode(),
            method="PATCH",
            headers={"Authorization": f"Bearer {token}", "Content-Type": JSON_API},
        )
        urllib.request.urlopen(request, timeout=10).read()
        n += 1
        pause = started + n / per_second - time.monotonic()
        if pause > 0:
            time.sleep(pause)


# --- 3. notify_watchers -----------------------------------------------------------------------


def write_feed(path: Path) -> None:
    """Every 50th product back in stock, every 50th (another) at 15.00 EUR, the rest unchanged."""
    with path.open("w") as feed:
        for n in range(FEED_LINES):
            offer = {"productId": f"p-{n}", "currency": "EUR", "price": "25.00", "inStock": False}
            if n % 50 == 0:
                offer["inStock"] = True
            if n % 50 == 25:
                offer["price"] = "15.00"
            feed.write(json.dumps(offer) + "\n")


def watchers(folder: Path) -> list[dict]:
    app = Server(CELERY_BROKER_URL=BROKER_URL, EMAIL_URL="dummymail://")
    psql("TRUNCATE events_event, events_webhookendpoint CASCADE", DATABASE)
    setup(app.env, "watches", str(WATCH_CUSTOMERS), "10")
    feed = folder / "feed.jsonl"
    write_feed(feed)
    rows = []
    for workers in (1, 2):
        setup(app.env, "reset-watches")
        flush_broker()
        running = [start_worker(app.env, 1) for _ in range(workers)]
        try:
            started = time.monotonic()
            output = subprocess.run(
                [sys.executable, "manage.py", "notify_watchers", str(feed)],
                cwd=ROOT,
                env=app.env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            rows.append(
                {
                    "workers": workers,
                    "seconds": round(time.monotonic() - started, 1),
                    "output": output,
                }
            )
        finally:
            for process in running:
                stop(process)
    flush_broker()
    return rows


def main() -> int:
    app = Server()
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    app.manage("migrate", "-v0")
    app.manage("createcachetable")
    revision = git_revision()
    summary: dict = {"revision": revision, "workers": WORKERS, "connections": CONNECTIONS}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "baseline").mkdir()
        if "writes" in PARTS:
            summary["writes"] = writes(folder)
            print(f"\nwrites at {revision} ({WORKERS} gunicorn workers, {CONNECTIONS} connections)")
            header = ("configuration", "write", "req/s", "p50 ms", "p99 ms", "ratio")
            header += ("CPU ms", "ratio", "errors")
            print("{:<40} {:<34} {:>7} {:>7} {:>7} {:>6} {:>7} {:>6} {:>6}".format(*header))
            for row in summary["writes"]:
                print(
                    f"{row['configuration']:<40} {row['write']:<34} {row['rps']:>7.0f} "
                    f"{row['p50']:>7.2f} {row['p99']:>7.2f} {row['ratio']:>6.2f} "
                    f"{row['cpu_ms']:>7.2f} {row['cpu_ratio']:>6.2f} {row['errors']:>6}"
                )
        if "logins" in PARTS:
            summary["logins"] = logins(folder)
            print(f"\nlogins at {revision} ({WORKERS} gunicorn workers, {CONNECTIONS} connections)")
            for row in summary["logins"]:
                print(
                    f"{row['configuration']:<40} {row['rps']:>7.1f} req/s, p50 {row['p50']:.1f} ms"
                    f" ({row['ratio']:.2f}), CPU {row['cpu_ms']:.1f} ms per login "
                    f"({row['cpu_ratio']:.2f}), {row['errors']} errors"
                )
        if "delivery" in PARTS:
            summary["delivery"] = delivery()
            d = summary["delivery"]
            print(
                f"\nwebhooks: {d['events']} events delivered by one worker in {d['seconds']:.1f} s "
                f"= {d['events_per_second']}/s; end-to-end delay over {d['stream_events']} "
                f"events at {STREAM_RATE:g} writes/s: "
                f"p50 {d['delay_p50_ms']} ms, p99 {d['delay_p99_ms']} ms"
            )
        if "watchers" in PARTS:
            summary["watchers"] = watchers(folder)
            for row in summary["watchers"]:
                seconds, output = row["seconds"], row["output"]
                print(f"\nnotify_watchers, {row['workers']} worker(s): {seconds} s: {output}")
    out = ROOT / "bench" / "results" / f"events-{revision}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nresults written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
