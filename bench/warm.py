"""Figure 3: warm invocations without the DynamoDB round trip.

Each function's module is loaded the way Lambda loads it (tests.support.lambdas.load_handler), its
repository is given a fake DynamoDB client that returns canned items (built by the repository's own
item mappers) at once, and `lambda_handler` is called, decorators and all, with the sample event of
events/ (what API Gateway sends, all its headers and request context) for the bench's caller.
Standard output (the Powertools log lines and EMF metrics, as on Lambda) goes to a
scratch file at the file-descriptor level, so writing them is timed too (and their bytes counted).
After a warm-up, each call is timed on its own with perf_counter_ns; the figures are percentiles
over those calls.

Rows besides the full authorizer show where its time goes: the decision alone (`authenticate` plus
the policy, no Powertools decorators) and the fake key lookup alone.

    python -m bench.warm [--calls 5000] [--warmup 500] [--write]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple

from bench.common import emit, ensure_layer_on_path, function_environment, load_template, percentile, table

ensure_layer_on_path()

from tests.support.callers import Caller  # noqa: E402 - needs the layer on the path
from tests.support.lambdas import lambda_context, load_handler  # noqa: E402
from tests.support.sample_events import load, with_caller  # noqa: E402

GOAL_AUTHORIZER_P50_US = 200
ACCOUNT_ID = 4242
PAGE = 10


class FakeDynamoDB:
    """Answers the repository's requests with canned responses, without a network or moto."""

    def __init__(self, responses: dict[str, Any]) -> None:
        self._responses = responses

    def __getattr__(self, operation: str) -> Callable[..., Any]:
        response = self._responses[operation]
        return lambda **_: response


def _credential(credential_id: int):
    from credentials_service.domain import scopes
    from credentials_service.domain.credential import Credential

    return Credential(
        account_id=ACCOUNT_ID, id=credential_id, api_key=f"s0ak_{credential_id:024d}", scopes=scopes.DEFAULT_SCOPES,
        created_by="bench", date_created=datetime(2025, 1, 1, tzinfo=UTC),
    )


def fixtures() -> dict[str, Any]:
    """A caller's key and secret, and the canned DynamoDB responses each function needs."""
    from dataclasses import replace

    from credentials_service.domain import secrets
    from credentials_service.repository import items

    secret = secrets.generate_secret()
    caller = replace(_credential(1), api_key=secrets.generate_api_key())
    page = [items.credential_item(_credential(number)) for number in range(1, PAGE + 1)]
    return {
        "api_key": caller.api_key,
        "secret": secret,
        "authorizer": {"get_item": {"Item": items.key_lookup_item(caller, secrets.hash_secret(secret))}},
        "list": {
            "get_item": {"Item": {"activeCount": {"N": str(PAGE)}}},
            "query": {"Items": page, "Count": PAGE, "ScannedCount": PAGE},
        },
        "create": {
            "update_item": {"Attributes": {"nextCredentialId": {"N": str(PAGE + 1)}}},
            "transact_write_items": {},
        },
    }


def sample_event(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event file of events/ (what API Gateway sends, headers and request context included), as the
    bench's caller sends it."""
    return with_caller(load(name), Caller(ACCOUNT_ID, data["api_key"], data["secret"]))


@contextmanager
def stdout_to_file() -> Iterator[Any]:
    """The functions' log and metric lines are written (as on Lambda) to a scratch file, whose growth
    tells how many bytes of logs each call produces."""
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as scratch:
        os.dup2(scratch.fileno(), 1)
        try:
            yield scratch
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)


def _written(scratch: Any) -> int:
    sys.stdout.flush()
    return os.fstat(scratch.fileno()).st_size


def time_calls(call: Callable[[], Any], calls: int, warmup: int) -> list[float]:
    """Microseconds per call."""
    for _ in range(warmup):
        call()
    samples = []
    clock = time.perf_counter_ns
    for _ in range(calls):
        started = clock()
        call()
        samples.append((clock() - started) / 1000)
    return samples


