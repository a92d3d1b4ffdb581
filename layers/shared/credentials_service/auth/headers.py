"""Request headers as API Gateway hands them to a REQUEST authorizer."""

from typing import Any


class Headers:
    """Case-insensitive, single-valued view. A header sent twice with different values is
    treated as absent-and-suspicious (`conflicting`), never silently resolved to one of them."""

    def __init__(self, event: dict[str, Any]) -> None:
        self._values: dict[str, list[str]] = {}
        for name, values in (event.get("multiValueHeaders") or {}).items():
            self._values.setdefault(name.lower(), []).extend(v for v in values or [] if v is not None)
        for name, value in (event.get("headers") or {}).items():
            if value is not None and name.lower() not in self._values:
                self._values[name.lower()] = [value]

    def get(self, name: str) -> str | None:
        """The header's value stripped of surrounding whitespace; None if absent or blank."""
        values = {value.strip() for value in self._values.get(name.lower(), [])}
        values.discard("")
        return values.pop() if len(values) == 1 else None

    def present(self, name: str) -> bool:
        return any(value.strip() for value in self._values.get(name.lower(), []))

    def conflicting(self, name: str) -> bool:
        return len({value.strip() for value in self._values.get(name.lower(), [])}) > 1
