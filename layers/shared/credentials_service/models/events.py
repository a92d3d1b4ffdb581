"""The signup flow: AccountCreated from EventBridge in, the provisioned account out."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from credentials_service.domain.ids import MAX_ID
from credentials_service.errors import InvalidEvent
from credentials_service.models.bodies import ActorName
from credentials_service.models.create import CreatedCredentialView
from credentials_service.models.validation import describe
from credentials_service.models.views import ResponseView

AccountId = Annotated[StrictInt, Field(gt=0, le=MAX_ID)]


class AccountCreatedDetail(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    account_id: AccountId = Field(alias="accountId")
    created_by: ActorName = Field(default="signup", alias="createdBy")


class AccountCreatedEvent(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    source: Literal["scheduler0.accounts"]
    detail_type: Literal["AccountCreated"] = Field(alias="detail-type")
    detail: AccountCreatedDetail


def parse_account_created(event: Any) -> AccountCreatedDetail:
    """The event's detail, or InvalidEvent naming what is wrong (and nothing is written)."""
    if not isinstance(event, dict):
        raise InvalidEvent("invalid AccountCreated event: not a JSON object")
    try:
        return AccountCreatedEvent.model_validate(event).detail
    except ValidationError as error:
        raise InvalidEvent(f"invalid AccountCreated event: {describe(error)}") from None


class ProvisionedAccountView(ResponseView):
    """The signup function's result: sent once, encrypted, to the signup flow; never logged."""

    account_id: int
    provisioned: bool  # False: an earlier delivery of the same event already provisioned it
    credential: CreatedCredentialView | None