@contextmanager
def fake_dynamodb(fake: FakeDynamoDB) -> Iterator[None]:
    """Every client the functions ask for (at init, or per request through CredentialRepository()) is `fake`."""
    from credentials_service.repository import client, credentials

    real = client.dynamodb_client
    client.dynamodb_client = credentials.dynamodb_client = lambda: fake
    try:
        yield
    finally:
        client.dynamodb_client = credentials.dynamodb_client = real


class WarmRun(NamedTuple):
    timings: dict[str, list[float]]  # µs per call, by row
    log_bytes: dict[str, float]  # bytes of log and metric lines per call, by function (bench.cost prices them)


def measure(calls: int, warmup: int) -> WarmRun:
    from credentials_service.auth.authorizer import authenticate
    from credentials_service.auth.headers import Headers
    from credentials_service.auth.policy import allow
    from credentials_service.domain import clock
    from credentials_service.repository.credentials import CredentialRepository

    template = load_template()
    results: dict[str, list[float]] = {}
    log_bytes: dict[str, float] = {}
    with function_environment(template, TABLE_NAME="credentials-bench"), stdout_to_file() as scratch:
        data = fixtures()
        for name, logical_id, event in (
            ("authorizer", "AuthorizerFunction", sample_event("authorizer/allowed.json", data)),
            ("list", "ListCredentialsFunction", sample_event("list_credentials/default.json", data)),
            ("create", "CreateCredentialFunction", sample_event("create_credential/valid.json", data)),
        ):
            with fake_dynamodb(FakeDynamoDB(data[name])):
                handler = load_handler(template.functions[logical_id])
                context = lambda_context(logical_id)
                _check(name, handler(event, context))
                before = _written(scratch)
                results[name] = time_calls(lambda h=handler, e=event, c=context: h(e, c), calls, warmup)
                log_bytes[name] = (_written(scratch) - before) / (calls + warmup)
        repository = CredentialRepository(client=FakeDynamoDB(data["authorizer"]), table_name="bench")
        event = sample_event("authorizer/allowed.json", data)
        results["authorizer decision only"] = time_calls(
            lambda: allow(authenticate(Headers(event), repository.find_key_lookup, None, clock.now()),
                          event["methodArn"], False),
            calls, warmup,
        )
        results["fake key lookup only"] = time_calls(lambda: repository.find_key_lookup(data["api_key"]), calls, warmup)
    return WarmRun(results, log_bytes)


def _check(name: str, response: Any) -> None:
    if name == "authorizer":
        assert response["policyDocument"]["Statement"][0]["Effect"] == "Allow", response
        assert response["context"]["principal"] == "credential", response
    else:
        assert response["statusCode"] in (200, 201), response


def render(results: dict[str, list[float]]) -> str:
    rows = []
    for name, samples in results.items():
        p50 = percentile(samples, 0.5)
        goal = f"p50 < {GOAL_AUTHORIZER_P50_US} µs" if name == "authorizer" else ""
        met = ("yes" if p50 < GOAL_AUTHORIZER_P50_US else "**no**") if goal else ""
        label = {"authorizer": "authorizer `lambda_handler` (Logger + Metrics decorators, log line, EMF)",
                 "list": "list `lambda_handler`, page of 10 (event handler, pydantic views)",
                 "create": "create `lambda_handler` (request model, secret, hash, views)"}.get(name, name)
        rows.append([label, f"{p50:.0f}", f"{percentile(samples, 0.99):.0f}", f"{sum(samples) / len(samples):.0f}",
                     len(samples), goal, met])
    return table(["call (DynamoDB stubbed)", "p50 (µs)", "p99 (µs)", "mean (µs)", "calls", "goal", "met"], rows)


def main(argv: list[str] | None = None) -> WarmRun:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--write", action="store_true", help="write the section into docs/performance.md")
    args = parser.parse_args(argv)
    run = measure(args.calls, args.warmup)
    command = " ".join(["python -m bench.warm", *(argv if argv is not None else sys.argv[1:])])
    emit("warm", command, render(run.timings), args.write)
    return run


if __name__ == "__main__":
    main()
