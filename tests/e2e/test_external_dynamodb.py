"""--dynamodb-endpoint: another DynamoDB (here a second moto server standing in for DynamoDB Local).

The table is created only if missing, so data outlives a restart of the runner.
"""

import pytest
import requests
from moto.server import ThreadedMotoServer

from local_runner.run import LocalService
from local_runner.template import load_template
from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.e2e


@pytest.fixture
def dynamodb_local(monkeypatch: pytest.MonkeyPatch):
    # The caller's credentials are used for another endpoint; DynamoDB Local accepts any.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_data_outlives_a_restart(dynamodb_local: str):
    template = load_template(ROOT / "template.yaml", resource_names={"CredentialsTable": "creds-local"})
    with LocalService(template, port=0, dynamodb_endpoint=dynamodb_local, pool_size=1) as first:
        assert first.created_tables == ["creds-local"]
        account = first.provision(77)

    with LocalService(template, port=0, dynamodb_endpoint=dynamodb_local, pool_size=1) as second:
        assert second.created_tables == []  # already there
        response = requests.get(f"{second.base_url}/api/v1/credentials", timeout=30, headers={
            "X-API-Key": account.api_key, "X-Secret-Key": account.secret, "X-Account-ID": "77"})
        assert response.status_code == 200
        assert response.json()["data"]["credentials"][0]["apiKey"] == account.api_key
