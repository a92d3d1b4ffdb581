"""Template functions loaded in this process the way Lambda loads them: by CodeUri and Handler."""

import importlib.util
import json
import threading
import uuid
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from local_runner.api import HttpRequest, LocalApi
from local_runner.runtime import Invocation
from local_runner.template import Function, Template


def load_handler(function: Function):
    module_name, attribute = function.handler.rsplit(".", 1)
    unique = f"{function.logical_id}_{uuid.uuid4().hex[:8]}"  # a fresh module: a cold start
    spec = importlib.util.spec_from_file_location(unique, function.code_uri / f"{module_name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, attribute)


def lambda_context(function_name: str) -> SimpleNamespace:
    return SimpleNamespace(
        function_name=function_name,
        function_version="$LATEST",
        invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}",
        memory_limit_in_mb=512,
        aws_request_id=str(uuid.uuid4()),
        log_group_name=f"/aws/lambda/{function_name}",
        log_stream_name="local",
        get_remaining_time_in_millis=lambda: 10_000,
    )


@dataclass
class HttpResult:
    status: int
    body: Any  # parsed JSON, or None
    headers: dict[str, str]
    invoked: list[str]  # logical ids of the functions that ran


class InProcessGateway:
    """The local runner's API Gateway (routes, authorizer, Gateway Responses from template.yaml), with the
    real authorizer and handlers loaded in this process instead of worker processes, so that tests can
    count their DynamoDB calls, capture their logs and inject faults."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self._handlers: dict[str, Any] = {}
        self._api = LocalApi(template, self._invoke)
        self._invoked = threading.local()

    def handler(self, logical_id: str):
        if logical_id not in self._handlers:
            self._handlers[logical_id] = load_handler(self.template.functions[logical_id])
        return self._handlers[logical_id]

    def _invoke(self, logical_id: str, event: Any) -> Invocation:
        self._invoked.ids.append(logical_id)
        try:
            return Invocation(result=self.handler(logical_id)(event, lambda_context(logical_id)))
        except Exception as error:  # as Lambda reports a failed invocation
            return Invocation(error={"errorType": type(error).__name__, "errorMessage": str(error)})

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None,
                query: dict[str, str] | None = None) -> HttpResult:
        self._invoked.ids = []
        raw_body = body if isinstance(body, str) or body is None else json.dumps(body)
        response = self._api.handle(HttpRequest(
            method=method, path=path, query=urlencode(query or {}), headers=list((headers or {}).items()),
            body=(raw_body or "").encode("utf-8", "surrogatepass"),
        ))
        parsed = json.loads(response.body) if response.body else None
        return HttpResult(response.status, parsed, dict(response.headers), self._invoked.ids)
