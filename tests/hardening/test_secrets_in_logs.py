"""Secrets never leak: every log line of every function over a full flow, at DEBUG, holds no secret,
secret hash, X-Secret-Key or Authorization value (nor the operator's password); no response but
create's 201 (and the signup provisioning result) carries a secret, and none carries a hash."""

import base64
import json
import logging

import pytest

from credentials_service.domain import secrets
from local_runner.provision import account_created_event
from tests.hardening import faults as f
from tests.hardening.helpers import (
    CREDENTIALS,
    OPERATOR_PASSWORD,
    OPERATOR_USER,
    basic_headers,
    sha256,
    table_items,
)
from tests.support.callers import Caller
from tests.support.lambdas import lambda_context

SIGNUP_ACCOUNT = 515151


@pytest.fixture
def debug_logs(function_env, monkeypatch, caplog):
    """Every logger at DEBUG, the functions' Powertools logger included, as a careless LOG_LEVEL would set."""
    from credentials_service.observability import logger

    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "DEBUG")
    previous = logger.log_level
    logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    yield caplog
    logger.setLevel(previous)


def fragments(value: str) -> set[str]:
    """The value and the parts of it a careless log line or a truncation would keep."""
    shown = {value, sha256(value)}
    if len(value) > 24:
        shown |= {value[5:29], value[-20:], sha256(value)[:16]}
    return shown


