"""Operator Basic auth for self-hosting (contract 3)."""


import boto3
import pytest

from tests.support.callers import Caller
from tests.support.headers import basic_headers

PARAMETER = "/scheduler0/credentials/operator"
USER, PASSWORD = "operator", "correct horse battery staple"


def basic(user=USER, password=PASSWORD, peer="cmd", account=None):
    return basic_headers(user, password, peer, account)


@pytest.fixture
def operator_configured(aws, function_env):
    from aws_lambda_powertools.utilities import parameters

    ssm = boto3.client("ssm", endpoint_url=aws, region_name="us-east-1")
    ssm.put_parameter(Name=PARAMETER, Value=f"{USER}:{PASSWORD}", Type="SecureString", Overwrite=True)
    parameters.clear_caches()
    yield
    parameters.clear_caches()


@pytest.mark.parametrize("peer", ["cmd", "peer", "CMD"])
def test_operator_acts_on_the_named_account_with_every_scope(gateway, caller, operator_configured, peer):
    created = gateway.request("POST", "/api/v1/credentials", basic(peer=peer, account=caller.account_id),
                              {"createdBy": "op", "scopes": ["admin"]})

    assert created.status == 201 and created.body["data"]["scopes"] == ["admin"]
    assert created.body["data"]["accountId"] == caller.account_id
    listed = gateway.request("GET", "/api/v1/credentials", basic(peer=peer, account=caller.account_id))
    assert listed.status == 200 and listed.body["data"]["total"] == 2


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(basic(password="wrong", account=1000), id="wrong password"),
        pytest.param(basic(user="admin", account=1000), id="wrong user"),
        pytest.param(basic(password="", account=1000), id="empty password"),
        pytest.param(basic(peer=None, account=1000), id="no X-Peer"),
        pytest.param(basic(peer="", account=1000), id="empty X-Peer"),
        pytest.param(basic(peer="client", account=1000), id="other X-Peer"),
        pytest.param({"Authorization": "Basic !!!not-base64", "X-Peer": "cmd", "X-Account-ID": "1000"}, id="garbage"),
        pytest.param({"Authorization": "Bearer abc", "X-Peer": "cmd", "X-Account-ID": "1000"}, id="bearer"),
    ],
)
def test_bad_basic_auth_is_401(gateway, operator_configured, headers):
    response = gateway.request("GET", "/api/v1/credentials", headers)
    assert response.status == 401
    assert response.body["data"] == "unauthorized request - cannot determine authentication type"


def test_basic_without_account_header_is_400(gateway, operator_configured):
    response = gateway.request("GET", "/api/v1/credentials", basic())
    assert response.status == 400 and response.body["data"] == "x-account-id header is required"


def test_failed_key_with_good_basic_is_the_operator(gateway, caller, operator_configured):
    headers = {**basic(account=caller.account_id), "X-API-Key": caller.api_key, "X-Secret-Key": "s0sk_bad"}
    assert gateway.request("GET", "/api/v1/credentials", headers).status == 200


def test_operator_mode_switched_off(gateway, caller, operator_configured, monkeypatch):
    monkeypatch.setenv("OPERATOR_AUTH_ENABLED", "false")
    from credentials_service.config import settings

    settings.cache_clear()
    response = gateway.request("GET", "/api/v1/credentials", basic(account=caller.account_id))
    assert response.status == 401


def test_no_configured_operator_means_no_operator(gateway, caller, aws, function_env):
    from aws_lambda_powertools.utilities import parameters

    boto3.client("ssm", endpoint_url=aws, region_name="us-east-1").delete_parameters(Names=[PARAMETER])
    parameters.clear_caches()
    assert gateway.request("GET", "/api/v1/credentials", basic(account=caller.account_id)).status == 401


def test_operator_can_act_on_an_account_without_credentials(gateway, operator_configured):
    created = gateway.request("POST", "/api/v1/credentials", basic(account=424242), {"createdBy": "op"})
    assert created.status == 201
    data = created.body["data"]
    newcomer = Caller(424242, data["apiKey"], data["plaintextSecret"])
    assert gateway.request("GET", "/api/v1/credentials", newcomer.headers).body["data"]["total"] == 1
