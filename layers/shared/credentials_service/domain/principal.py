"""Who is calling: a credential of an account, or the self-hosting operator."""

from dataclasses import dataclass

from credentials_service.domain import scopes as scope_rules
from credentials_service.errors import Forbidden, MissingScope

CREDENTIAL = "credential"
OPERATOR = "operator"


@dataclass(frozen=True, slots=True)
class Principal:
    kind: str  # CREDENTIAL or OPERATOR
    account_id: int
    scopes: tuple[str, ...]
    credential_id: int | None = None

    @property
    def is_operator(self) -> bool:
        return self.kind == OPERATOR

    def require(self, scope: str) -> None:
        if not scope_rules.grants(self.scopes, scope):
            raise MissingScope(scope)

    def require_can_grant(self, requested: tuple[str, ...]) -> None:
        if scope_rules.ADMIN in requested and not (self.is_operator or scope_rules.ADMIN in self.scopes):
            raise Forbidden("only an operator or an admin credential may grant the admin scope")
