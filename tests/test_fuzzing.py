"""Schemathesis against the real server: every operation of /schema, zero 5xx, all conforming.

The test starts gunicorn on a free loopback port with the production settings, against a
database it shares (a fresh SQLite file, or pytest-django's PostgreSQL test database with
committed data), registers and confirms a customer through the API, logs in, and fuzzes every
operation with that customer's token and reference: schemathesis' coverage phase, then
Hypothesis-generated valid and invalid cases. ``DELETE /customers/{customerReference}``
(anonymization) would revoke the token mid-run: it is fuzzed last, with a customer of its own.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import suppress
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

pytestmark = pytest.mark.fuzz

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


class Fuzzer:
    """Sends generated cases as one customer and counts the answers by status class."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.reference = ""
        self.token = ""
        self.statuses: Counter = Counter()

    def send(self, case) -> None:
        if "{customerReference}" in case.path:
            case.path_parameters["customerReference"] = self.reference
        headers = {"Authorization": f"Bearer {self.token}"}
        response = case.call(base_url=self.base_url, headers=headers, timeout=30)
        self.statuses[response.status_code // 100 * 100] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    def cover(self, operation) -> None:
        """Schemathesis' coverage phase: boundaries, missing and wrong-typed values, methods."""
        schema = operation.schema
        for case in schema.iter_coverage_cases(
            operation,
            generation_modes=list(GenerationMode),
            generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
        ):
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
            # "mine" logs the customer out everywhere, which would end the run's token.
            assume((case.path_parameters or {}).get("refreshToken") != "mine")
            self.send(case)

        with suppress(Unsatisfiable):  # nothing to break: no parameters and no body
            run()

    def summary(self) -> str:
        answers = ", ".join(
            f"{n} x {status // 100}xx" for status, n in sorted(self.statuses.items())
        )
        return f"{self.statuses.total()} requests ({answers})"


def test_fuzzing_finds_no_server_error_and_no_unconforming_answer(live_service):
    base_url = live_service.base_url
    started = time.monotonic()
    schema = schemathesis.openapi.from_url(f"{base_url}/schema?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    fuzzer = Fuzzer(base_url)
    customer = live_service.register_and_log_in("fuzzer@example.com")
    fuzzer.reference, fuzzer.token = customer.reference, customer.token
    failures: list[str] = []
    for operation in sorted(operations, key=lambda operation: operation.label == ANONYMIZATION):
        if operation.label == ANONYMIZATION:
            customer = live_service.register_and_log_in("anonymized@example.com")
            fuzzer.reference, fuzzer.token = customer.reference, customer.token
        runs = {"coverage": partial(fuzzer.cover, operation)}
        runs |= {mode.value: partial(fuzzer.fuzz, operation, mode) for mode in EXAMPLES}
        for name, run in runs.items():
            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failures
                failures.append(f"{operation.label} ({name}): {exc}")
    print(
        f"\nfuzzing: {len(operations)} operations, {fuzzer.summary()} "
        f"in {time.monotonic() - started:.0f} s"
    )
    assert len(operations) >= 20
    assert not failures, "\n\n".join(failures)
