"""Schemathesis against the real server: every operation of /schema, zero 5xx, all conforming.

The test starts gunicorn on a free loopback port with the production settings, against a
database it shares (a fresh SQLite file, or pytest-django's PostgreSQL test database with
committed data), registers and confirms two customers through the API, logs in, and fuzzes
every operation with the first customer's token and reference: schemathesis' coverage phase,
then Hypothesis-generated valid and invalid cases. The coverage phase runs again without a
token, with an unknown token and with the second customer's token, and for each of the four
callers as a browser (``Accept: text/html``), where only the status must conform; these
variants send the coverage phase's valid cases only. ``DELETE
/customers/{customerReference}`` (anonymization) would revoke the token mid-run: it is fuzzed
last, with a customer of its own for each variant that succeeds.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from functools import partial

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jsonapi.schema import ERROR_DOCUMENT
from tests.live_server import Customer, LiveService

# django_db: pytest-django creates the test database only for marked tests, and the server
# shares it (see the live_service fixture).
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

ANONYMIZATION = "DELETE /customers/{customerReference}"
# Examples per operation and generation mode, besides the coverage phase's cases.
EXAMPLES = {GenerationMode.POSITIVE: 60, GenerationMode.NEGATIVE: 30}

_ERROR_DOCUMENT = Draft202012Validator(ERROR_DOCUMENT)


def error_bodies_are_json_api(ctx, response, case) -> bool | None:
    """Every 4xx and 5xx body is a JSON:API error document (health answers plain JSON)."""
    if response.status_code < 400 or case.path.startswith("/health"):
        return None
    try:
        body = response.json()
    except ValueError as exc:
        raise AssertionError(f"Not JSON: {response.content[:200]!r}") from exc
    errors = sorted(_ERROR_DOCUMENT.iter_errors(body), key=str)
    if errors:
        raise AssertionError(f"Not a JSON:API error document: {errors[0].message}")
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    error_bodies_are_json_api,
]
HTML_CHECKS = [not_a_server_error, status_code_conformance]


@dataclass(frozen=True)
class Variant:
    """Who sends an operation's cases, and whether as a JSON client or as a browser.

    Every case names the fuzzing customer's reference, whoever sends it.
    """

    name: str
    caller: str  # "owner", "other" (a second customer), "nobody" or "unknown" (a bad token)
    browser: bool = False
    full: bool = False  # Hypothesis' phases and the coverage phase's invalid cases as well

    @property
    def checks(self) -> list:
        # A browser gets a page, not the documented body: what must hold is the status.
        return HTML_CHECKS if self.browser else CHECKS

    @property
    def coverage_modes(self) -> list[GenerationMode]:
        # Invalid cases would repeat the full variant's: a refused caller is refused before its
        # body is read, and a browser's invalid body fails where a JSON client's does.
        return list(GenerationMode) if self.full else [GenerationMode.POSITIVE]


CALLERS = {
    "owner": "own token",
    "nobody": "no token",
    "unknown": "unknown token",
    "other": "another customer's token",
}
VARIANTS = [Variant(name, caller, full=caller == "owner") for caller, name in CALLERS.items()] + [
    Variant(f"{name}, as a browser", caller, browser=True) for caller, name in CALLERS.items()
]
UNKNOWN_TOKEN = "0123456789abcdef0123456789abcdef"


def logs_out_everywhere(case) -> bool:
    """``DELETE /refresh-tokens/mine`` would end the caller's token for the rest of the run."""
    return (case.path_parameters or {}).get("refreshToken") == "mine"


class Fuzzer:
    """Sends generated cases as one variant and counts the answers by variant and status class."""

    def __init__(self, live_service: LiveService, owner: Customer, other: Customer) -> None:
        self.base_url = live_service.base_url
        self.owner = owner
        self.other = other
        self.variant = VARIANTS[0]
        self.statuses: dict[str, Counter] = {variant.name: Counter() for variant in VARIANTS}
        self.seconds: Counter = Counter()

    def headers(self) -> dict[str, str]:
        token = {
            "owner": self.owner.token,
            "other": self.other.token,
            "unknown": UNKNOWN_TOKEN,
        }.get(self.variant.caller)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if self.variant.browser:
            headers["Accept"] = "text/html"
        return headers

    def send(self, case) -> None:
        if "{customerReference}" in case.path:
            case.path_parameters["customerReference"] = self.owner.reference
        headers = self.headers()
        response = case.call(base_url=self.base_url, headers=headers, timeout=30)
        self.statuses[self.variant.name][response.status_code // 100 * 100] += 1
        case.validate_response(response, checks=self.variant.checks, headers=headers)

    def cover(self, operation) -> None:
        """Schemathesis' coverage phase: boundaries, missing and wrong-typed values, methods."""
        schema = operation.schema
        for case in schema.iter_coverage_cases(
            operation,
            generation_modes=self.variant.coverage_modes,
            generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
        ):
            if not logs_out_everywhere(case):
                self.send(case)

    def fuzz(self, operation, mode: GenerationMode) -> None:
        """Hypothesis-generated cases, a fixed number per operation and mode."""

        @hypothesis_settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy(generation_mode=mode))
        def run(case):
            assume(not logs_out_everywhere(case))
            self.send(case)

        with suppress(Unsatisfiable):  # nothing to break: no parameters and no body
            run()

    def run_operation(self, operation) -> list[str]:
        """The current variant's runs of one operation: the failures, one per failed run."""
        runs = {"coverage": partial(self.cover, operation)}
        if self.variant.full:
            runs |= {mode.value: partial(self.fuzz, operation, mode) for mode in EXAMPLES}
        failures = []
        started = time.monotonic()
        for name, run in runs.items():
            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failures
                failures.append(f"{operation.label} ({self.variant.name}, {name}): {exc}")
        self.seconds[self.variant.name] += time.monotonic() - started
        return failures

    def summary(self) -> str:
        lines = []
        for name, statuses in self.statuses.items():
            answers = ", ".join(
                f"{n} x {status // 100}xx" for status, n in sorted(statuses.items())
            )
            seconds = self.seconds[name]
            lines.append(f"  {name}: {statuses.total()} requests ({answers}) in {seconds:.0f} s")
        total = sum(statuses.total() for statuses in self.statuses.values())
        return "\n".join([f"{total} requests", *lines])


def test_fuzzing_finds_no_server_error_and_no_unconforming_answer(live_service):
    started = time.monotonic()
    schema = schemathesis.openapi.from_url(f"{live_service.base_url}/schema?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    fuzzer = Fuzzer(
        live_service,
        owner=live_service.register_and_log_in("fuzzer@example.com"),
        other=live_service.register_and_log_in("other@example.com"),
    )
    anonymized = itertools.count()
    failures: list[str] = []
    for operation in sorted(operations, key=lambda operation: operation.label == ANONYMIZATION):
        for variant in VARIANTS:
            fuzzer.variant = variant
            if operation.label == ANONYMIZATION and variant.caller == "owner":
                email = f"anonymized-{next(anonymized)}@example.com"
                fuzzer.owner = live_service.register_and_log_in(email)
            failures += fuzzer.run_operation(operation)
    print(
        f"\nfuzzing: {len(operations)} operations, {fuzzer.summary()}\n"
        f"in {time.monotonic() - started:.0f} s"
    )
    assert len(operations) >= 20
    assert not failures, "\n\n".join(failures)
