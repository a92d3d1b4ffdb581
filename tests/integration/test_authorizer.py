"""The REQUEST authorizer (contract 3), through the gateway flow and at its own output."""

import pytest

from credentials_service.domain import secrets
from tests.support.callers import Caller

UNAUTHORIZED = {"data": "unauthorized request - cannot determine authentication type", "success": False}


def list_with(gateway, headers):
    return gateway.request("GET", "/api/v1/credentials", headers)


def test_key_and_secret_authenticate_and_reach_the_handler(gateway, caller):
    response = list_with(gateway, caller.headers)
    assert response.status == 200
    assert response.invoked == ["AuthorizerFunction", "ListCredentialsFunction"]


def test_legacy_secret_header_is_accepted(gateway, caller):
    headers = {"X-API-Key": caller.api_key, "X-API-Secret": caller.secret, "X-Account-ID": str(caller.account_id)}
    assert list_with(gateway, headers).status == 200


def test_header_names_are_case_insensitive(gateway, caller):
    headers = {"x-api-key": caller.api_key, "X-SECRET-KEY": caller.secret, "x-account-id": str(caller.account_id)}
    assert list_with(gateway, headers).status == 200


def test_context_carries_account_credential_and_scopes(gateway, caller):
    authorizer = gateway.handler("AuthorizerFunction")
    event = {"type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:1:api/prod/GET/api/v1/credentials",
             "headers": caller.headers, "requestContext": {"requestId": "r-1"}}
    from tests.support.lambdas import lambda_context

    decision = authorizer(event, lambda_context("AuthorizerFunction"))

    assert decision["policyDocument"]["Statement"][0] == {
        "Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}
    assert decision["context"] == {"principal": "credential", "accountId": str(caller.account_id),
                                   "credentialId": "1", "scopes": "read,write,execute"}


def wrong_secret() -> str:
    return secrets.generate_secret()


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda c: {**c.headers, "X-Secret-Key": wrong_secret()}, id="wrong secret"),
        pytest.param(lambda c: {**c.headers, "X-API-Key": secrets.generate_api_key()}, id="unknown key"),
        pytest.param(lambda c: {**c.headers, "X-Secret-Key": c.secret[:-1] + ("A" if c.secret[-1] != "A" else "B")},
                     id="checksum broken"),
        pytest.param(lambda c: {**c.headers, "X-Secret-Key": c.secret + "x"}, id="secret too long"),
        pytest.param(lambda c: {k: v for k, v in c.headers.items() if k != "X-Secret-Key"}, id="no secret"),
        pytest.param(lambda c: {"X-Account-ID": str(c.account_id)}, id="no credentials"),
        pytest.param(lambda c: {**c.headers, "X-Secret-Key": ""}, id="empty secret"),
    ],
)
def test_bad_credentials_are_the_contracts_401(gateway, caller, mutate):
    response = list_with(gateway, mutate(caller))
    assert response.status == 401 and response.body == UNAUTHORIZED
    assert response.invoked == ["AuthorizerFunction"]


def test_malformed_secret_is_rejected_without_a_database_read(gateway, caller, dynamodb_calls):
    gateway.handler("AuthorizerFunction")  # cold start outside the count
    dynamodb_calls.reset()

    response = list_with(gateway, {**caller.headers, "X-Secret-Key": "s0sk_" + "a" * 49})

    assert response.status == 401
    assert dynamodb_calls.requests() == []


def test_well_formed_secret_costs_exactly_one_get_item(gateway, caller, dynamodb_calls):
    gateway.handler("AuthorizerFunction")
    dynamodb_calls.reset()

    list_with(gateway, {**caller.headers, "X-Secret-Key": wrong_secret()})

    assert dynamodb_calls.requests() == ["GetItem"]


def test_key_of_another_account_is_401(gateway, caller, new_account):
    other = new_account()
    response = list_with(gateway, {**caller.headers, "X-Account-ID": str(other.account_id)})
    assert response.status == 401 and response.body == UNAUTHORIZED


def test_conflicting_repeated_secret_headers_are_refused(gateway, caller):
    headers = {**caller.headers, "X-API-Secret": wrong_secret()}
    assert list_with(gateway, headers).status == 401


@pytest.mark.parametrize(
    ("account_header", "message"),
    [(None, "x-account-id header is required"), ("", "x-account-id header is required"),
     ("abc", "invalid x-account-id header"), ("0", "invalid x-account-id header"),
     ("-5", "invalid x-account-id header"), ("1" * 25, "invalid x-account-id header")],
)
def test_account_header_problems_are_400(gateway, caller, account_header, message):
    headers = {"X-API-Key": caller.api_key, "X-Secret-Key": caller.secret}
    if account_header is not None:
        headers["X-Account-ID"] = account_header

    response = list_with(gateway, headers)

    assert response.status == 400
    assert response.body == {"data": message, "success": False}


def test_expired_credential_is_a_401_saying_so(gateway, caller, expire):
    data = gateway.request("POST", "/api/v1/credentials", caller.headers,
                           {"createdBy": "a", "expiresInSeconds": 300}).body["data"]
    expiring = Caller(caller.account_id, data["apiKey"], data["plaintextSecret"])
    expire(caller.account_id, data["id"], data["apiKey"])

    response = list_with(gateway, expiring.headers)

    assert response.status == 401
    assert response.body == {"data": "credential expired", "success": False}
    assert response.invoked == ["AuthorizerFunction", "ListCredentialsFunction"]


def test_a_rejection_context_never_runs_a_use_case(gateway, caller):
    # A forged context (no principal) reaching a handler is refused by the glue itself.
    handler = gateway.handler("CreateCredentialFunction")
    from tests.support.lambdas import lambda_context

    event = {"resource": "/api/v1/credentials", "path": "/api/v1/credentials", "httpMethod": "POST",
             "headers": {}, "body": '{"createdBy": "x"}',
             "requestContext": {"requestId": "r", "authorizer": {"accountId": str(caller.account_id)}}}
    response = handler(event, lambda_context("CreateCredentialFunction"))
    assert response["statusCode"] == 401


@pytest.mark.parametrize(
    ("failure", "status"),
    [("EndpointConnectionError", 503), ("ProvisionedThroughputExceededException", 429)],
)
def test_credential_store_trouble_is_503_or_429_not_500(gateway, caller, failure, status):
    import botocore.exceptions

    from credentials_service.repository.client import dynamodb_client

    gateway.handler("AuthorizerFunction")

    def fail(**_):
        if failure == "EndpointConnectionError":
            raise botocore.exceptions.EndpointConnectionError(endpoint_url="http://dynamodb")
        raise botocore.exceptions.ClientError({"Error": {"Code": failure, "Message": "slow down"}}, "GetItem")

    dynamodb_client().meta.events.register("before-send.dynamodb.GetItem", fail)

    response = list_with(gateway, caller.headers)

    assert response.status == status
    assert response.body["success"] is False
