"""DynamoDB faults injected at the botocore layer, under the retry handler, on the functions' client.

A `before-send` hook answers chosen requests with an error response (or raises a timeout) instead of
sending them, so botocore parses, classifies and retries them exactly as it would real ones; the
backoff sleeps are recorded instead of slept.
"""

import json
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

PREFIX = "com.amazonaws.dynamodb.v20120810#"


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any):
        yield self._data


def error(status: int, code: str, message: str = "injected", **extra: Any) -> Callable[[str], AWSResponse]:
    payload = json.dumps({"__type": PREFIX + code, "message": message, **extra}).encode()

    def respond(url: str) -> AWSResponse:
        return AWSResponse(url, status, {"Content-Type": "application/x-amz-json-1.0",
                                         "x-amzn-RequestId": "injected"}, _Body(payload))

    return respond


def cancelled(*codes: str) -> Callable[[str], AWSResponse]:
    """TransactionCanceledException with one cancellation reason per transaction item."""
    reasons = [{"Code": code} if code == "None" else {"Code": code, "Message": "injected"} for code in codes]
    return error(400, "TransactionCanceledException",
                 f"Transaction cancelled, please refer cancellation reasons for specific reasons [{', '.join(codes)}]",
                 CancellationReasons=reasons)


def raises(exception_type: type[Exception]) -> Callable[[str], AWSResponse]:
    def respond(url: str) -> AWSResponse:
        raise exception_type(endpoint_url=url, error="injected")

    return respond


THROTTLED = error(400, "ProvisionedThroughputExceededException")
THROTTLING = error(400, "ThrottlingException")
REQUEST_LIMIT = error(400, "RequestLimitExceeded")
INTERNAL = error(500, "InternalServerError")
UNAVAILABLE = error(503, "ServiceUnavailable")
CONDITION_FAILED = error(400, "ConditionalCheckFailedException", "The conditional request failed")
CONFLICT = error(400, "TransactionConflictException")
IN_PROGRESS = error(400, "TransactionInProgressException")
VALIDATION = error(400, "ValidationException", "One or more parameter values were invalid: secretHash s0sk_leak")
READ_TIMEOUT = raises(ReadTimeoutError)
CONNECT_TIMEOUT = raises(ConnectTimeoutError)
NO_ENDPOINT = raises(EndpointConnectionError)


@dataclass
class Rule:
    operation: str
    fault: Callable[[str], AWSResponse]
    times: int | None  # None: every matching request
    where: bytes | None  # only requests whose body contains this
    skip: int = 0  # let this many matching requests through first
    hits: int = 0


@dataclass
class Faults:
    rules: list[Rule] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # every attempt, retries included, faulted or not
    faulted: list[str] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    def inject(self, operation: str, fault: Callable[[str], AWSResponse], times: int | None = None,
               where: str | None = None, skip: int = 0) -> Rule:
        rule = Rule(operation, fault, times, where.encode() if where else None, skip)
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()
        self.sent.clear()
        self.faulted.clear()
        self.sleeps.clear()

    def attempts(self, operation: str) -> int:
        return self.sent.count(operation)

    def before_send(self, request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        operation = event_name.rsplit(".", 1)[-1]
        self.sent.append(operation)
        body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
        for rule in self.rules:
            if rule.operation != operation or (rule.where is not None and rule.where not in body):
                continue
            if rule.skip:
                rule.skip -= 1
                continue
            if rule.times is not None and rule.hits >= rule.times:
                continue
            rule.hits += 1
            self.faulted.append(operation)
            return rule.fault(request.url)
        return None


def install(client: Any, monkeypatch: Any) -> Faults:
    import botocore.endpoint

    faults = Faults()
    client.meta.events.register("before-send.dynamodb", faults.before_send)
    # botocore sleeps between retries in botocore.endpoint; record the delays instead.
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=faults.sleeps.append))
    return faults
