"""API Gateway's behaviour in LocalApi, with the functions replaced by a recording stub invoke.

The real worker processes are tested in test_runtime.py and over HTTP in test_service.py.
"""

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from local_runner.api import (
    HttpRequest,
    LocalApi,
    match_route,
    parse_proxy_response,
    policy_allows,
    render_gateway_response,
)
from local_runner.runtime import Invocation
from local_runner.template import Route, load_template

ARN = "arn:aws:execute-api:us-east-1:123456789012:localapi/dev/GET/items/5"


def allow(principal: str = "user-1", resource: Any = "*", effect: str = "Allow", **context: Any) -> Invocation:
    statement = {"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}
    return Invocation(result={"principalId": principal, "context": context,
                              "policyDocument": {"Version": "2012-10-17", "Statement": [statement]}})


OK = Invocation(result={"statusCode": 200, "body": "{}"})


class StubFunctions:
    """Answers per function logical id and records every invocation."""

    def __init__(self, **answers: Invocation):
        self.answers = {"EchoFunction": OK, "OtherFunction": OK, **answers}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, function: str, event: Any) -> Invocation:
        self.calls.append((function, event))
        return self.answers[function]

    def events_of(self, function: str) -> list[dict[str, Any]]:
        return [event for name, event in self.calls if name == function]


@pytest.fixture(scope="module")
def template(stub_project: Path):
    return load_template(stub_project / "template.yaml")


def request(method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"", query: str = ""):
    return HttpRequest(method=method, path=path, query=query, headers=list((headers or {}).items()), body=body)


def body_of(response) -> Any:
    return json.loads(response.body)


def header(response, name: str) -> str | None:
    values = [v for k, v in response.headers if k.lower() == name.lower()]
    return values[-1] if values else None


def test_unknown_route_and_unknown_method_are_the_missing_authentication_token_response(template):
    functions = StubFunctions()
    api = LocalApi(template, functions)
    for response in (api.handle(request("GET", "/nope")), api.handle(request("DELETE", "/items"))):
        assert response.status == 404
        assert body_of(response) == {"data": "route not found", "success": False}
        assert header(response, "x-amzn-RequestId")
    assert functions.calls == []


def test_the_handler_gets_a_v1_proxy_event_with_the_authorizer_context_as_strings(template):
    functions = StubFunctions(AuthorizerFunction=allow(accountId=7, admin=True, name="n", nothing=None))
    api = LocalApi(template, functions)
    response = api.handle(request("GET", "/items/5", {"X-API-Key": "k", "X-Multi": "a"}, query="x=1&x=2&y="))
    assert response.status == 200

    auth_event = functions.events_of("AuthorizerFunction")[0]
    assert auth_event["type"] == "REQUEST"
    assert auth_event["methodArn"] == ARN
    assert auth_event["resource"] == "/items/{id}"
    assert auth_event["headers"]["X-API-Key"] == "k"
    assert "body" not in auth_event

    event = functions.events_of("EchoFunction")[0]
    authorizer = event["requestContext"]["authorizer"]
    assert {k: v for k, v in authorizer.items() if k != "integrationLatency"} == {
        "accountId": "7", "admin": "true", "name": "n", "principalId": "user-1"}
    assert event["pathParameters"] == {"id": "5"}
    assert event["queryStringParameters"] == {"x": "2", "y": ""}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"], "y": [""]}
    assert event["path"] == "/items/5"
    assert event["resource"] == "/items/{id}"
    assert event["body"] is None and event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["path"] == "/dev/items/5" and context["stage"] == "dev"
    assert context["resourcePath"] == "/items/{id}" and context["httpMethod"] == "GET"
    assert context["requestId"] == header(response, "x-amzn-RequestId")
    assert context["identity"]["sourceIp"] == "127.0.0.1"


def test_a_route_with_auth_none_never_runs_the_authorizer(template):
    functions = StubFunctions()
    assert LocalApi(template, functions).handle(request("GET", "/health")).status == 200
    assert [name for name, _ in functions.calls] == ["EchoFunction"]
    assert "authorizer" not in functions.calls[0][1]["requestContext"]


