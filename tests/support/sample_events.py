"""The sample events of events/, with their placeholders swapped for a real caller (tests and bench)."""

import copy
import json
from pathlib import Path
from typing import Any

from tests.support.callers import Caller

EVENTS = Path(__file__).resolve().parents[2] / "events"
PLACEHOLDER_KEY = "s0ak_REPLACEwithYOURapiKey000"
PLACEHOLDER_SECRET = "s0sk_REPLACEwithTHEsecretTHElocalRUNNERprints0003Fgqzk"  # noqa: S105 - a placeholder
SECRET_HEADERS = ("x-secret-key", "x-api-secret")


def load(name: str) -> dict[str, Any]:
    """An event file, by its path under events/."""
    return json.loads((EVENTS / name).read_text())


def set_header(event: dict[str, Any], names: tuple[str, ...], value: str) -> None:
    """Replace the value of headers the event already has (never adds one)."""
    for header in list(event.get("headers") or {}):
        if header.lower() in names:
            event["headers"][header] = value
    for header in list(event.get("multiValueHeaders") or {}):
        if header.lower() in names:
            event["multiValueHeaders"][header] = [value]


def with_caller(event: dict[str, Any], caller: Caller, *, secret: bool = True) -> dict[str, Any]:
    """A copy of `event` as `caller` would send it (and, for a handler's event, as the authorizer allowed it)."""
    event = copy.deepcopy(event)
    set_header(event, ("x-api-key",), caller.api_key)
    set_header(event, ("x-account-id",), str(caller.account_id))
    if secret:
        set_header(event, SECRET_HEADERS, caller.secret)
    context = event.get("requestContext", {}).get("authorizer")
    if context and "accountId" in context:
        context["accountId"] = str(caller.account_id)
        context["principalId"] = f"credential:{caller.account_id}:{context['credentialId']}"
    return event
