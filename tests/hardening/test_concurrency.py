"""Concurrency: threads, each its own Lambda environment (an InProcessGateway loads its own handler
modules), race create, archive, un-archive, delete and signup on one account. After every race the
account item's activeCount equals the active credentials stored, never drops below 1 and never
passes the cap; every answer is one the contract allows."""

import random
import threading

import pytest

from local_runner.provision import account_created_event
from tests.hardening.helpers import CREDENTIALS, account_state, basic_headers
from tests.support.headers import key_headers
from tests.support.lambdas import InProcessGateway, lambda_context

CAP = 5
JOIN_SECONDS = 60


@pytest.fixture
def capped(function_env, monkeypatch):
    from credentials_service.config import settings

    monkeypatch.setenv("MAX_ACTIVE_CREDENTIALS_PER_ACCOUNT", str(CAP))
    settings.cache_clear()


def run_threads(template, jobs, warm_headers=None):
    """Run each job in its own thread with its own gateway, all released at once; collect (kind, result)."""
    gateways = [InProcessGateway(template) for _ in jobs]
    for gateway in gateways:  # warm each environment: the race is about the writes, not the imports
        if warm_headers is not None:
            assert gateway.request("GET", CREDENTIALS, warm_headers).status == 200
        gateway.handler("ProvisionAccountFunction")
    barrier = threading.Barrier(len(jobs))
    results: list[tuple[str, int | str]] = []
    errors: list[BaseException] = []

    def work(gateway, job):
        barrier.wait()
        try:
            for kind, call in job:
                results.append((kind, call(gateway)))
        except BaseException as error:  # noqa: BLE001 - reported below, never swallowed
            errors.append(error)

    threads = [threading.Thread(target=work, args=(g, job)) for g, job in zip(gateways, jobs, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    assert errors == []
    return results


ALLOWED = {"create": {201, 409}, "create archived": {201}, "archive": {204, 404, 409},
           "unarchive": {200, 404, 409}, "delete": {204, 404, 409}, "signup": {"already provisioned"},
           "list": {200}}


def assert_consistent(dynamodb, table_name, gateway, headers, account_id, results):
    for kind, status in results:
        assert status in ALLOWED[kind], (kind, status)
    state = account_state(dynamodb, table_name, account_id)
    assert state["activeCount"] == state["active"] == state["activeLookups"], state
    assert 1 <= state["activeCount"] <= CAP, state
    assert state["lookups"] == state["credentials"], state
    page = gateway.request("GET", CREDENTIALS, headers, query={"limit": "100"}).body["data"]
    assert page["total"] == state["activeCount"] == len(page["credentials"])
    return state


@pytest.mark.parametrize("seed", range(6))
def test_racing_every_change_keeps_the_count_exact(template, gateway, caller, operator_configured, capped,
                                                    dynamodb, table_name, seed):
    rng = random.Random(seed)
    operator = basic_headers(account=caller.account_id)  # the actor no race can revoke
    ids = [gateway.request("POST", CREDENTIALS, operator, {"createdBy": "setup"}).body["data"]["id"]
           for _ in range(2)]
    ids += [gateway.request("POST", CREDENTIALS, operator, {"createdBy": "setup", "archived": True}).body["data"]["id"]
            for _ in range(2)]
    pool = [1, *ids]  # the default credential is fair game too: the operator stays

    def create(archived=False):
        body = {"createdBy": "racer", "archived": True} if archived else {"createdBy": "racer"}
        return lambda g: g.request("POST", CREDENTIALS, operator, body).status

    def change(kind):
        credential_id = rng.choice(pool)
        method, path, body = {
            "archive": ("POST", f"{CREDENTIALS}/{credential_id}/archive", {"archivedBy": "racer"}),
            "unarchive": ("PUT", f"{CREDENTIALS}/{credential_id}", {"modifiedBy": "racer", "archived": False}),
            "delete": ("DELETE", f"{CREDENTIALS}/{credential_id}", {"deletedBy": "racer"}),
        }[kind]
        return lambda g: g.request(method, path, operator, body).status

    def signup(g):
        result = g.handler("ProvisionAccountFunction")(account_created_event(caller.account_id, "racer"),
                                                       lambda_context("ProvisionAccountFunction"))
        return "already provisioned" if result["provisioned"] is False and result["credential"] is None else "??"

    jobs = [
        [("create", create()) for _ in range(3)],
        [("create", create()), ("create archived", create(archived=True)), ("create", create())],
        [(kind, change(kind)) for kind in rng.choices(["archive", "unarchive", "delete"], k=3)],
        [(kind, change(kind)) for kind in rng.choices(["archive", "unarchive", "delete"], k=3)],
        [("signup", signup), ("unarchive", change("unarchive")), ("archive", change("archive"))],
    ]
    results = run_threads(template, jobs, operator)
    state = assert_consistent(dynamodb, table_name, gateway, operator, caller.account_id, results)
    created = sum(1 for kind, status in results if kind.startswith("create") and status == 201)
    assert state["credentials"] == 1 + len(ids) + created


def test_racing_to_revoke_every_credential_leaves_exactly_one(template, gateway, caller, operator_configured, capped,
                                                             dynamodb, table_name):
    operator = basic_headers(account=caller.account_id)
    ids = [1] + [gateway.request("POST", CREDENTIALS, operator, {"createdBy": "setup"}).body["data"]["id"]
                 for _ in range(CAP - 1)]
    jobs = []
    for index, credential_id in enumerate(ids):
        if index % 2:
            jobs.append([("delete", lambda g, i=credential_id: g.request(
                "DELETE", f"{CREDENTIALS}/{i}", operator, {"deletedBy": "racer"}).status)])
        else:
            jobs.append([("archive", lambda g, i=credential_id: g.request(
                "POST", f"{CREDENTIALS}/{i}/archive", operator, {"archivedBy": "racer"}).status)])
    results = run_threads(template, jobs, operator)
    statuses = sorted(status for _, status in results)
    assert statuses.count(409) == 1 and len(statuses) == CAP, statuses
    state = assert_consistent(dynamodb, table_name, gateway, operator, caller.account_id, results)
    assert state["activeCount"] == 1


def test_racing_creates_never_pass_the_cap(template, gateway, caller, operator_configured, capped, dynamodb,
                                           table_name):
    operator = basic_headers(account=caller.account_id)
    jobs = [[("create", lambda g: g.request("POST", CREDENTIALS, operator, {"createdBy": "racer"}).status)] * 2
            for _ in range(4)]
    results = run_threads(template, jobs, operator)
    assert sum(1 for _, status in results if status == 201) == CAP - 1  # the default credential holds a place
    state = assert_consistent(dynamodb, table_name, gateway, operator, caller.account_id, results)
    assert state["activeCount"] == CAP


def test_racing_deliveries_of_one_signup_provision_it_once(template, function_env, dynamodb, table_name):
    account_id = 626262
    jobs = [[("signup", lambda g: g.handler("ProvisionAccountFunction")(
        account_created_event(account_id, "signup"), lambda_context("ProvisionAccountFunction")))]
        for _ in range(4)]
    results = [result for _, result in run_threads(template, jobs)]
    assert sorted(result["provisioned"] for result in results) == [False, False, False, True]
    [winner] = [result for result in results if result["provisioned"]]
    state = account_state(dynamodb, table_name, account_id)
    assert state == {"activeCount": 1, "credentials": 1, "active": 1, "activeLookups": 1, "lookups": 1}
    headers = key_headers(winner["credential"]["apiKey"], winner["credential"]["plaintextSecret"], account_id)
    assert InProcessGateway(template).request("GET", CREDENTIALS, headers).status == 200
