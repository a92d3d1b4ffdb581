"""DELETE /api/v1/credentials/{id}: the body."""

from pydantic import Field

from credentials_service.models.bodies import ActorName, RequestBody


class DeleteCredentialRequest(RequestBody):
    deleted_by: ActorName = Field(alias="deletedBy")
