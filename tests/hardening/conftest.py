"""Fixtures of the hardening suites.

In-process: the shared fixtures of tests/support/in_process.py, plus the operator and fault injection.
Over HTTP: one local API for the session (its own table and operator parameter), with fresh
accounts provisioned through the signup function.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest

from local_runner.run import LocalService
from local_runner.template import load_template
from tests.hardening.helpers import (
    OPERATOR_PARAMETER,
    OPERATOR_PASSWORD,
    OPERATOR_USER,
    HttpAccount,
    next_http_account_id,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def operator_configured(aws, function_env, monkeypatch):
    """The operator's Basic credentials in moto's SSM, for the in-process functions."""
    from aws_lambda_powertools.utilities import parameters

    from credentials_service.config import settings

    monkeypatch.setenv("OPERATOR_CREDENTIALS_PARAMETER", OPERATOR_PARAMETER)
    settings.cache_clear()  # other fixtures (e.g. caller) may have read the settings already
    ssm = boto3.client("ssm", endpoint_url=aws, region_name="us-east-1")
    ssm.put_parameter(Name=OPERATOR_PARAMETER, Value=f"{OPERATOR_USER}:{OPERATOR_PASSWORD}",
                      Type="SecureString", Overwrite=True)
    parameters.clear_caches()
    yield
    parameters.clear_caches()


@pytest.fixture
def faults(function_env, monkeypatch):
    """DynamoDB faults injected under botocore's retry handler of the functions' client (see faults.py)."""
    from credentials_service.repository.client import dynamodb_client
    from tests.hardening.faults import install

    return install(dynamodb_client(), monkeypatch)


@pytest.fixture(scope="session")
def local_api() -> Iterator[LocalService]:
    """The local API on a free port, on a table of its own, with an operator configured."""
    template = load_template(ROOT / "template.yaml", {"OperatorCredentialsParameterName": OPERATOR_PARAMETER},
                             resource_names={"CredentialsTable": "hardening-credentials"})
    with LocalService(template, port=0, pool_size=2) as service:
        service.dynamodb.client("ssm").put_parameter(
            Name=OPERATOR_PARAMETER, Value=f"{OPERATOR_USER}:{OPERATOR_PASSWORD}", Type="SecureString", Overwrite=True
        )
        yield service


@pytest.fixture
def new_http_account(local_api: LocalService) -> Callable[[], HttpAccount]:
    def provision() -> HttpAccount:
        return HttpAccount.provision(local_api, next_http_account_id(), created_by="hardening")

    return provision


@pytest.fixture
def http_account(new_http_account: Callable[[], HttpAccount]) -> HttpAccount:
    return new_http_account()
