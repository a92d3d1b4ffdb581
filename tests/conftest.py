"""Shared fixtures: one moto server for the session, a fresh table (built from template.yaml) per test."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from local_runner.moto_atomic import make_moto_dynamodb_atomic
from local_runner.template import Template, create_table_kwargs, load_template

ROOT = Path(__file__).resolve().parents[1]
# function_env, gateway, caller, new_account, dynamodb_calls, expire: for every suite.
pytest_plugins = ["tests.support.in_process"]
TABLE = "CredentialsTable"


@pytest.fixture(scope="session")
def template() -> Template:
    return load_template(ROOT / "template.yaml")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    make_moto_dynamodb_atomic()  # real DynamoDB transactions are atomic; moto's need a lock
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Environment of a Lambda function talking to moto: fake credentials, never a real account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_DYNAMODB": moto_endpoint,
        "AWS_ENDPOINT_URL_SSM": moto_endpoint,
        "POWERTOOLS_TRACE_DISABLED": "1",
        "POWERTOOLS_METRICS_NAMESPACE": "Scheduler0CredentialsTest",
        "POWERTOOLS_SERVICE_NAME": "scheduler0-credentials",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return moto_endpoint


@pytest.fixture
def table_name(aws: str, template: Template, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = f"credentials-{uuid.uuid4().hex[:12]}"
    client = boto3.client("dynamodb", endpoint_url=aws, region_name="us-east-1")
    client.create_table(**create_table_kwargs(template, TABLE, name))
    monkeypatch.setenv("TABLE_NAME", name)
    yield name
    client.delete_table(TableName=name)


@pytest.fixture
def dynamodb(aws: str):
    return boto3.client("dynamodb", endpoint_url=aws, region_name="us-east-1")


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings and clients are cached per Lambda environment; each test is a new environment."""
    from credentials_service.config import settings
    from credentials_service.repository.client import dynamodb_client

    settings.cache_clear()
    dynamodb_client.cache_clear()
    yield
    settings.cache_clear()
    dynamodb_client.cache_clear()


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
