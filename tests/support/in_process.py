"""In-process fixtures every suite may use (registered in tests/conftest.py): every function's
environment from template.yaml on a fresh moto table, the in-process gateway (the real authorizer,
then the real handler), freshly signed-up accounts, DynamoDB request counting, and expiry."""

import itertools

import pytest

from local_runner.template import Template
from tests.support.callers import Caller
from tests.support.dynamodb_requests import RequestCounter
from tests.support.lambdas import InProcessGateway

_account_ids = itertools.count(1000)


@pytest.fixture
def function_env(template: Template, table_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every function's environment from the template (they agree where they overlap), on our table."""
    for function in template.functions.values():
        for name, value in function.environment.items():
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("TABLE_NAME", table_name)


@pytest.fixture
def gateway(template: Template, function_env: None) -> InProcessGateway:
    return InProcessGateway(template)


def provision(account_id: int, created_by: str = "signup") -> Caller:
    from credentials_service.usecases.accounts import provision_account

    result = provision_account(account_id, created_by)
    assert result.default is not None
    return Caller(account_id, result.default.credential.api_key, result.default.secret)


@pytest.fixture
def caller(function_env: None) -> Caller:
    """A freshly signed-up account and its default credential."""
    return provision(next(_account_ids))


@pytest.fixture
def new_account(function_env: None):
    return lambda: provision(next(_account_ids))


@pytest.fixture
def dynamodb_calls(function_env: None) -> RequestCounter:
    """Requests the functions send to DynamoDB from now on (the functions share one cached client)."""
    from credentials_service.repository.client import dynamodb_client

    return RequestCounter().attach(dynamodb_client())


PAST = {":past": {"S": "2020-01-01T00:00:00.000Z"}}


@pytest.fixture
def expire(dynamodb, table_name):
    """Move a credential's expiry into the past (five minutes is the shortest lifetime one can ask for)."""

    def expire_credential(account_id: int, credential_id: int, api_key: str) -> None:
        for key in ({"pk": {"S": f"ACCOUNT#{account_id}"}, "sk": {"S": f"CREDENTIAL#{credential_id:012d}"}},
                    {"pk": {"S": f"APIKEY#{api_key}"}, "sk": {"S": "APIKEY"}}):
            dynamodb.update_item(TableName=table_name, Key=key, UpdateExpression="SET expiresAt = :past",
                                 ExpressionAttributeValues=PAST)

    return expire_credential
