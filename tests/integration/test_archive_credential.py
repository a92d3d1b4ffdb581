"""POST /api/v1/credentials/{id}/archive (contract 4.3), including the last-active race."""

import threading

import pytest

from tests.support.callers import Caller
from tests.support.lambdas import InProcessGateway


def create(gateway, caller):
    data = gateway.request("POST", "/api/v1/credentials", caller.headers, {"createdBy": "a"}).body["data"]
    return Caller(caller.account_id, data["apiKey"], data["plaintextSecret"]), data["id"]


def archive(gateway, caller, credential_id, body=None):
    return gateway.request(
        "POST", f"/api/v1/credentials/{credential_id}/archive", caller.headers,
        {"archivedBy": "alice"} if body is None else body,
    )


def total(gateway, caller):
    return gateway.request("GET", "/api/v1/credentials", caller.headers).body["data"]["total"]


def test_archived_credential_stops_authenticating_at_once(gateway, caller):
    other, other_id = create(gateway, caller)

    response = archive(gateway, caller, other_id)

    assert response.status == 204 and response.body is None
    refused = gateway.request("GET", "/api/v1/credentials", other.headers)
    assert refused.status == 401
    assert refused.body["data"] == "unauthorized request - cannot determine authentication type"
    assert total(gateway, caller) == 1


def test_archiving_twice_is_a_204(gateway, caller):
    _, other_id = create(gateway, caller)
    assert archive(gateway, caller, other_id).status == 204
    assert archive(gateway, caller, other_id).status == 204
    assert total(gateway, caller) == 1


def test_a_credential_may_archive_itself_if_another_stays_active(gateway, caller):
    create(gateway, caller)
    assert archive(gateway, caller, 1).status == 204
    assert gateway.request("GET", "/api/v1/credentials", caller.headers).status == 401


def test_last_active_credential_cannot_be_archived(gateway, caller):
    response = archive(gateway, caller, 1)

    assert response.status == 409
    assert response.body == {"data": "an account must keep at least one active credential", "success": False}
    assert gateway.request("GET", "/api/v1/credentials", caller.headers).status == 200


@pytest.mark.parametrize("credential_id", ["999", "0"])
def test_unknown_id_is_404_or_400(gateway, caller, credential_id):
    response = archive(gateway, caller, credential_id)
    assert response.status == (404 if credential_id == "999" else 400)


@pytest.mark.parametrize("credential_id", ["abc", "-1", "1.5", "99999999999999999999999"])
def test_malformed_id_is_a_400(gateway, caller, credential_id):
    response = archive(gateway, caller, credential_id)
    assert response.status == 400
    assert response.body == {"data": "credential id must be a positive integer", "success": False}


def test_another_accounts_credential_is_not_found(gateway, caller, new_account):
    other = new_account()
    _, other_id = create(gateway, other)

    response = archive(gateway, caller, other_id)

    assert response.status == 404
    assert response.body == {"data": "credential not found", "success": False}
    assert total(gateway, other) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [({}, "archivedBy is required"), ({"archivedBy": ""}, "archivedBy must not be empty"),
     ({"archivedBy": 7}, "archivedBy must be a string"), ("nope", "request body is not valid JSON")],
)
def test_archived_by_is_required(gateway, caller, body, message):
    _, other_id = create(gateway, caller)
    response = archive(gateway, caller, other_id, body)
    assert response.status == 400 and response.body["data"] == message
    assert total(gateway, caller) == 2


@pytest.mark.parametrize("attempt", range(10))
def test_racing_archives_of_the_last_two_leave_exactly_one(template, caller, attempt):
    setup = InProcessGateway(template)
    _, second_id = create(setup, caller)
    # One gateway per thread: each is its own Lambda environment, as in production.
    gateways = [InProcessGateway(template), InProcessGateway(template)]
    for gateway in gateways:  # warm both, so the race is about the writes and not the imports
        assert gateway.request("GET", "/api/v1/credentials", caller.headers).status == 200
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def race(gateway, credential_id):
        barrier.wait()
        statuses.append(archive(gateway, caller, credential_id).status)

    threads = [threading.Thread(target=race, args=(g, i)) for g, i in zip(gateways, (1, second_id), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [204, 409]
    from credentials_service.repository.credentials import CredentialRepository

    repository = CredentialRepository()
    active = [c for c in (repository.find_credential(caller.account_id, i) for i in (1, second_id)) if c.is_active]
    assert len(active) == 1
    assert repository.count_active(caller.account_id) == 1
