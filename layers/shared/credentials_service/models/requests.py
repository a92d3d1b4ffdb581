"""Request bodies (the list's query string is in models.query, free of pydantic)."""

import unicodedata
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

# Bidirectional overrides and isolates can make an audit field display as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _printable_name(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    if any(unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS for char in value):
        raise ValueError("must not contain control characters")
    return value


# Who did it: a user name or id, as upstream Scheduler0 records it.
ActorName = Annotated[StrictStr, StringConstraints(min_length=1, max_length=255), AfterValidator(_printable_name)]


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
