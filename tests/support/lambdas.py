"""Template functions loaded in this process the way Lambda loads them: by CodeUri and Handler."""

import importlib.util
import json
import re
import uuid
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

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
    """API Gateway's REST flow for the template's routes, calling the real authorizer and handlers.

    Only what the handler tests need; the HTTP-level emulation lives in local_runner.
    """

    def __init__(self, template: Template, stage: str = "prod") -> None:
        self.template = template
        self.stage = stage
        self._handlers: dict[str, Any] = {}

    def handler(self, logical_id: str):
        if logical_id not in self._handlers:
            self._handlers[logical_id] = load_handler(self.template.functions[logical_id])
        return self._handlers[logical_id]

    def _route(self, method: str, path: str):
        for route in self.template.routes:
            pattern = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", route.path) + "$"
            match = re.match(pattern, path)
            if match and route.method in (method, "ANY"):
                return route, match.groupdict()
        raise AssertionError(f"no route for {method} {path}")

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None,
                query: dict[str, str] | None = None) -> HttpResult:
        route, path_parameters = self._route(method, path)
        request_id = str(uuid.uuid4())
        headers = dict(headers or {})
        raw_body = body if isinstance(body, str) or body is None else json.dumps(body)
        resource_arn = f"arn:aws:execute-api:us-east-1:123456789012:testapi/{self.stage}/{method}{path}"
        shared = {
            "resource": route.path,
            "path": path,
            "httpMethod": method,
            "headers": headers,
            "multiValueHeaders": {name: [value] for name, value in headers.items()},
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
        }
        context = {"requestId": request_id, "stage": self.stage, "resourcePath": route.path,
                   "httpMethod": method, "path": f"/{self.stage}{path}", "identity": {"sourceIp": "127.0.0.1"}}
        invoked = []
        if route.authorizer:
            authorizer = self.template.authorizers[route.authorizer]
            invoked.append(authorizer.function)
            event = {"type": "REQUEST", "methodArn": resource_arn, **shared, "requestContext": context}
            try:
                decision = self.handler(authorizer.function)(event, lambda_context(authorizer.function))
            except Exception as error:
                if str(error) == "Unauthorized":
                    body = {"data": "unauthorized request - cannot determine authentication type", "success": False}
                    return HttpResult(401, body, {}, invoked)
                raise
            statement = decision["policyDocument"]["Statement"][0]
            allowed = statement["Effect"] == "Allow" and re.fullmatch(
                re.escape(statement["Resource"]).replace(r"\*", ".*"), resource_arn
            )
            if not allowed:
                return HttpResult(403, {"data": "access denied", "success": False}, {}, invoked)
            context["authorizer"] = {**{k: str(v) for k, v in decision.get("context", {}).items()},
                                     "principalId": decision["principalId"]}
        invoked.append(route.function)
        proxy_event = {**shared, "body": raw_body, "isBase64Encoded": False, "requestContext": context}
        response = self.handler(route.function)(proxy_event, lambda_context(route.function))
        parsed = json.loads(response["body"]) if response.get("body") else None
        headers = dict(response.get("headers") or {})
        headers.update({name: values[-1] for name, values in (response.get("multiValueHeaders") or {}).items()})
        return HttpResult(response["statusCode"], parsed, headers, invoked)