def test_a_missing_identity_source_header_is_a_401_without_invoking_the_authorizer(stub_project: Path):
    template = load_template(stub_project / "template.yaml", {"CacheTtl": "300"})
    assert template.authorizers["StubAuthorizer"].identity_headers == ("X-API-Key",)
    functions = StubFunctions(AuthorizerFunction=allow())
    api = LocalApi(template, functions)
    for headers in ({}, {"X-API-Key": ""}):
        response = api.handle(request("GET", "/items/5", headers))
        assert response.status == 401
        assert body_of(response) == {"data": "unauthorized", "success": False}
        assert header(response, "X-Request-Id") == header(response, "x-amzn-RequestId")  # context.requestId
    assert functions.calls == []


def test_with_the_cache_on_a_cached_policy_is_reused_and_must_cover_the_new_method(stub_project: Path):
    template = load_template(stub_project / "template.yaml", {"CacheTtl": "300"})
    functions = StubFunctions(AuthorizerFunction=allow(resource=ARN))  # covers GET /items/5 only
    api = LocalApi(template, functions)
    assert api.handle(request("GET", "/items/5", {"X-API-Key": "k"})).status == 200
    assert api.handle(request("GET", "/items/5", {"X-API-Key": "k"})).status == 200
    assert api.handle(request("GET", "/items/6", {"X-API-Key": "k"})).status == 403  # cached, not covering
    assert len(functions.events_of("AuthorizerFunction")) == 1
    assert api.handle(request("GET", "/items/6", {"X-API-Key": "other"})).status == 403
    assert len(functions.events_of("AuthorizerFunction")) == 2  # another identity: a new decision


@pytest.mark.parametrize("answer, status, data", [
    (Invocation(error={"errorType": "Exception", "errorMessage": "Unauthorized"}), 401, "unauthorized"),
    (Invocation(error={"errorType": "ValueError", "errorMessage": "bug"}), 500, "Internal server error"),
    (Invocation(result={"no": "policy"}), 500, "Internal server error"),
    (allow(effect="Deny"), 403, "User is not authorized to access this resource"),
    (allow(resource=ARN.replace("GET", "POST")), 403, "User is not authorized to access this resource"),
])
def test_authorizer_outcomes(template, answer, status, data):
    functions = StubFunctions(AuthorizerFunction=answer)
    response = LocalApi(template, functions).handle(request("GET", "/items/5", {"X-API-Key": "k"}))
    assert response.status == status
    assert body_of(response)["data"] == data
    assert functions.events_of("EchoFunction") == []


def test_access_denied_renders_the_authorizer_context_in_the_default_4xx_response(template):
    functions = StubFunctions(AuthorizerFunction=allow(principal="alice", effect="Deny"))
    response = LocalApi(template, functions).handle(request("GET", "/items/5"))
    assert header(response, "X-Who") == "alice"


@pytest.mark.parametrize("answer", [
    Invocation(error={"errorType": "RuntimeError", "errorMessage": "handler bug"}),
    Invocation(result={"statusCode": 200, "bogus": 1}),
    Invocation(result={"statusCode": "abc"}),
    Invocation(result={"statusCode": 200, "body": {"not": "a string"}}),
    Invocation(result=None),
])
def test_a_handler_error_or_malformed_proxy_response_is_the_integration_failure_response(template, answer):
    functions = StubFunctions(AuthorizerFunction=allow(), EchoFunction=answer)
    response = LocalApi(template, functions).handle(request("GET", "/items/5"))
    assert response.status == 502
    assert body_of(response) == {"data": "integration failure", "success": False}


def test_routing_prefers_literal_segments_then_the_method_on_that_resource():
    routes = [Route("GET", "/items/{id}", "Get", None), Route("PUT", "/items/special", "Put", None),
              Route("ANY", "/things/{proxy+}", "Any", None), Route("DELETE", "/things/{proxy+}", "Delete", None)]
    assert match_route(routes, "GET", "/items/7") == (routes[0], {"id": "7"})
    assert match_route(routes, "PUT", "/items/special") == (routes[1], {})
    assert match_route(routes, "GET", "/items/special") is None  # API Gateway does not fall back to {id}
    assert match_route(routes, "POST", "/things/a/b%20c") == (routes[2], {"proxy": "a/b c"})
    assert match_route(routes, "DELETE", "/things/a") == (routes[3], {"proxy": "a"})
    assert match_route(routes, "GET", "/things") is None
    assert match_route(routes, "GET", "/items/7/extra") is None


