"""PUT /api/v1/credentials/{id}: the body; only archived can change."""

from typing import Any

from pydantic import Field, StrictBool, model_validator

from credentials_service.models.bodies import ActorName, RequestBody

# Fields a credential has that no update may change.
IMMUTABLE_FIELDS = ("apiKey", "apiSecret", "plaintextSecret", "id", "accountId", "scopes", "expiresAt")


class UpdateCredentialRequest(RequestBody):
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
