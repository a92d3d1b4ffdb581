"""What responses show of a credential: camelCase keys, every field present, timestamps RFC 3339 with a Z."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from credentials_service.domain.clock import to_rfc3339
from credentials_service.domain.credential import Credential

# Views hold what the wire shows: a timestamp is its RFC 3339 text (a plain str field is also cheaper to
# build at cold start than a datetime with a custom serializer).
Timestamp = str | None


def _shown(value: Any) -> Any:
    return to_rfc3339(value) if isinstance(value, datetime) else value


class ResponseView(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


class CredentialView(ResponseView):
    """A credential as every response shows it: never the secret or its hash."""

    id: int
    account_id: int
    archived: bool
    api_key: str
    date_created: Timestamp
    date_modified: Timestamp
    date_deleted: Timestamp
    created_by: str | None
    modified_by: str | None
    deleted_by: str | None
    archived_by: str | None
    expires_at: Timestamp
    scopes: list[str]

    @classmethod
    def of(cls, credential: Credential, **extra: str) -> "CredentialView":
        """Field for field: the view's fields are named as the credential's (the secret hash is none of them)."""
        fields = {name: _shown(getattr(credential, name)) for name in CredentialView.model_fields}
        return cls(**fields, **extra)
