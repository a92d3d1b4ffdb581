"""A credential, its lifetime and its state changes."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from credentials_service.errors import InvalidStateChange

MIN_LIFETIME_SECONDS = 300
MAX_LIFETIME_SECONDS = 90 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Credential:
    account_id: int
    id: int
    api_key: str
    scopes: tuple[str, ...]
    created_by: str
    date_created: datetime
    archived: bool = False
    expires_at: datetime | None = None
    date_modified: datetime | None = None
    modified_by: str | None = None
    archived_by: str | None = None
    date_deleted: datetime | None = None
    deleted_by: str | None = None

    @property
    def is_deleted(self) -> bool:
        return self.date_deleted is not None

    @property
    def is_active(self) -> bool:
        """Active credentials are listed, counted, and held to the last-active rule."""
        return not self.archived and not self.is_deleted

    def is_expired(self, at: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= at


def expiry(requested_seconds: int | None, default_seconds: int, created: datetime) -> datetime | None:
    """Requested lifetimes are clamped to [5 minutes, 90 days]; the default 0 means no expiry."""
    if requested_seconds is None:
        if default_seconds <= 0:
            return None
        seconds = default_seconds
    else:
        seconds = requested_seconds
    seconds = min(max(seconds, MIN_LIFETIME_SECONDS), MAX_LIFETIME_SECONDS)
    return created + timedelta(seconds=seconds)


def archive(credential: Credential, by: str, at: datetime) -> Credential:
    return replace(credential, archived=True, archived_by=by, date_modified=at)


def unarchive(credential: Credential, by: str, at: datetime) -> Credential:
    if credential.is_deleted:
        raise InvalidStateChange("a deleted credential cannot be un-archived")
    if credential.is_expired(at):
        raise InvalidStateChange("an expired credential cannot be un-archived")
    return replace(credential, archived=False, archived_by=None, modified_by=by, date_modified=at)


def touch(credential: Credential, by: str, at: datetime) -> Credential:
    return replace(credential, modified_by=by, date_modified=at)


def delete(credential: Credential, by: str, at: datetime) -> Credential:
    return replace(credential, deleted_by=by, date_deleted=at)
