"""POST /api/v1/credentials/{id}/archive: the body."""

from pydantic import Field

from credentials_service.models.bodies import ActorName, RequestBody


class ArchiveCredentialRequest(RequestBody):
    archived_by: ActorName = Field(alias="archivedBy")
