"""Lambda environments: real worker processes running the stub project's handlers."""

import dataclasses
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from local_runner.runtime import LambdaRuntime
from local_runner.template import load_template

AWS_ENVIRONMENT = {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                   "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:1"}


def proxy_event(how: str = "", **query: str) -> dict:
    return {"pathParameters": {"how": how}, "queryStringParameters": query, "body": None}


@pytest.fixture(scope="module")
def runtime(stub_project: Path) -> Iterator[LambdaRuntime]:
    with LambdaRuntime(load_template(stub_project / "template.yaml"), AWS_ENVIRONMENT, pool_size=2) as runtime:
        yield runtime


def echo(runtime: LambdaRuntime) -> dict:
    invocation = runtime.invoke("EchoFunction", {"hello": "world"})
    assert invocation.ok, invocation.error
    return json.loads(invocation.result["body"])


def test_a_function_sees_its_code_its_layer_and_its_own_environment(runtime, stub_project: Path):
    info = echo(runtime)
    assert info["event"] == {"hello": "world"}
    assert Path(info["module"]) == stub_project / "functions" / "echo" / "app.py"
    assert info["sys_path"][:2] == [str(stub_project / "functions" / "echo"), str(stub_project / "layer")]
    assert str(Path.cwd()) not in info["sys_path"]  # not the project root: Lambda would not have it
    assert info["layer"] == "stub layer"
    assert (info["who"], info["table"], info["greeting"]) == ("echo", "StubTable", "hello from us-east-1 in aws")
    assert info["dynamodb"] == "http://127.0.0.1:1"
    assert info["function_name"] == "EchoFunction"
    assert 0 < info["remaining"] <= 5000


def test_functions_with_the_same_module_name_are_isolated(runtime):
    invocation = runtime.invoke("OtherFunction", {"body": "b"})
    assert invocation.ok, invocation.error
    assert json.loads(invocation.result["body"]) == {"who": "other", "body": "b"}
    assert echo(runtime)["other_loaded"] is False  # OtherFunction's modules never reach EchoFunction


def test_a_warm_environment_is_reused(runtime):
    first, second = echo(runtime), echo(runtime)
    assert first["request_id"] != second["request_id"]
    assert first["module"] == second["module"]


@pytest.mark.parametrize("how, error_type, message", [
    ("raise", "RuntimeError", "handler bug"),
    ("not-json", "Runtime.MarshalError", "not JSON serializable"),
])
def test_handler_errors_come_back_as_lambda_errors(runtime, how, error_type, message):
    invocation = runtime.invoke("BrokenFunction", proxy_event(how))
    assert not invocation.ok
    assert invocation.error["errorType"] == error_type
    assert message in invocation.error["errorMessage"]


def test_a_timed_out_environment_is_replaced(runtime):
    invocation = runtime.invoke("BrokenFunction", proxy_event("slow"))
    assert invocation.error["errorType"] == "Sandbox.Timedout"
    assert runtime.invoke("BrokenFunction", proxy_event("fine")).result == {"statusCode": 200, "body": "fine"}


def test_concurrent_invocations_run_concurrently(runtime, tmp_path: Path):
    results = []

    def call() -> None:
        results.append(runtime.invoke("BrokenFunction", proxy_event("rendezvous", dir=str(tmp_path))))

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [r.result["body"] for r in results] == ["2", "2"]  # each saw the other one running


def test_an_import_error_is_reported_on_invocation(stub_project: Path):
    template = load_template(stub_project / "template.yaml")
    template.functions["EchoFunction"] = dataclasses.replace(template.functions["EchoFunction"],
                                                             handler="missing.handler")
    with LambdaRuntime(template, AWS_ENVIRONMENT, pool_size=1) as runtime:
        invocation = runtime.invoke("EchoFunction", {})
    assert invocation.error["errorType"] == "Runtime.ImportModuleError"


def test_close_stops_every_worker(stub_project: Path):
    runtime = LambdaRuntime(load_template(stub_project / "template.yaml"), AWS_ENVIRONMENT, pool_size=1)
    assert runtime.invoke("EchoFunction", {}).ok
    processes = [w.process for pool in runtime._pools.values() for w in pool._all]
    assert processes and all(p.poll() is None for p in processes)
    runtime.close()
    assert all(p.poll() is not None for p in processes)
