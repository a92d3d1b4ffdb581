"""Make moto's DynamoDB as atomic as the real one.

Real DynamoDB checks a condition and writes in one atomic step, and a transaction is all or
nothing, even under concurrency. moto's backend checks, then writes, then (for a failed transaction)
rolls back by swapping in a copy of the table, with no lock: two concurrent transactions can both
pass their conditions, and a concurrent write can be lost in a rollback. That would let the
last-active-credential race pass locally and fail in production, or the reverse. One process-wide
lock around the backend's writes (and the reads that must not see half a transaction) fixes it.
"""

import functools
import threading
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

_LOCK = threading.RLock()  # re-entrant: transact_write_items calls put_item / update_item / delete_item
_SERIALIZED = (
    "transact_write_items", "put_item", "update_item", "delete_item",
    # Real reads never see half a transaction (GetItem is serializable with transactions).
    "get_item", "query", "scan",
)


def make_moto_dynamodb_atomic() -> None:
    """Idempotent; affects every moto DynamoDB backend in this process (mock_aws and the server)."""
    for name in _SERIALIZED:
        method = getattr(DynamoDBBackend, name)
        if getattr(method, "_local_runner_atomic", False):
            continue
        setattr(DynamoDBBackend, name, _serialized(method))


def _serialized(method: Any) -> Any:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    wrapper._local_runner_atomic = True  # type: ignore[attr-defined]
    return wrapper
