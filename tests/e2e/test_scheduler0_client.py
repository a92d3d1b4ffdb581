"""The official `scheduler0` Python client, unchanged, against the local API."""

import pytest
import requests
from scheduler0 import Client
from scheduler0.types import CredentialArchiveRequestBody, CredentialCreateRequestBody

pytestmark = pytest.mark.e2e


def client_for(account, api_key=None, secret=None) -> Client:
    return Client(base_url=account.base_url, api_key=api_key or account.api_key,
                  api_secret=secret or account.secret, account_id=str(account.account_id))


def status_of(call) -> int:
    with pytest.raises(requests.HTTPError) as raised:
        call()
    return raised.value.response.status_code


def test_list_create_and_archive(account):
    client = client_for(account)
    page = client.list_credentials()
    assert page["success"] is True and page["data"]["total"] == 1

    created = client.create_credential(CredentialCreateRequestBody(created_by="client", scopes=["read", "write"]))
    credential = created["data"]
    assert credential["scopes"] == ["read", "write"] and credential["plaintextSecret"]
    assert client.list_credentials(limit=1)["data"]["credentials"][0]["id"] == credential["id"]  # newest first

    # returns nothing; raises HTTPError on a status >= 400
    client.archive_credential(str(credential["id"]), CredentialArchiveRequestBody(archived_by="client"))
    assert client.list_credentials()["data"]["total"] == 1


def test_the_archived_key_is_401_and_the_last_active_is_409(account):
    client = client_for(account)
    created = client.create_credential(CredentialCreateRequestBody(created_by="client"))["data"]
    archived = client_for(account, created["apiKey"], created["plaintextSecret"])
    assert archived.list_credentials()["success"] is True
    client.archive_credential(str(created["id"]), CredentialArchiveRequestBody(archived_by="client"))
    assert status_of(archived.list_credentials) == 401

    default_id = client.list_credentials()["data"]["credentials"][0]["id"]
    assert status_of(lambda: client.archive_credential(str(default_id),
                                                       CredentialArchiveRequestBody(archived_by="client"))) == 409


def test_bad_input_is_400(account):
    client = client_for(account)
    assert status_of(lambda: client.create_credential(CredentialCreateRequestBody(created_by=""))) == 400
    assert status_of(lambda: client.list_credentials(limit=500)) == 400
    assert status_of(lambda: client.list_credentials(order_by="colour")) == 400


def test_limit_zero_means_the_default(account):
    """The Go and Node clients send limit=0 when the caller set none."""
    assert client_for(account).list_credentials(limit=0)["data"]["limit"] == 10


def test_operator_basic_auth(account, operator):
    username, password = operator
    client = Client(base_url=account.base_url, username=username, password=password,
                    account_id=str(account.account_id))
    assert client.list_credentials()["data"]["credentials"][0]["apiKey"] == account.api_key
    wrong = Client(base_url=account.base_url, username=username, password="wrong",
                   account_id=str(account.account_id))
    assert status_of(wrong.list_credentials) == 401
