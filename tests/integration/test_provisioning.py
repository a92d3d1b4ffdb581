"""AccountCreated -> the account record and its default credential, exactly once (contract 5)."""

import json
import threading

import pytest

from local_runner.provision import account_created_event
from tests.support.callers import Caller
from tests.support.lambdas import lambda_context, load_handler


def signup_event(account_id, **overrides):
    return {**account_created_event(account_id, "signup-service"), **overrides}


@pytest.fixture
def provision(template, function_env):
    handler = load_handler(template.functions["ProvisionAccountFunction"])
    return lambda event: handler(event, lambda_context("ProvisionAccountFunction"))


def test_signup_provisions_a_working_default_credential(provision, gateway):
    result = provision(signup_event(7001))

    assert result["accountId"] == 7001 and result["provisioned"] is True
    credential = result["credential"]
    assert credential["scopes"] == ["read", "write", "execute"] and credential["expiresAt"] is None
    assert credential["createdBy"] == "signup-service"
    assert credential["plaintextSecret"] == credential["apiSecret"]
    caller = Caller(7001, credential["apiKey"], credential["plaintextSecret"])
    page = gateway.request("GET", "/api/v1/credentials", caller.headers).body["data"]
    assert page["total"] == 1 and page["credentials"][0]["id"] == credential["id"]


def test_a_repeated_delivery_creates_nothing_and_succeeds(provision, gateway, dynamodb, table_name):
    event = signup_event(7002)
    first = provision(event)

    again = provision(event)  # EventBridge delivers at least once: the very same event again
    assert provision(signup_event(7002))["provisioned"] is False  # and a second event for the account

    assert again == {"accountId": 7002, "provisioned": False, "credential": None}
    items = dynamodb.scan(TableName=table_name)["Items"]
    assert sum(1 for item in items if item["sk"]["S"].startswith("CREDENTIAL#")) == 1
    caller = Caller(7002, first["credential"]["apiKey"], first["credential"]["plaintextSecret"])
    assert gateway.request("GET", "/api/v1/credentials", caller.headers).body["data"]["total"] == 1


def test_concurrent_deliveries_create_exactly_one(template, function_env, dynamodb, table_name):
    handlers = [load_handler(template.functions["ProvisionAccountFunction"]) for _ in range(4)]
    barrier = threading.Barrier(len(handlers))
    results = []

    def deliver(handler):
        barrier.wait()
        results.append(handler(signup_event(7003), lambda_context("ProvisionAccountFunction")))

    threads = [threading.Thread(target=deliver, args=(handler,)) for handler in handlers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == 4
    assert sum(result["provisioned"] for result in results) == 1
    items = dynamodb.scan(TableName=table_name)["Items"]
    assert [item["sk"]["S"] for item in items if item["pk"]["S"] == "ACCOUNT#7003"].count("ACCOUNT") == 1
    assert sum(1 for item in items if item["sk"]["S"].startswith("CREDENTIAL#")) == 1
    assert sum(1 for item in items if item["pk"]["S"].startswith("APIKEY#")) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"detail": {"createdBy": "x"}}, "detail.accountId is required"),
        ({"detail": {"accountId": "12"}}, "detail.accountId must be an integer"),
        ({"detail": {"accountId": 1.5}}, "detail.accountId must be an integer"),
        ({"detail": {"accountId": True}}, "detail.accountId must be an integer"),
        ({"detail": {"accountId": -4}}, "detail.accountId"),
        ({"source": "someone.else"}, "source"),
        ({"detail-type": "AccountDeleted"}, "detail-type"),
    ],
)
def test_malformed_events_fail_clearly_and_write_nothing(provision, dynamodb, table_name, overrides, message):
    with pytest.raises(Exception, match="invalid AccountCreated event") as raised:
        provision(signup_event(7004, **overrides))

    assert message in str(raised.value)
    assert dynamodb.scan(TableName=table_name)["Items"] == []


def test_the_secret_is_never_logged(provision, capfd, caplog):
    caplog.set_level("DEBUG")
    result = provision(signup_event(7005))

    secret = result["credential"]["plaintextSecret"]
    captured = capfd.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "signup handled" in logged
    assert secret not in logged
    assert secret in json.dumps(result)  # the result is the one channel (the encrypted OnSuccess queue)
