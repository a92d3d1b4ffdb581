"""GET, PUT and DELETE /api/v1/credentials/{id} (contract 4.4-4.6) and the healthcheck."""

import pytest

from tests.support.callers import Caller

FIELDS = {
    "id", "accountId", "archived", "apiKey", "dateCreated", "dateModified", "dateDeleted", "createdBy",
    "modifiedBy", "deletedBy", "archivedBy", "expiresAt", "scopes",
}


def create(gateway, caller, **extra):
    data = gateway.request("POST", "/api/v1/credentials", caller.headers, {"createdBy": "a", **extra}).body["data"]
    return Caller(caller.account_id, data["apiKey"], data["plaintextSecret"]), data["id"]


def item(credential_id):
    return f"/api/v1/credentials/{credential_id}"


def test_get_returns_the_credential_without_secret(gateway, caller):
    _, other_id = create(gateway, caller)

    response = gateway.request("GET", item(other_id), caller.headers)

    assert response.status == 200
    assert set(response.body["data"]) == FIELDS
    assert response.body["data"]["id"] == other_id


def test_get_shows_archived_but_not_deleted(gateway, caller):
    _, archived_id = create(gateway, caller)
    _, deleted_id = create(gateway, caller)
    gateway.request("POST", f"{item(archived_id)}/archive", caller.headers, {"archivedBy": "bob"})
    gateway.request("DELETE", item(deleted_id), caller.headers, {"deletedBy": "bob"})

    archived = gateway.request("GET", item(archived_id), caller.headers).body["data"]
    assert archived["archived"] is True and archived["archivedBy"] == "bob" and archived["dateModified"]
    deleted = gateway.request("GET", item(deleted_id), caller.headers)
    assert deleted.status == 404 and deleted.body == {"data": "credential not found", "success": False}


def test_get_of_another_account_is_404(gateway, caller, new_account):
    other = new_account()
    assert gateway.request("GET", item(1), other.headers).status == 200
    _, theirs = create(gateway, other)
    assert gateway.request("GET", item(theirs), caller.headers).status == 404


def test_update_records_who_and_leaves_archived_alone_when_omitted(gateway, caller):
    _, other_id = create(gateway, caller)

    response = gateway.request("PUT", item(other_id), caller.headers, {"modifiedBy": "carol"})

    data = response.body["data"]
    assert response.status == 200 and data["modifiedBy"] == "carol" and data["dateModified"]
    assert data["archived"] is False


def test_update_archives_and_unarchives(gateway, caller):
    other, other_id = create(gateway, caller)

    archived = gateway.request("PUT", item(other_id), caller.headers, {"modifiedBy": "c", "archived": True})
    assert archived.status == 200 and archived.body["data"]["archived"] is True
    assert gateway.request("GET", "/api/v1/credentials", other.headers).status == 401

    restored = gateway.request("PUT", item(other_id), caller.headers, {"modifiedBy": "c", "archived": False})
    assert restored.status == 200 and restored.body["data"]["archived"] is False
    assert gateway.request("GET", "/api/v1/credentials", other.headers).status == 200
    assert gateway.request("GET", "/api/v1/credentials", caller.headers).body["data"]["total"] == 2


def test_update_cannot_archive_the_last_active(gateway, caller):
    response = gateway.request("PUT", item(1), caller.headers, {"modifiedBy": "c", "archived": True})
    assert response.status == 409
    assert response.body["data"] == "an account must keep at least one active credential"


def test_update_cannot_change_the_key(gateway, caller):
    response = gateway.request("PUT", item(1), caller.headers, {"modifiedBy": "c", "apiKey": "s0ak_x"})
    assert response.status == 400 and "apiKey" in response.body["data"]


def test_unarchiving_deleted_or_expired_is_409(gateway, caller, expire):
    _, deleted_id = create(gateway, caller)
    gateway.request("PUT", item(deleted_id), caller.headers, {"modifiedBy": "c", "archived": True})
    gateway.request("DELETE", item(deleted_id), caller.headers, {"deletedBy": "c"})
    assert gateway.request("PUT", item(deleted_id), caller.headers,
                           {"modifiedBy": "c", "archived": False}).status == 409

    expiring, expired_id = create(gateway, caller, expiresInSeconds=300)
    gateway.request("PUT", item(expired_id), caller.headers, {"modifiedBy": "c", "archived": True})
    expire(caller.account_id, expired_id, expiring.api_key)
    response = gateway.request("PUT", item(expired_id), caller.headers, {"modifiedBy": "c", "archived": False})
    assert response.status == 409 and "expired" in response.body["data"]


def test_delete_is_soft_hidden_and_final(gateway, caller, dynamodb, table_name):
    other, other_id = create(gateway, caller)

    response = gateway.request("DELETE", item(other_id), caller.headers, {"deletedBy": "dave"})

    assert response.status == 204 and response.body is None
    assert gateway.request("GET", "/api/v1/credentials", other.headers).status == 401
    assert gateway.request("GET", item(other_id), caller.headers).status == 404
    assert gateway.request("GET", "/api/v1/credentials", caller.headers).body["data"]["total"] == 1
    again = gateway.request("DELETE", item(other_id), caller.headers, {"deletedBy": "dave"})
    assert again.status == 204
    # Kept for audit, with who and when.
    stored = dynamodb.get_item(TableName=table_name, Key={
        "pk": {"S": f"ACCOUNT#{caller.account_id}"}, "sk": {"S": f"CREDENTIAL#{other_id:012d}"}})["Item"]
    assert stored["deletedBy"] == {"S": "dave"} and "dateDeleted" in stored


def test_deleting_an_archived_credential_keeps_the_count(gateway, caller):
    _, other_id = create(gateway, caller)
    gateway.request("POST", f"{item(other_id)}/archive", caller.headers, {"archivedBy": "a"})
    assert gateway.request("DELETE", item(other_id), caller.headers, {"deletedBy": "a"}).status == 204
    assert gateway.request("GET", "/api/v1/credentials", caller.headers).body["data"]["total"] == 1
    assert gateway.request("DELETE", item(1), caller.headers, {"deletedBy": "a"}).status == 409


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_bodies_are_required(gateway, caller, method):
    response = gateway.request(method, item(1), caller.headers, {})
    assert response.status == 400
    assert response.body["data"] == ("modifiedBy is required" if method == "PUT" else "deletedBy is required")


def test_unknown_ids_are_404(gateway, caller):
    assert gateway.request("GET", item(404), caller.headers).status == 404
    assert gateway.request("PUT", item(404), caller.headers, {"modifiedBy": "a"}).status == 404
    assert gateway.request("DELETE", item(404), caller.headers, {"deletedBy": "a"}).status == 404


def test_read_only_credential_reads_but_cannot_write(gateway, caller):
    reader, _ = create(gateway, caller, scopes=["read"])
    assert gateway.request("GET", item(1), reader.headers).status == 200
    for method, body in (("PUT", {"modifiedBy": "a"}), ("DELETE", {"deletedBy": "a"})):
        response = gateway.request(method, item(1), reader.headers, body)
        assert response.status == 403
        assert response.body["data"] == "credential missing required scope: write"


def test_write_only_credential_cannot_read(gateway, caller):
    writer, _ = create(gateway, caller, scopes=["write"])
    response = gateway.request("GET", item(1), writer.headers)
    assert response.status == 403 and response.body["data"] == "credential missing required scope: read"


def test_healthcheck_needs_no_auth(gateway):
    response = gateway.request("GET", "/api/v1/healthcheck")
    assert response.status == 200 and response.body["success"] is True
    assert response.invoked == ["HealthcheckFunction"]
