"""POST /api/v1/credentials (contract 4.2)."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.callers import Caller

FIELDS = {
    "id", "accountId", "archived", "apiKey", "dateCreated", "dateModified", "dateDeleted", "createdBy",
    "modifiedBy", "deletedBy", "archivedBy", "expiresAt", "scopes",
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def create(gateway, caller, body):
    return gateway.request("POST", "/api/v1/credentials", caller.headers, body)


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_created_credential_has_every_field_and_the_secret_once(gateway, caller):
    response = create(gateway, caller, {"createdBy": "alice"})

    assert response.status == 201
    assert response.body["success"] is True
    data = response.body["data"]
    assert set(data) == FIELDS | {"plaintextSecret", "apiSecret"}
    assert data["plaintextSecret"] == data["apiSecret"]
    assert data["plaintextSecret"].startswith("s0sk_") and data["apiKey"].startswith("s0ak_")
    assert isinstance(data["id"], int) and data["accountId"] == caller.account_id
    assert data["scopes"] == ["read", "write", "execute"]
    assert data["archived"] is False and data["createdBy"] == "alice"
    assert TIMESTAMP.match(data["dateCreated"])
    assert data["expiresAt"] is None  # the template's default lifetime is 0: no expiry
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Request-Id"]


def test_the_new_credential_authenticates(gateway, caller):
    data = create(gateway, caller, {"createdBy": "alice"}).body["data"]
    new = Caller(caller.account_id, data["apiKey"], data["plaintextSecret"])

    assert gateway.request("GET", "/api/v1/credentials", new.headers).status == 200


def test_only_a_hash_of_the_secret_is_stored(gateway, caller, dynamodb, table_name):
    secret = create(gateway, caller, {"createdBy": "alice"}).body["data"]["plaintextSecret"]

    stored = repr(dynamodb.scan(TableName=table_name)["Items"])
    assert secret not in stored
    assert secret[5:20] not in stored
    assert hashlib.sha256(secret.encode()).hexdigest() in stored


def test_ids_increase_within_the_account(gateway, caller):
    first = create(gateway, caller, {"createdBy": "a"}).body["data"]["id"]
    second = create(gateway, caller, {"createdBy": "a"}).body["data"]["id"]
    assert second > first


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [(None, ["read", "write", "execute"]), ([], ["read", "write", "execute"]), (["read"], ["read"]),
     (["execute", "read"], ["read", "execute"])],
)
def test_scopes_default_and_explicit(gateway, caller, scopes, expected):
    response = create(gateway, caller, {"createdBy": "a", "scopes": scopes})
    assert response.status == 201
    assert response.body["data"]["scopes"] == expected


@pytest.mark.parametrize(
    ("body", "message_part"),
    [
        ({}, "createdBy is required"),
        ({"createdBy": ""}, "createdBy must not be empty"),
        ({"createdBy": "   "}, "createdBy"),
        ({"createdBy": 42}, "createdBy must be a string"),
        ({"createdBy": "x" * 256}, "createdBy must be at most 255 characters"),
        ({"createdBy": "a", "scopes": ["read", "fly"]}, "unknown scope 'fly'"),
        ({"createdBy": "a", "scopes": ["read", "read"]}, "duplicate scope 'read'"),
        ({"createdBy": "a", "scopes": "read"}, "scopes must be a list of strings"),
        ({"createdBy": "a", "expiresInSeconds": "300"}, "expiresInSeconds must be an integer"),
        ({"createdBy": "a", "expiresInSeconds": 300.5}, "expiresInSeconds must be an integer"),
        ({"createdBy": "a", "archived": "yes"}, "archived must be a boolean"),
        ("{not json", "request body is not valid JSON"),
        ("[1, 2]", "request body must be a JSON object"),
    ],
)
def test_bad_input_is_a_400_naming_the_problem_and_writes_nothing(gateway, caller, body, message_part):
    response = create(gateway, caller, body)

    assert response.status == 400
    assert response.body["success"] is False
    assert message_part in response.body["data"]
    assert gateway.request("GET", "/api/v1/credentials", caller.headers).body["data"]["total"] == 1


def test_unknown_fields_are_ignored(gateway, caller):
    assert create(gateway, caller, {"createdBy": "a", "colour": "blue"}).status == 201


@pytest.mark.parametrize(("requested", "expected"), [(1, 300), (3600, 3600), (10**12, 90 * 24 * 3600)])
def test_lifetime_is_clamped(gateway, caller, requested, expected):
    data = create(gateway, caller, {"createdBy": "a", "expiresInSeconds": requested}).body["data"]
    lifetime = parse_time(data["expiresAt"]) - parse_time(data["dateCreated"])
    assert lifetime == timedelta(seconds=expected)


def test_default_lifetime_comes_from_the_deployment(gateway, caller, monkeypatch):
    monkeypatch.setenv("DEFAULT_CREDENTIAL_LIFETIME_SECONDS", "86400")
    from credentials_service.config import settings

    settings.cache_clear()
    data = create(gateway, caller, {"createdBy": "a"}).body["data"]
    assert parse_time(data["expiresAt"]) - parse_time(data["dateCreated"]) == timedelta(days=1)
    assert parse_time(data["expiresAt"]) > datetime.now(UTC)


def test_created_archived_is_not_active(gateway, caller):
    data = create(gateway, caller, {"createdBy": "a", "archived": True}).body["data"]
    assert data["archived"] is True
    page = gateway.request("GET", "/api/v1/credentials", caller.headers).body["data"]
    assert page["total"] == 1 and data["id"] not in [c["id"] for c in page["credentials"]]


def test_account_cap_is_a_409_and_nothing_is_written(gateway, caller, monkeypatch):
    monkeypatch.setenv("MAX_ACTIVE_CREDENTIALS_PER_ACCOUNT", "3")
    from credentials_service.config import settings

    settings.cache_clear()
    assert create(gateway, caller, {"createdBy": "a"}).status == 201
    assert create(gateway, caller, {"createdBy": "a"}).status == 201

    refused = create(gateway, caller, {"createdBy": "a"})

    assert refused.status == 409
    assert refused.body == {"data": "an account may hold at most 3 active credentials", "success": False}
    assert gateway.request("GET", "/api/v1/credentials", caller.headers).body["data"]["total"] == 3


def test_read_only_credential_cannot_create(gateway, caller):
    data = create(gateway, caller, {"createdBy": "a", "scopes": ["read"]}).body["data"]
    reader = Caller(caller.account_id, data["apiKey"], data["plaintextSecret"])

    response = create(gateway, reader, {"createdBy": "a"})

    assert response.status == 403
    assert response.body == {"data": "credential missing required scope: write", "success": False}


def test_only_admin_may_grant_admin(gateway, caller):
    refused = create(gateway, caller, {"createdBy": "a", "scopes": ["admin"]})
    assert refused.status == 403

    # An admin credential can only come from an operator or another admin; seed one through the use case.
    from credentials_service.domain.principal import OPERATOR, Principal
    from credentials_service.models.create import CreateCredentialRequest
    from credentials_service.repository.credentials import CredentialRepository
    from credentials_service.usecases.credentials import create_credential

    operator = Principal(OPERATOR, caller.account_id, ("read", "write", "execute", "admin"))
    admin = create_credential(
        operator, CreateCredentialRequest(createdBy="op", scopes=["admin"]), CredentialRepository()
    )
    admin_caller = Caller(caller.account_id, admin.credential.api_key, admin.secret)

    granted = create(gateway, admin_caller, {"createdBy": "a", "scopes": ["admin", "read"]})
    assert granted.status == 201
    assert granted.body["data"]["scopes"] == ["read", "admin"]