def test_a_full_flow_leaks_no_secret_to_logs_or_responses(gateway, operator_configured, debug_logs, capfd, faults,
                                                            dynamodb, table_name):
    capfd.readouterr()
    responses: list[tuple[str, object]] = []  # (what, response body or result) that must hold no secret

    def call(what, method, path, headers, body=None):
        response = gateway.request(method, path, headers, body)
        responses.append((what, {"body": response.body, "headers": response.headers}))
        return response

    # Signup through the signup function: its result (the default credential's secret) goes to the
    # encrypted OnSuccess queue, never to a log.
    provisioned = gateway.handler("ProvisionAccountFunction")(account_created_event(SIGNUP_ACCOUNT, "signup"),
                                                              lambda_context("ProvisionAccountFunction"))
    default = Caller(SIGNUP_ACCOUNT, provisioned["credential"]["apiKey"], provisioned["credential"]["plaintextSecret"])
    again = gateway.handler("ProvisionAccountFunction")(account_created_event(SIGNUP_ACCOUNT, "signup"),
                                                        lambda_context("ProvisionAccountFunction"))
    responses.append(("repeated signup", again))

    created = gateway.request("POST", CREDENTIALS, default.headers, {"createdBy": "alice"})
    assert created.status == 201
    new = Caller(SIGNUP_ACCOUNT, created.body["data"]["apiKey"], created.body["data"]["plaintextSecret"])
    third = gateway.request("POST", CREDENTIALS, new.headers, {"createdBy": "bob", "scopes": ["read"]})
    assert third.status == 201
    read_only = Caller(SIGNUP_ACCOUNT, third.body["data"]["apiKey"], third.body["data"]["plaintextSecret"])
    third_id = third.body["data"]["id"]
    legacy = {"X-API-Key": new.api_key, "X-API-Secret": new.secret, "X-Account-ID": str(SIGNUP_ACCOUNT)}
    wrong, reforged = secrets.generate_secret(), new.secret[:-1] + ("A" if new.secret[-1] != "A" else "B")
    operator = basic_headers(account=SIGNUP_ACCOUNT)
    bad_operator = basic_headers(password=OPERATOR_PASSWORD + "!", account=SIGNUP_ACCOUNT)

    expected = [
        ("list", "GET", CREDENTIALS, new.headers, None, 200),
        ("list (legacy header)", "GET", CREDENTIALS, legacy, None, 200),
        ("get", "GET", f"{CREDENTIALS}/{third_id}", new.headers, None, 200),
        ("update", "PUT", f"{CREDENTIALS}/{third_id}", new.headers, {"modifiedBy": "alice"}, 200),
        ("write without scope", "POST", CREDENTIALS, read_only.headers, {"createdBy": "x"}, 403),
        ("bad body", "POST", CREDENTIALS, new.headers, {"createdBy": ""}, 400),
        ("wrong secret", "GET", CREDENTIALS, {**new.headers, "X-Secret-Key": wrong}, None, 401),
        ("broken checksum", "GET", CREDENTIALS, {**new.headers, "X-Secret-Key": reforged}, None, 401),
        ("operator", "GET", CREDENTIALS, operator, None, 200),
        ("operator creates", "POST", CREDENTIALS, operator, {"createdBy": "op", "archived": True}, 201),
        ("bad operator", "GET", CREDENTIALS, bad_operator, None, 401),
        ("archive", "POST", f"{CREDENTIALS}/{third_id}/archive", new.headers, {"archivedBy": "alice"}, 204),
        ("archived", "GET", CREDENTIALS, read_only.headers, None, 401),
        ("delete", "DELETE", f"{CREDENTIALS}/{third_id}", new.headers, {"deletedBy": "alice"}, 204),
        ("deleted get", "GET", f"{CREDENTIALS}/{third_id}", new.headers, None, 404),
    ]
    for what, method, path, headers, body, status in expected:
        response = call(what, method, path, headers, body)
        assert response.status == status, (what, response.body)
    operator_created = dict(responses)["operator creates"]["body"]["data"]
    operator_secret = operator_created.pop("plaintextSecret")  # create's 201 is allowed to carry it
    assert operator_created.pop("apiSecret") == operator_secret
    # An unexpected error is logged with its traceback: that must not carry the request either.
    faults.inject("TransactWriteItems", f.error(400, "ValidationException", "One or more values were invalid"))
    assert call("failing create", "POST", CREDENTIALS, new.headers, {"createdBy": "x"}).status == 500
    faults.clear()

    captured = capfd.readouterr()
    logged = "\n".join([captured.out, captured.err, debug_logs.text,
                        *(json.dumps(record.__dict__, default=str) for record in debug_logs.records)])
    assert "authorization decided" in logged and "signup handled" in logged  # the logs were captured at all
    assert "unexpected error" in logged  # and the traceback path ran
    all_secrets = [default.secret, new.secret, read_only.secret, operator_secret, wrong, reforged]
    forbidden = set().union(*(fragments(value) for value in all_secrets))
    forbidden |= fragments(OPERATOR_PASSWORD) | {OPERATOR_PASSWORD[:12]}
    forbidden |= {operator["Authorization"], operator["Authorization"].split()[1],
                  bad_operator["Authorization"].split()[1],
                  base64.b64encode(f"{OPERATOR_USER}:{OPERATOR_PASSWORD}".encode()).decode()[:24]}
    assert sorted(value for value in forbidden if value in logged) == []
    assert "secretHash" not in logged

    # Responses: the secret only in create's 201 and the provisioning result; hashes nowhere.
    hashes = {sha256(value) for value in all_secrets}
    for what, body in responses:
        text = json.dumps(body, default=str)
        assert not any(value in text for value in forbidden), what
        assert "secretHash" not in text, what
    for allowed, secret in ((provisioned, default.secret), (created.body, new.secret)):
        text = json.dumps(allowed)
        assert secret in text and not any(h in text for h in hashes)

    # At rest: the hash in the key lookup only, never a plaintext secret.
    stored = json.dumps(table_items(dynamodb, table_name))
    assert not any(secret in stored for secret in all_secrets)
    for item in table_items(dynamodb, table_name):
        assert ("secretHash" in item) == item["pk"]["S"].startswith("APIKEY#")


def test_botocore_debug_stays_pinned_to_info(function_env, gateway, caplog):
    caplog.set_level(logging.DEBUG)
    gateway.handler("AuthorizerFunction")  # imports the layer's client module, as a cold start does
    assert logging.getLogger("botocore").getEffectiveLevel() >= logging.INFO


def test_no_function_is_configured_to_log_its_event(template):
    for function in template.functions.values():
        assert function.environment.get("POWERTOOLS_LOGGER_LOG_EVENT", "false").lower() != "true"
        assert function.environment.get("LOG_LEVEL", "INFO") != "DEBUG"


def test_event_logging_switched_on_still_logs_no_secret(gateway, caller, operator_configured, capfd, caplog,
                                                        monkeypatch):
    monkeypatch.setenv("POWERTOOLS_LOGGER_LOG_EVENT", "true")  # read when the handlers load, below
    caplog.set_level(logging.INFO)
    capfd.readouterr()
    assert gateway.request("GET", CREDENTIALS, caller.headers).status == 200
    assert gateway.request("GET", CREDENTIALS, basic_headers(account=caller.account_id)).status == 200
    logged = capfd.readouterr().out + caplog.text
    assert caller.secret not in logged
    assert basic_headers()["Authorization"].split()[1] not in logged
