"""Get, update, delete and the healthcheck: the routes that came after the first three."""

import pytest
import requests
from scheduler0 import Client
from scheduler0.types import CredentialDeleteRequestBody, CredentialUpdateRequestBody

pytestmark = pytest.mark.e2e
TIMEOUT = 30


def call(account, method, path, body=None, headers=None):
    return requests.request(method, f"{account.base_url}/api/v1/credentials{path}", json=body, timeout=TIMEOUT,
                            headers=account.headers if headers is None else headers)


def create(account):
    response = call(account, "POST", "", {"createdBy": "e2e"})
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_the_healthcheck_needs_no_credentials(account):
    response = requests.get(f"{account.base_url}/api/v1/healthcheck", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.json()["success"] is True


def test_get_returns_archived_credentials_and_404_for_unknown_ones(account):
    created = create(account)
    got = call(account, "GET", f"/{created['id']}").json()["data"]
    assert got["apiKey"] == created["apiKey"] and "plaintextSecret" not in got
    call(account, "POST", f"/{created['id']}/archive", {"archivedBy": "e2e"})
    assert call(account, "GET", f"/{created['id']}").json()["data"]["archived"] is True
    response = call(account, "GET", "/424242")
    assert (response.status_code, response.json()) == (404, {"data": "credential not found", "success": False})


def test_update_archives_and_unarchives_and_refuses_to_change_the_key(account):
    created = create(account)
    archived = call(account, "PUT", f"/{created['id']}", {"modifiedBy": "e2e", "archived": True})
    assert archived.status_code == 200 and archived.json()["data"]["archived"] is True
    restored = call(account, "PUT", f"/{created['id']}", {"modifiedBy": "e2e", "archived": False})
    assert restored.json()["data"]["archived"] is False
    unchanged = call(account, "PUT", f"/{created['id']}", {"modifiedBy": "e2e"})
    assert unchanged.json()["data"]["archived"] is False  # omitted means unchanged
    assert call(account, "PUT", f"/{created['id']}", {"modifiedBy": "e2e", "apiKey": "x"}).status_code == 400


def test_delete_takes_a_body_hides_the_credential_and_keeps_the_last_active(account):
    created = create(account)
    assert call(account, "DELETE", f"/{created['id']}", {"deletedBy": "e2e"}).status_code == 204
    assert call(account, "DELETE", f"/{created['id']}", {"deletedBy": "e2e"}).status_code == 204
    assert call(account, "GET", f"/{created['id']}").status_code == 404
    deleted = account.with_key(created["apiKey"], created["plaintextSecret"])
    assert call(deleted, "GET", "").status_code == 401
    assert call(account, "DELETE", f"/{created['id']}", {}).status_code == 400  # deletedBy is required
    default_id = call(account, "GET", "").json()["data"]["credentials"][0]["id"]
    assert call(account, "DELETE", f"/{default_id}", {"deletedBy": "e2e"}).status_code == 409


def test_the_scheduler0_client_gets_updates_and_deletes(account):
    client = Client(base_url=account.base_url, api_key=account.api_key, api_secret=account.secret,
                    account_id=str(account.account_id))
    created = create(account)
    assert client.get_credential(str(created["id"]))["data"]["id"] == created["id"]
    updated = client.update_credential(str(created["id"]), CredentialUpdateRequestBody(modified_by="client",
                                                                                       archived=True))
    assert updated["data"]["archived"] is True and updated["data"]["modifiedBy"] == "client"
    client.delete_credential(str(created["id"]), CredentialDeleteRequestBody(deleted_by="client"))
    with pytest.raises(requests.HTTPError) as raised:
        client.get_credential(str(created["id"]))
    assert raised.value.response.status_code == 404
