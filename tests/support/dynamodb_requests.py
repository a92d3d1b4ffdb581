"""Requests a DynamoDB client sends, counted at the botocore layer (used by tests and bench/)."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RequestCounter:
    """The requests each function sent, by operation name, and the items they read.

    Items read are what DynamoDB read for us: the items a Query or Scan scanned (before any filter),
    plus one per GetItem that found an item. `current` names the function running, when known.
    """

    current: str | None = None
    calls: list[tuple[str | None, str]] = field(default_factory=list)
    items: dict[str | None, int] = field(default_factory=dict)

    def attach(self, client: Any) -> "RequestCounter":
        client.meta.events.register("before-call.dynamodb", self._before)
        client.meta.events.register("after-call.dynamodb", self._after)
        return self

    def _before(self, model: Any, **_: Any) -> None:
        self.calls.append((self.current, model.name))

    def _after(self, parsed: dict, model: Any, **_: Any) -> None:
        if model.name in ("Query", "Scan"):
            read = parsed.get("ScannedCount", parsed.get("Count", 0))
        elif model.name == "GetItem":
            read = int("Item" in parsed)
        else:
            read = 0
        self.items[self.current] = self.items.get(self.current, 0) + read

    def reset(self) -> None:
        self.calls.clear()
        self.items.clear()

    def requests(self, function: str | None = None) -> list[str]:
        """Operation names in order, of one function or (None) of all."""
        return [operation for caller, operation in self.calls if function is None or caller == function]

    def items_read(self, function: str | None = None) -> int:
        return sum(read for caller, read in self.items.items() if function is None or caller == function)
