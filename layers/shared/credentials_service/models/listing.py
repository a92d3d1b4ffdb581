"""GET /api/v1/credentials: the query string (a plain dataclass: text in, a 400 per bad value) and the page."""

from dataclasses import dataclass

from credentials_service.domain.credential import Credential
from credentials_service.errors import InvalidRequest
from credentials_service.models.views import CredentialView, ResponseView

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


class CredentialPage(ResponseView):
    total: int
    offset: int
    limit: int
    credentials: list[CredentialView]

    @classmethod
    def of(cls, total: int, offset: int, limit: int, credentials: list[Credential]) -> "CredentialPage":
        views = [CredentialView.of(credential) for credential in credentials]
        return cls(total=total, offset=offset, limit=limit, credentials=views)
