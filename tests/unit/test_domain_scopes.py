"""Scopes: defaults, canonical order, what each method needs, and admin above all."""

import pytest

from credentials_service.domain import scopes
from credentials_service.domain.principal import CREDENTIAL, OPERATOR, Principal
from credentials_service.errors import Forbidden, MissingScope


@pytest.mark.parametrize("requested", [None, []])
def test_absent_or_empty_scopes_mean_read_write_execute(requested) -> None:
    assert scopes.normalise(requested) == ("read", "write", "execute")


def test_scopes_are_normalised_to_the_canonical_order() -> None:
    assert scopes.normalise(["execute", "admin", "read"]) == ("read", "execute", "admin")
    assert scopes.normalise(["write"]) == ("write",)


@pytest.mark.parametrize(("method", "needed"), [("GET", "read"), ("get", "read"), ("POST", "write"),
                                                ("PUT", "write"), ("DELETE", "write")])
def test_each_method_needs_its_scope(method: str, needed: str) -> None:
    assert scopes.required_scope(method) == needed


@pytest.mark.parametrize("needed", scopes.ALL_SCOPES)
def test_admin_satisfies_every_scope(needed: str) -> None:
    assert scopes.grants(["admin"], needed)


def test_other_scopes_satisfy_only_themselves() -> None:
    assert scopes.grants(["read"], "read")
    assert not scopes.grants(["read"], "write")
    assert not scopes.grants(["read", "write", "execute"], "admin")
    assert not scopes.grants([], "read")


def test_a_principal_without_the_scope_is_refused_with_the_contract_message() -> None:
    reader = Principal(CREDENTIAL, 1, ("read",), 1)
    reader.require("read")
    with pytest.raises(MissingScope, match="^credential missing required scope: write$"):
        reader.require("write")


def test_only_an_operator_or_an_admin_credential_grants_admin() -> None:
    with pytest.raises(Forbidden):
        Principal(CREDENTIAL, 1, ("read", "write", "execute"), 1).require_can_grant(("read", "admin"))
    Principal(CREDENTIAL, 1, ("admin",), 1).require_can_grant(("admin",))
    Principal(OPERATOR, 1, scopes.ALL_SCOPES).require_can_grant(("admin",))
    Principal(CREDENTIAL, 1, ("write",), 1).require_can_grant(("read", "write"))
