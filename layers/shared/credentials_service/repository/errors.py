"""Translate DynamoDB failures into domain errors."""

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from credentials_service.errors import ConcurrentUpdate, DependencyUnavailable, Throttled

_THROTTLING = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}
_CONFLICTS = {"TransactionConflictException", "TransactionInProgressException"}


class TransactionCancelled(Exception):
    """A transaction failed a condition; `reasons` has one code per item, in order ('None' = passed)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons

    def failed(self, index: int) -> bool:
        return index < len(self.reasons) and self.reasons[index] == "ConditionalCheckFailed"


class ConditionFailed(Exception):
    """A single-item write's condition did not hold."""


def error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


@contextmanager
def dynamodb_errors() -> Iterator[None]:
    """Throttling, conflicts and outages become domain errors; failed conditions stay for the caller."""
    try:
        yield
    except ClientError as error:
        translated = _translate(error)
        if translated is error:
            raise
        raise translated from error
    except (ConnectionError, HTTPClientError) as error:
        raise DependencyUnavailable() from error


def _translate(error: ClientError) -> Exception:
    code = error_code(error)
    if code == "TransactionCanceledException":
        reasons = [reason.get("Code") or "None" for reason in error.response.get("CancellationReasons", [])]
        if "ThrottlingError" in reasons:
            return Throttled()
        if "TransactionConflict" in reasons:
            return ConcurrentUpdate()
        return TransactionCancelled(reasons)
    if code == "ConditionalCheckFailedException":
        return ConditionFailed()
    if code in _THROTTLING:
        return Throttled()
    if code in _CONFLICTS:
        return ConcurrentUpdate()
    if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500) >= 500:
        return DependencyUnavailable()
    return error  # a 4xx from DynamoDB is our bug: let it surface as a 500 and in the logs
