"""What every request body shares: unknown fields ignored, and who made the change."""

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictStr, StringConstraints

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


class RequestBody(BaseModel):
    """Unknown fields are ignored, as clients of other versions may send more."""

    model_config = ConfigDict(extra="ignore", frozen=True)
