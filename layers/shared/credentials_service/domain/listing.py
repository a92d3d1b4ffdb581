"""Orders of the credentials list other than the default one (which the table's index serves)."""

from collections.abc import Callable
from typing import Any

from credentials_service.domain.credential import Credential

_SORT_FIELDS: dict[str, Callable[[Credential], Any]] = {
    "id": lambda credential: credential.id,
    "date_created": lambda credential: credential.date_created,
    "date_modified": lambda credential: credential.date_modified,
    "created_by": lambda credential: credential.created_by,
    "modified_by": lambda credential: credential.modified_by,
    "deleted_by": lambda credential: credential.deleted_by,
    "expires_at": lambda credential: credential.expires_at,
}


def sort_credentials(credentials: list[Credential], order_by: str, descending: bool) -> list[Credential]:
    """Nulls sort last ascending and first descending (as in SQL); ties break on id."""
    field = _SORT_FIELDS[order_by]

    def key(credential: Credential) -> tuple:
        value = field(credential)
        return (value is None, value if value is not None else 0, credential.id)

    return sorted(credentials, key=key, reverse=descending)
