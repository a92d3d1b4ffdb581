"""Scopes a credential carries, and which scope each HTTP method needs."""

from collections.abc import Iterable

READ = "read"
WRITE = "write"
EXECUTE = "execute"
ADMIN = "admin"

ALL_SCOPES = (READ, WRITE, EXECUTE, ADMIN)
DEFAULT_SCOPES = (READ, WRITE, EXECUTE)

_SCOPE_FOR_METHOD = {"GET": READ, "POST": WRITE, "PUT": WRITE, "DELETE": WRITE, "PATCH": WRITE}


def required_scope(http_method: str) -> str:
    return _SCOPE_FOR_METHOD.get(http_method.upper(), ADMIN)


def grants(held: Iterable[str], needed: str) -> bool:
    """`admin` satisfies every scope."""
    held = set(held)
    return needed in held or ADMIN in held


def normalise(requested: list[str] | None) -> tuple[str, ...]:
    """Absent, null or empty means the default scopes; order is canonical."""
    if not requested:
        return DEFAULT_SCOPES
    return tuple(scope for scope in ALL_SCOPES if scope in requested)
