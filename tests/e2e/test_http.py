"""The credentials API over HTTP with `requests`, through the local API Gateway, as a client sees it."""

import threading

import pytest
import requests

pytestmark = pytest.mark.e2e
TIMEOUT = 30
UNAUTHORIZED = "unauthorized request - cannot determine authentication type"


def get(account, path="/api/v1/credentials", headers=None, **params):
    return requests.get(f"{account.base_url}{path}", headers=account.headers if headers is None else headers,
                        params=params, timeout=TIMEOUT)


def post(account, path, body=None, data=None, headers=None):
    return requests.post(f"{account.base_url}{path}", json=body, data=data, timeout=TIMEOUT,
                         headers=account.headers if headers is None else headers)


def create(account, **body):
    response = post(account, "/api/v1/credentials", {"createdBy": "e2e", **body})
    assert response.status_code == 201, response.text
    return response.json()["data"]


def archive(account, credential_id):
    return post(account, f"/api/v1/credentials/{credential_id}/archive", {"archivedBy": "e2e"})


def assert_error(response, status, message=None):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["success"] is False and isinstance(body["data"], str)
    if message is not None:
        assert body["data"] == message


def test_list_shows_the_default_credential_without_any_secret(account):
    response = get(account)
    assert response.status_code == 200
    assert response.headers["x-amzn-RequestId"]
    body = response.json()
    assert body["success"] is True
    page = body["data"]
    assert (page["total"], page["offset"], page["limit"]) == (1, 0, 10)
    [credential] = page["credentials"]
    assert credential["apiKey"] == account.api_key and credential["accountId"] == account.account_id
    assert credential["scopes"] == ["read", "write", "execute"] and credential["archived"] is False
    assert account.secret not in response.text and "plaintextSecret" not in credential


def test_create_returns_the_secret_once_and_the_new_credential_works(account):
    created = create(account, scopes=["read"])
    assert created["plaintextSecret"] == created["apiSecret"]
    assert created["scopes"] == ["read"] and isinstance(created["id"], int)
    new = account.with_key(created["apiKey"], created["plaintextSecret"])
    page = get(new).json()["data"]
    assert page["total"] == 2
    assert created["plaintextSecret"] not in str(page)
    assert_error(post(new, "/api/v1/credentials", {"createdBy": "e2e"}), 403,
                 "credential missing required scope: write")


def test_an_archived_credential_is_refused_at_once(account):
    created = create(account)
    assert archive(account, created["id"]).status_code == 204
    assert archive(account, created["id"]).status_code == 204  # archiving again is fine
    archived = account.with_key(created["apiKey"], created["plaintextSecret"])
    assert_error(get(archived), 401, UNAUTHORIZED)
    assert get(account).json()["data"]["total"] == 1


def test_archiving_the_last_active_credential_is_409_and_changes_nothing(account):
    default_id = get(account).json()["data"]["credentials"][0]["id"]
    assert_error(archive(account, default_id), 409, "an account must keep at least one active credential")
    assert get(account).status_code == 200


def test_two_archives_racing_for_the_last_two_leave_one_active(account, operator):
    """As the operator, so that neither request is refused by the authorizer for its own archived key."""
    create(account)
    ids = [c["id"] for c in get(account).json()["data"]["credentials"]]
    assert len(ids) == 2
    headers = {"X-Peer": "cmd", "X-Account-ID": str(account.account_id)}
    barrier = threading.Barrier(2)
    statuses = []

    def race(credential_id):
        barrier.wait(TIMEOUT)
        statuses.append(requests.post(f"{account.base_url}/api/v1/credentials/{credential_id}/archive",
                                      json={"archivedBy": "e2e"}, headers=headers, auth=operator,
                                      timeout=TIMEOUT).status_code)

    threads = [threading.Thread(target=race, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert sorted(statuses) == [204, 409]
    page = requests.get(f"{account.base_url}/api/v1/credentials", headers=headers, auth=operator,
                        timeout=TIMEOUT).json()["data"]
    assert page["total"] == 1 and len(page["credentials"]) == 1


@pytest.mark.parametrize("body, data", [
    ({}, None),
    ({"createdBy": ""}, None),
    ({"createdBy": "x" * 256}, None),
    ({"createdBy": "e2e", "scopes": ["read", "fly"]}, None),
    ({"createdBy": "e2e", "scopes": ["read", "read"]}, None),
    ({"createdBy": 5}, None),
    (None, "{not json"),
])
def test_create_with_bad_input_is_400(account, body, data):
    assert_error(post(account, "/api/v1/credentials", body=body, data=data), 400)


@pytest.mark.parametrize("params", [{"limit": "101"}, {"limit": "-1"}, {"offset": "-1"}, {"orderBy": "nope"},
                                    {"orderByDirection": "sideways"}, {"limit": "ten"}])
def test_list_with_bad_query_is_400(account, params):
    assert_error(get(account, **params), 400)


def test_archive_needs_archived_by_and_an_existing_credential(account):
    assert_error(post(account, "/api/v1/credentials/1/archive", {}), 400)
    assert_error(archive(account, 999999), 404, "credential not found")


def test_the_account_header_is_checked_by_the_handlers(account):
    headers = {k: v for k, v in account.headers.items() if k != "X-Account-ID"}
    assert_error(get(account, headers=headers), 400, "x-account-id header is required")
    assert_error(get(account, headers={**headers, "X-Account-ID": "abc"}), 400, "invalid x-account-id header")


def test_wrong_secret_no_credentials_and_another_accounts_key_are_401(account, new_account):
    other = new_account()
    assert_error(get(account.with_key(account.api_key, other.secret)), 401, UNAUTHORIZED)
    assert_error(get(account, headers={"X-Account-ID": str(account.account_id)}), 401, UNAUTHORIZED)
    assert_error(get(other.with_key(account.api_key, account.secret)), 401, UNAUTHORIZED)


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/nope"), ("DELETE", "/api/v1/credentials"),
                                          ("GET", "/"), ("PATCH", "/api/v1/credentials/1/archive")])
def test_an_unknown_route_is_404_in_the_envelope(account, method, path):
    response = requests.request(method, f"{account.base_url}{path}", headers=account.headers, timeout=TIMEOUT)
    assert_error(response, 404, "route not found")
    assert response.headers["x-amzn-RequestId"]
