"""The whole runner on the stub project: HTTP in, worker processes, HTTP out; and the invoke command."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from local_runner.provision import ProvisionedAccount
from local_runner.run import LocalService
from local_runner.template import load_template

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def service(stub_project: Path) -> Iterator[LocalService]:
    with LocalService(load_template(stub_project / "template.yaml"), port=0, pool_size=2) as service:
        yield service


def test_a_request_goes_through_the_authorizer_to_the_handler_and_back(service):
    response = requests.get(f"{service.base_url}/items/5?x=1&x=2", timeout=30,
                            headers={"X-API-Key": "good"})
    assert response.status_code == 200
    assert response.headers["X-Echo"] == "1"
    assert response.raw.headers.getlist("Set-Cookie") == ["a=1", "b=2"]  # multi-value headers survive
    assert response.headers["x-amzn-RequestId"]
    info = response.json()
    event = info["event"]
    assert event["requestContext"]["authorizer"]["accountId"] == "7"
    assert event["requestContext"]["authorizer"]["principalId"] == "user-good"
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["requestContext"]["requestId"] == response.headers["x-amzn-RequestId"]
    assert info["dynamodb"] == service.dynamodb.endpoint  # the functions talk to the local DynamoDB
    assert info["table"] == "StubTable"


def test_a_delete_with_a_body_on_a_greedy_route(service):
    response = requests.delete(f"{service.base_url}/things/a/b", data=b'{"deletedBy": "me"}', timeout=30,
                               headers={"X-API-Key": "wildcard"})
    # the wildcard policy covers GET only
    assert response.status_code == 403
    response = requests.delete(f"{service.base_url}/things/a/b", data=b'{"deletedBy": "me"}', timeout=30,
                               headers={"X-API-Key": "good"})
    event = response.json()["event"]
    assert (event["httpMethod"], event["pathParameters"], event["body"]) == (
        "DELETE", {"proxy": "a/b"}, '{"deletedBy": "me"}')


@pytest.mark.parametrize("path, key, status", [
    ("/nope", "good", 404),
    ("/items/5", "nobody", 401),
    ("/items/5", "boom", 500),
    ("/items/5", "deny", 403),
    ("/items/5", "narrow", 403),
    ("/broken/raise", "good", 502),
    ("/broken/malformed", "good", 502),
    ("/health", "", 200),
])
def test_gateway_answers_over_http(service, path, key, status):
    response = requests.get(f"{service.base_url}{path}", headers={"X-API-Key": key}, timeout=30)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["x-amzn-RequestId"]
    if status >= 400:
        assert "data" in response.json()  # the envelope from the stub's Gateway Responses


def test_provisioning_uses_the_eventbridge_function_when_the_template_has_one(service):
    assert service.provision(5) == ProvisionedAccount(5, "key-5", "secret-local-runner")


def test_invoke_prints_the_result_and_exits_1_on_an_error(stub_project: Path, tmp_path: Path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pathParameters": {"how": "fine"}}), encoding="utf-8")
    command = [sys.executable, "-m", "local_runner", "invoke", "--template", str(stub_project / "template.yaml")]

    ok = subprocess.run([*command, "BrokenFunction", "-e", str(event)], cwd=ROOT, capture_output=True,
                        text=True, timeout=120, check=False)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"statusCode": 200, "body": "fine"}

    event.write_text(json.dumps({"pathParameters": {"how": "raise"}}), encoding="utf-8")
    failed = subprocess.run([*command, "BrokenFunction", "-e", str(event)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    assert failed.returncode == 1
    error = json.loads(failed.stdout)
    assert (error["errorType"], error["errorMessage"]) == ("RuntimeError", "handler bug")
    assert "handler bug" in failed.stderr  # the function's log, as Lambda would write it

    unknown = subprocess.run([*command, "NoSuchFunction"], cwd=ROOT, capture_output=True, text=True,
                             timeout=120, check=False)
    assert unknown.returncode == 2 and "EchoFunction" in unknown.stderr


def test_chunked_and_oversized_bodies(service):
    chunks = iter([b'{"a": ', b'"chunked"}'])
    response = requests.delete(f"{service.base_url}/things/x", data=chunks, headers={"X-API-Key": "good"},
                               timeout=30)
    assert response.json()["event"]["body"] == '{"a": "chunked"}'

    too_large = requests.delete(f"{service.base_url}/things/x", data=b"x" * (10 * 1024 * 1024 + 1),
                                headers={"X-API-Key": "good"}, timeout=30)
    assert too_large.status_code == 413
    assert too_large.headers["x-amzn-RequestId"]


@pytest.mark.parametrize("method", ["HEAD", "TRACE", "QUERY", "GET"])
def test_every_method_gets_the_gateways_answer(service, method):
    response = requests.request(method, f"{service.base_url}/items", timeout=30)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.content == (b"" if method == "HEAD" else b'{"data": "route not found", "success": false}')
