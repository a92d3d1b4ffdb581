"""What the authorizer knows about an API key, read in one GetItem."""

from dataclasses import dataclass
from datetime import datetime

ACTIVE = "active"
ARCHIVED = "archived"
DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class KeyLookup:
    api_key: str
    account_id: int
    credential_id: int
    secret_hash: str
    scopes: tuple[str, ...]
    status: str
    expires_at: datetime | None

    @property
    def can_authenticate(self) -> bool:
        return self.status == ACTIVE

    def is_expired(self, at: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= at
