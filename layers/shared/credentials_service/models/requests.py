"""Request bodies and query strings."""

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    field_validator,
    model_validator,
)

from credentials_service.domain import scopes as scope_rules
from credentials_service.errors import InvalidRequest


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


# Who did it: a user name or id, as upstream Scheduler0 records it.
ActorName = Annotated[StrictStr, StringConstraints(min_length=1, max_length=255), AfterValidator(_not_blank)]


class _Body(BaseModel):
    """Unknown fields are ignored, as clients of other versions may send more."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class CreateCredentialRequest(_Body):
    created_by: ActorName = Field(alias="createdBy")
    scopes: list[StrictStr] | None = None
    expires_in_seconds: StrictInt | None = Field(default=None, alias="expiresInSeconds")
    archived: StrictBool | None = None

    @field_validator("scopes")
    @classmethod
    def _known_and_unique(cls, scopes: list[str] | None) -> list[str] | None:
        for index, scope in enumerate(scopes or []):
            if scope not in scope_rules.ALL_SCOPES:
                raise ValueError(f"unknown scope {scope!r}; allowed: {', '.join(scope_rules.ALL_SCOPES)}")
            if scope in scopes[:index]:
                raise ValueError(f"duplicate scope {scope!r}")
        return scopes


class ArchiveCredentialRequest(_Body):
    archived_by: ActorName = Field(alias="archivedBy")


class DeleteCredentialRequest(_Body):
    deleted_by: ActorName = Field(alias="deletedBy")


# Fields a credential has that no update may change.
IMMUTABLE_FIELDS = ("apiKey", "apiSecret", "plaintextSecret", "id", "accountId", "scopes", "expiresAt")


class UpdateCredentialRequest(_Body):
    modified_by: ActorName = Field(alias="modifiedBy")
    archived: StrictBool | None = None  # omitted: unchanged

    @model_validator(mode="before")
    @classmethod
    def _only_archived_changes(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in IMMUTABLE_FIELDS:
                if name in data:
                    raise ValueError(f"{name} cannot be changed; only archived can")
        return data


ORDER_BY_FIELDS = (
    "id", "date_created", "date_modified", "created_by", "modified_by", "deleted_by", "expires_at",
)
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


@dataclass(frozen=True, slots=True)
class ListCredentialsQuery:
    """Query strings arrive as text; each bad value is a 400 naming the parameter."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    order_by: str = "date_created"
    descending: bool = True

    @classmethod
    def from_query(cls, query: dict[str, str]) -> "ListCredentialsQuery":
        # limit=0 is what the Go and Node clients send when the caller set none.
        limit = _integer(query, "limit", allowed=range(0, MAX_LIMIT + 1), shown="1 and 100") or DEFAULT_LIMIT
        offset = _integer(query, "offset", allowed=range(0, MAX_OFFSET + 1), shown=f"0 and {MAX_OFFSET}")
        order_by = (query.get("orderBy") or "date_created").strip().lower()
        if order_by not in ORDER_BY_FIELDS:
            raise InvalidRequest(f"orderBy must be one of: {', '.join(ORDER_BY_FIELDS)}")
        direction = (query.get("orderByDirection") or "desc").strip().lower()
        if direction not in ("asc", "desc"):
            raise InvalidRequest("orderByDirection must be asc or desc")
        return cls(limit=limit, offset=offset, order_by=order_by, descending=direction == "desc")


def _integer(query: dict[str, str], name: str, allowed: range, shown: str) -> int:
    text = (query.get(name) or "").strip()
    if not text:
        return allowed.start
    digits = text[1:] if text[0] in "+-" else text
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 12 and int(text) in allowed):
        raise InvalidRequest(f"{name} must be an integer between {shown}")
    return int(text)
