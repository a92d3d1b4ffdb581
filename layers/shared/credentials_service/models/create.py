"""POST /api/v1/credentials: the body, and the one response that holds the secret."""

from pydantic import Field, StrictBool, StrictInt, StrictStr, field_validator

from credentials_service.domain import scopes as scope_rules
from credentials_service.domain.credential import Credential
from credentials_service.models.bodies import ActorName, RequestBody
from credentials_service.models.views import CredentialView


class CreateCredentialRequest(RequestBody):
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


class CreatedCredentialView(CredentialView):
    """Only create (and signup provisioning) returns the secret, once; apiSecret is for older clients."""

    plaintext_secret: str
    api_secret: str

    @classmethod
    def with_secret(cls, credential: Credential, secret: str) -> "CreatedCredentialView":
        return cls.of(credential, plaintext_secret=secret, api_secret=secret)