@pytest.mark.parametrize("resource, action, expected", [
    (ARN, "execute-api:Invoke", True),
    ("*", "*", True),
    ("arn:aws:execute-api:us-east-1:123456789012:localapi/dev/*", "execute-api:*", True),
    ("arn:aws:execute-api:us-east-1:123456789012:localapi/*/GET/items/*", "execute-api:Invoke", True),
    ("arn:aws:execute-api:us-east-1:123456789012:localapi/dev/GET/items/?", "execute-api:Invoke", True),
    ([ARN.replace("GET", "POST"), "arn:aws:execute-api:*:*:localapi/dev/GET/*"], "execute-api:Invoke", True),
    ("arn:aws:execute-api:us-east-1:123456789012:localapi/dev/POST/*", "execute-api:Invoke", False),
    ("arn:aws:execute-api:us-east-1:123456789012:localapi/dev/GET/items", "execute-api:Invoke", False),
    (ARN, "dynamodb:GetItem", False),
])
def test_policy_matching_with_wildcards(resource, action, expected):
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    assert policy_allows({"Statement": [statement]}, ARN) is expected
    assert policy_allows({"Statement": statement}, ARN) is expected  # a single statement as an object


def test_an_explicit_deny_wins_over_an_allow():
    statements = [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"},
                  {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "*/GET/*"}]
    assert policy_allows({"Statement": statements}, ARN) is False
    assert policy_allows({"Statement": statements[:1]}, ARN) is True
    assert policy_allows({"Statement": []}, ARN) is False


def test_gateway_responses_render_from_the_template_with_default_fallbacks(template):
    responses = template.gateway_responses
    denied = render_gateway_response(responses, "ACCESS_DENIED", request_id="r-1",
                                     authorizer_context={"principalId": "bob"})
    assert denied.status == 403  # DEFAULT_4XX sets no status: the type's own
    assert json.loads(denied.body) == {"data": "User is not authorized to access this resource", "success": False}
    assert ("X-Who", "bob") in denied.headers

    failure = render_gateway_response(responses, "AUTHORIZER_FAILURE", request_id="r-2")
    assert (failure.status, json.loads(failure.body)) == (500, {"data": "Internal server error", "id": "r-2"})

    unauthorized = render_gateway_response(responses, "UNAUTHORIZED", request_id="r-3")
    assert unauthorized.status == 401
    assert ("X-Request-Id", "r-3") in unauthorized.headers
    assert ("Content-Type", "application/json") in unauthorized.headers

    bare = render_gateway_response({}, "MISSING_AUTHENTICATION_TOKEN", request_id="r-4")
    assert (bare.status, json.loads(bare.body)) == (403, {"message": "Missing Authentication Token"})  # AWS's own


def test_gateway_response_templates_substitute_context_variables():
    responses = {"UNAUTHORIZED": {"ResponseParameters": {"Headers": {"X-Key": "method.request.header.x-api-key"}},
                                  "ResponseTemplates": {"application/json": '{"m": $context.error.messageString, '
                                                        '"t": "$context.error.responseType", '
                                                        '"a": "${context.authorizer.accountId}"}'}}}
    response = render_gateway_response(responses, "UNAUTHORIZED", request_id="r", message='say "hi"',
                                       authorizer_context={"accountId": "9"},
                                       request_headers=[("X-API-Key", "k1")])
    assert json.loads(response.body) == {"m": 'say "hi"', "t": "UNAUTHORIZED", "a": "9"}
    assert ("X-Key", "k1") in response.headers


def test_proxy_responses_merge_multi_value_headers_and_decode_base64():
    response = parse_proxy_response({"statusCode": 201, "headers": {"A": "1", "B": "x"},
                                     "multiValueHeaders": {"B": ["2", "3"]},
                                     "body": base64.b64encode(b"\x00bin").decode(), "isBase64Encoded": True})
    assert response.status == 201
    assert response.headers == [("A", "1"), ("B", "2"), ("B", "3"), ("Content-Type", "application/json")]
    assert response.body == b"\x00bin"
    assert parse_proxy_response({"statusCode": 204}).body == b""
