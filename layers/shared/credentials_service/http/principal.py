"""The principal the authorizer put in the request context; the only source of the account."""

from typing import Any

from credentials_service.domain import scopes
from credentials_service.domain.principal import CREDENTIAL, OPERATOR, Principal
from credentials_service.errors import RequestRejected, Unauthenticated


def principal_from(request_context: dict[str, Any]) -> Principal:
    """Raise the authorizer's rejection if it made one; never trust a header for the account."""
    context = request_context.get("authorizer") or {}
    if context.get("rejectStatus"):
        raise RequestRejected(int(context["rejectStatus"]), str(context.get("rejectMessage", "")))
    kind = context.get("principal")
    try:
        if kind not in (CREDENTIAL, OPERATOR):
            raise ValueError(kind)
        account_id = int(context["accountId"])
        credential_id = int(context["credentialId"]) if context.get("credentialId") else None
    except (KeyError, TypeError, ValueError):
        raise Unauthenticated() from None
    granted = tuple(scope for scope in str(context.get("scopes", "")).split(",") if scope)
    return Principal(kind, account_id, granted, credential_id)


def authorized_principal(request_context: dict[str, Any], http_method: str) -> Principal:
    """GET needs read; POST, PUT and DELETE need write; admin satisfies all."""
    principal = principal_from(request_context)
    principal.require(scopes.required_scope(http_method))
    return principal
