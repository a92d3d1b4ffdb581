"""Figure 5: cost on paper per million authorized list calls and per million creates.

Prices (us-east-1, list prices, as stated in PRICES below; not fetched live):
- API Gateway REST API: $3.50 per million requests (first 333 million a month).
- Lambda arm64: $0.20 per million requests, $0.0000133334 per GB-second; duration billed in 1 ms steps.
- DynamoDB on-demand, after AWS's price cut of 1 November 2024: $0.125 per million read request
  units, $0.625 per million write request units. A strongly consistent read of up to 4 KB is 1 RRU
  (a Query: the sum of the items' sizes, rounded up to 4 KB); a standard write of up to 1 KB is
  1 WRU; a transactional write is 2 WRU per item per KB.

Durations are the warm durations measured by bench.warm (DynamoDB stubbed), plus an assumed
in-region DynamoDB round trip per request (ASSUMED_LATENCY_MS), then rounded up to the next
millisecond. Memory is the template's MemorySize. Request counts and item sizes come from the code:
the operations' requests as bench.request_counts counts them, items built by the repository's own
mappers and sized by DynamoDB's rules.

With the authorizer cache on, a share of requests (CACHE_HIT_RATE, an assumption) is answered by API
Gateway from its cache: neither the authorizer nor its GetItem runs. The handler always runs.

    python -m bench.cost [--calls 2000] [--write]
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bench.common import emit, ensure_layer_on_path, load_template, percentile, table

ensure_layer_on_path()

PRICES = {
    "api_gateway_rest_per_million": 3.50,
    "lambda_requests_per_million": 0.20,
    "lambda_arm64_per_gb_second": 0.0000133334,
    "dynamodb_rru_per_million": 0.125,
    "dynamodb_wru_per_million": 0.625,
}
PRICE_NOTE = (
    "us-east-1 list prices: API Gateway REST $3.50 per million requests; Lambda arm64 $0.20 per million "
    "requests and $0.0000133334 per GB-s; DynamoDB on-demand $0.125 per million RRU and $0.625 per million "
    "WRU (the prices since AWS's on-demand price cut of 1 November 2024)."
)
CACHE_HIT_RATE = 0.9
CLOUDWATCH_LOGS_PER_GB = 0.50  # ingestion, us-east-1 standard class
LAMBDA_PLATFORM_LOG_BYTES = 300  # START, END and REPORT lines per invocation, an estimate
ASSUMED_LATENCY_MS = {"read": 4.0, "write": 6.0, "transaction": 10.0}
# The DynamoDB requests each function sends for the two operations priced here, as figure 2 counts them
# (tests/perf/test_request_counts.py fails if the code stops sending exactly these).
REQUESTS = {
    "authorizer": ("GetItem",),
    "list": ("GetItem", "Query"),  # the account's maintained count, then one page
    "create": ("UpdateItem", "TransactWriteItems"),  # reserve the id, then credential + key lookup + count
}
_WAIT_KIND = {"GetItem": "read", "Query": "read", "UpdateItem": "write", "TransactWriteItems": "transaction"}
MILLION = 1_000_000


def attribute_size(value: dict[str, Any]) -> int:
    """DynamoDB's documented sizes: strings and binary by length, numbers ~1 byte per 2 digits + 1,
    booleans and nulls 1 byte, lists and maps 3 bytes plus 1 byte per element plus the elements."""
    kind, inner = next(iter(value.items()))
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "N":
        return math.ceil(len(inner.lstrip("-").replace(".", "")) / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + attribute_size(element) for element in inner)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + attribute_size(element) for name, element in inner.items())
    raise ValueError(kind)


def item_size(item: dict[str, dict]) -> int:
    return sum(len(name.encode("utf-8")) + attribute_size(value) for name, value in item.items())


def sample_items() -> dict[str, int]:
    """Sizes in bytes of a typical credential, its key lookup and the account item."""
    from credentials_service.domain import scopes, secrets
    from credentials_service.domain.credential import Credential
    from credentials_service.repository import items, keys

    credential = Credential(
        account_id=123456789, id=42, api_key=secrets.generate_api_key(), scopes=scopes.DEFAULT_SCOPES,
        created_by="alice@example.com", date_created=datetime(2025, 1, 1, tzinfo=UTC),
        expires_at=datetime(2025, 4, 1, tzinfo=UTC),
    )
    account = {**keys.account_key(123456789), "accountId": {"N": "123456789"}, "activeCount": {"N": "10"},
               "nextCredentialId": {"N": "42"}, "provisionedAt": {"S": "2025-01-01T00:00:00.000Z"},
               "provisionedBy": {"S": "signup"}}
    return {
        "credential": item_size(items.credential_item(credential)),
        "key lookup": item_size(items.key_lookup_item(credential, secrets.hash_secret(secrets.generate_secret()))),
        "account": item_size(account),
    }


def rru(size_bytes: int) -> int:
    return max(1, math.ceil(size_bytes / 4096))


def wru(size_bytes: int, transactional: bool = False) -> int:
    return max(1, math.ceil(size_bytes / 1024)) * (2 if transactional else 1)


@dataclass(frozen=True)
class Invocation:
    function: str
    cpu_ms: float  # measured, DynamoDB stubbed
    waits: tuple[str, ...]  # DynamoDB requests it waits for: read, write, transaction

    @property
    def billed_ms(self) -> int:
        return math.ceil(self.cpu_ms + sum(ASSUMED_LATENCY_MS[kind] for kind in self.waits))


@dataclass(frozen=True)
class Operation:
    name: str
    authorizer: Invocation
    handler: Invocation
    authorizer_rru: float
    handler_rru: float
    handler_wru: float


def operations(warm_ms: dict[str, float], sizes: dict[str, int], page: int = 10) -> list[Operation]:
    def invocation(function: str) -> Invocation:
        return Invocation(function, warm_ms[function], tuple(_WAIT_KIND[request] for request in REQUESTS[function]))

    authorizer = invocation("authorizer")
    lookup_rru = rru(sizes["key lookup"])
    return [
        Operation(
            f"authorized list calls (page of {page})",
            authorizer,
            invocation("list"),
            lookup_rru,
            rru(sizes["account"]) + rru(page * sizes["credential"]),  # count GetItem + one Query page
            0,
        ),
        Operation(
            "creates",
            authorizer,
            invocation("create"),
            lookup_rru,
            0,
            # reserve the id (UpdateItem on the account), then a transaction of credential + key lookup + account
            wru(sizes["account"]) + wru(sizes["credential"], True) + wru(sizes["key lookup"], True)
            + wru(sizes["account"], True),
        ),
    ]


def cost_rows(operation: Operation, memory_mb: int, cache_hit_rate: float) -> list[list[str]]:
    """Dollars per million operations, by service, for the cache off and on."""
    gb = memory_mb / 1024

    def per_million(hit_rate: float) -> dict[str, float]:
        authorizer_share = 1 - hit_rate
        invocations = authorizer_share + 1
        gb_seconds = gb * (authorizer_share * operation.authorizer.billed_ms + operation.handler.billed_ms) / 1000
        return {
            "API Gateway (REST)": PRICES["api_gateway_rest_per_million"],
            "Lambda requests": invocations * PRICES["lambda_requests_per_million"],
            "Lambda duration": gb_seconds * MILLION * PRICES["lambda_arm64_per_gb_second"],
            "DynamoDB reads": (authorizer_share * operation.authorizer_rru + operation.handler_rru)
            * PRICES["dynamodb_rru_per_million"],
            "DynamoDB writes": operation.handler_wru * PRICES["dynamodb_wru_per_million"],
        }

    off, on = per_million(0.0), per_million(cache_hit_rate)
    rows = [[service, f"${off[service]:.4f}", f"${on[service]:.4f}"] for service in off]
    rows.append(["**total**", f"**${sum(off.values()):.2f}**", f"**${sum(on.values()):.2f}**"])
    return rows


def warm_inputs(run: Any) -> tuple[dict[str, float], dict[str, float]]:
    """p50 warm durations in ms and log bytes per call, by function, from a bench.warm run."""
    return {name: percentile(run.timings[name], 0.5) / 1000 for name in REQUESTS}, run.log_bytes


def logs_note(ops: list[Operation], log_bytes: dict[str, float]) -> str:
    """CloudWatch Logs ingestion, which the tables leave out."""
    lines = []
    for op in ops:
        for label, authorizer_share in (("cache off", 1.0), ("cache on", 1 - CACHE_HIT_RATE)):
            per_call = (authorizer_share * (log_bytes["authorizer"] + LAMBDA_PLATFORM_LOG_BYTES)
                        + log_bytes[op.handler.function] + LAMBDA_PLATFORM_LOG_BYTES)
            dollars = per_call * MILLION / 1024**3 * CLOUDWATCH_LOGS_PER_GB
            lines.append(f"{op.name}, {label}: {per_call:.0f} B a call, ${dollars:.2f} per million")
    return (
        "Not in the tables: CloudWatch Logs ingestion ($0.50 per GB) of the functions' log and EMF lines "
        f"(measured by bench.warm: authorizer {log_bytes['authorizer']:.0f} B, list {log_bytes['list']:.0f} B, "
        f"create {log_bytes['create']:.0f} B a call) plus Lambda's own START/END/REPORT lines "
        f"(~{LAMBDA_PLATFORM_LOG_BYTES} B an invocation, estimated): " + "; ".join(lines) + ". "
        "Nor X-Ray (`Tracing: Active`: $5.00 per million traces recorded past the free tier, at the default "
        "sampling of 1 request a second plus 5%)."
    )


def render(warm_ms: dict[str, float], log_bytes: dict[str, float], memory: dict[str, int]) -> str:
    sizes = sample_items()
    parts = [
        PRICE_NOTE,
        f"Authorizer cache on: {CACHE_HIT_RATE:.0%} of requests assumed answered from API Gateway's cache "
        "(an assumption: it depends on how often each client repeats its key within the TTL).",
        "Item sizes (DynamoDB's rules, items built by the repository's mappers): "
        + ", ".join(f"{name} {size} B" for name, size in sizes.items()) + ".",
    ]
    ops = operations(warm_ms, sizes)
    duration_rows = []
    for invocation in {op.authorizer for op in ops} | {op.handler for op in ops}:
        waits = " + ".join(f"{kind} {ASSUMED_LATENCY_MS[kind]:g} ms" for kind in invocation.waits)
        duration_rows.append([invocation.function, f"{memory[invocation.function]} MB", f"{invocation.cpu_ms:.3f}",
                              waits, invocation.billed_ms])
    duration_rows.sort()
    parts.append(table(["function", "memory", "measured warm (ms, DB stubbed)", "assumed DynamoDB waits",
                        "billed (ms)"], duration_rows))
    for op in ops:
        memory_mb = memory[op.handler.function]  # every function has the Globals' MemorySize here
        parts.append(f"Per million {op.name}: handler {op.handler_rru:g} RRU + {op.handler_wru:g} WRU, "
                     f"authorizer {op.authorizer_rru:g} RRU when it runs.\n\n"
                     + table(["", "cache off", f"cache on ({CACHE_HIT_RATE:.0%} hits)"],
                             cost_rows(op, memory_mb, CACHE_HIT_RATE)))
    unbilled = {op.name: _one_ms_duration(op, memory) for op in ops}
    parts.append("Billing the measured durations alone (DynamoDB waits left out, so 1 ms each) would make Lambda "
                 "duration " + "; ".join(f"${dollars:.4f} per million {name}" for name, dollars in unbilled.items())
                 + " (cache off): the waits, not our code, dominate it.")
    parts.append(logs_note(ops, log_bytes))
    return "\n\n".join(parts)


def _one_ms_duration(op: Operation, memory: dict[str, int]) -> float:
    gb_ms = (memory[op.authorizer.function] + memory[op.handler.function]) / 1024 * 1
    return gb_ms / 1000 * MILLION * PRICES["lambda_arm64_per_gb_second"]


def memory_sizes() -> dict[str, int]:
    template = load_template()
    by_name = {"authorizer": "AuthorizerFunction", "list": "ListCredentialsFunction",
               "create": "CreateCredentialFunction"}
    return {name: template.functions[logical_id].memory_size for name, logical_id in by_name.items()}


def main(argv: list[str] | None = None, warm_run: Any = None) -> None:
    """`warm_run`: a bench.warm run of the same --calls (python -m bench passes its own), else one is made."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=2000, help="warm calls measured per function")
    parser.add_argument("--write", action="store_true", help="write the section into docs/performance.md")
    args = parser.parse_args(argv)
    if warm_run is None:
        from bench import warm

        warm_run = warm.measure(args.calls, warmup=max(100, args.calls // 10))
    warm_ms, log_bytes = warm_inputs(warm_run)
    body = render(warm_ms, log_bytes, memory_sizes())
    command = " ".join(["python -m bench.cost", *(argv if argv is not None else sys.argv[1:])])
    emit("cost", command, body, args.write)


if __name__ == "__main__":
    main()
