"""GET /api/v1/credentials (contract 4.1)."""

import pytest

from tests.support.callers import Caller


def create(gateway, caller, created_by="alice", **extra):
    response = gateway.request("POST", "/api/v1/credentials", caller.headers, {"createdBy": created_by, **extra})
    assert response.status == 201, response.body
    return response.body["data"]


def page(gateway, caller, **query):
    text_query = {name: str(value) for name, value in query.items()}
    response = gateway.request("GET", "/api/v1/credentials", caller.headers, query=text_query)
    assert response.status == 200, response.body
    return response.body["data"]


def test_default_page_is_newest_first(gateway, caller):
    ids = [create(gateway, caller)["id"] for _ in range(3)]

    data = page(gateway, caller)

    assert data["total"] == 4 and data["offset"] == 0 and data["limit"] == 10
    assert [c["id"] for c in data["credentials"]] == list(reversed(ids)) + [1]
    assert all("plaintextSecret" not in c and "apiSecret" not in c for c in data["credentials"])


def test_limit_zero_means_the_default(gateway, caller):
    assert page(gateway, caller, limit=0)["limit"] == 10


def test_offset_and_limit_slice_the_order(gateway, caller):
    for _ in range(5):
        create(gateway, caller)
    everything = [c["id"] for c in page(gateway, caller, limit=100)["credentials"]]

    data = page(gateway, caller, offset=2, limit=2)

    assert [c["id"] for c in data["credentials"]] == everything[2:4]
    assert data["total"] == 6 and data["offset"] == 2 and data["limit"] == 2
    assert page(gateway, caller, offset=50)["credentials"] == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [({"limit": "101"}, "limit"), ({"limit": "-1"}, "limit"), ({"limit": "ten"}, "limit"),
     ({"limit": "9" * 30}, "limit"), ({"offset": "-1"}, "offset"), ({"offset": "x"}, "offset"),
     ({"orderBy": "secret"}, "orderBy"), ({"orderByDirection": "sideways"}, "orderByDirection")],
)
def test_bad_parameters_are_a_400_naming_the_parameter(gateway, caller, query, parameter):
    response = gateway.request("GET", "/api/v1/credentials", caller.headers, query=query)
    assert response.status == 400
    assert response.body["success"] is False and response.body["data"].startswith(parameter)


def test_archived_and_deleted_are_not_listed(gateway, caller):
    keep = create(gateway, caller)["id"]
    archived = create(gateway, caller)["id"]
    deleted = create(gateway, caller)["id"]
    assert gateway.request("POST", f"/api/v1/credentials/{archived}/archive", caller.headers,
                           {"archivedBy": "a"}).status == 204
    assert gateway.request("DELETE", f"/api/v1/credentials/{deleted}", caller.headers,
                           {"deletedBy": "a"}).status == 204

    data = page(gateway, caller)

    assert data["total"] == 2
    assert {c["id"] for c in data["credentials"]} == {keep, 1}


def test_accounts_do_not_see_each_other(gateway, caller, new_account):
    other: Caller = new_account()
    create(gateway, other)

    data = page(gateway, caller)
    assert data["total"] == 1 and {c["accountId"] for c in data["credentials"]} == {caller.account_id}


@pytest.mark.parametrize("size", [10, 100])
def test_default_order_reads_about_offset_plus_limit_items(gateway, caller, dynamodb_calls, size):
    from credentials_service.domain.principal import CREDENTIAL, Principal
    from credentials_service.models.create import CreateCredentialRequest
    from credentials_service.repository.credentials import CredentialRepository
    from credentials_service.usecases.credentials import create_credential

    me = Principal(CREDENTIAL, caller.account_id, ("read", "write"))
    for _ in range(size - 1):
        create_credential(me, CreateCredentialRequest(createdBy="bulk"), CredentialRepository())
    dynamodb_calls.reset()

    data = page(gateway, caller, offset=3, limit=5)

    assert data["total"] == size and len(data["credentials"]) == 5
    # authorizer: 1 GetItem (1 item); list: 1 GetItem for the count + 1 Query for offset + limit items
    assert dynamodb_calls.requests() == ["GetItem", "GetItem", "Query"]
    assert dynamodb_calls.items_read() <= 1 + 1 + 3 + 5 + 1
