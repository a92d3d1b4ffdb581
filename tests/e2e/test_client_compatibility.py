"""Every credential method of the official `scheduler0` Python client, with its own default arguments,
in both auth modes, against the local API: the contract's promise that clients work unchanged."""

import dataclasses
import re

import pytest
import requests
from scheduler0 import Client
from scheduler0.types import (
    Credential,
    CredentialArchiveRequestBody,
    CredentialCreateRequestBody,
    CredentialDeleteRequestBody,
    CredentialUpdateRequestBody,
)

pytestmark = pytest.mark.e2e
DOCUMENTED = {field.name for field in dataclasses.fields(Credential)} - {"plaintext_secret"}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def as_documented(data: dict) -> Credential:
    """The client's own Credential type must take every field we return, and we return all it documents."""
    fields = {snake(key): value for key, value in data.items()}
    assert set(fields) >= DOCUMENTED, DOCUMENTED - set(fields)
    return Credential(**fields)


@pytest.fixture(params=["key and secret", "operator basic auth"])
def client(request, account, operator) -> Client:
    if request.param == "key and secret":
        return Client(base_url=account.base_url, api_key=account.api_key, api_secret=account.secret,
                      account_id=str(account.account_id))
    username, password = operator
    return Client(base_url=account.base_url, username=username, password=password,
                  account_id=str(account.account_id))


def test_every_credential_method_with_its_defaults(client, account):
    created = client.create_credential(CredentialCreateRequestBody(created_by="compat"))
    new = created["data"]
    assert created["success"] is True and new["plaintextSecret"] and new["apiSecret"] == new["plaintextSecret"]
    assert new["scopes"] == ["read", "write", "execute"]  # the client sends scopes=[]: the default
    credential_id = str(new["id"])

    page = client.list_credentials()
    assert page["data"]["total"] == 2 and page["data"]["limit"] == 10 and page["data"]["offset"] == 0
    listed = [as_documented(item) for item in page["data"]["credentials"]]
    assert {item.account_id for item in listed} == {account.account_id}

    fetched = as_documented(client.get_credential(credential_id)["data"])
    assert fetched.api_key == new["apiKey"] and fetched.plaintext_secret is None

    response = client.update_credential(credential_id, CredentialUpdateRequestBody(modified_by="c"))
    updated = as_documented(response["data"])
    assert updated.modified_by == "c" and updated.archived is False

    assert client.archive_credential(credential_id, CredentialArchiveRequestBody(archived_by="c")) is None
    assert as_documented(client.get_credential(credential_id)["data"]).archived is True

    assert client.delete_credential(credential_id, CredentialDeleteRequestBody(deleted_by="c")) is None
    with pytest.raises(requests.HTTPError) as missing:
        client.get_credential(credential_id)
    assert missing.value.response.status_code == 404
    assert client.list_credentials()["data"]["total"] == 1


def test_list_with_every_argument(client):
    for order_by in ("id", "date_created", "date_modified", "created_by", "modified_by", "deleted_by", "expires_at"):
        for direction in ("asc", "desc"):
            page = client.list_credentials(limit=5, offset=0, order_by=order_by, order_by_direction=direction)
            assert page["success"] is True and page["data"]["limit"] == 5


def test_errors_reach_the_client_as_http_errors_with_the_envelope(client):
    with pytest.raises(requests.HTTPError) as refused:
        client.create_credential(CredentialCreateRequestBody(created_by="x", scopes=["fly"]))
    assert refused.value.response.status_code == 400
    assert refused.value.response.json() == {"data": refused.value.response.json()["data"], "success": False}
    assert "fly" in refused.value.response.json()["data"]


def test_healthcheck(client):
    assert client.healthcheck()["success"] is True
