"""The local API Gateway (REST API): from an HTTP request to the authorizer and the handler, and back.

Everything comes from template.yaml: the routes (each function's `Api` events), the REQUEST
authorizer and its identity sources, the Gateway Responses. Where a client can tell, it answers as
API Gateway does: an unknown route is MISSING_AUTHENTICATION_TOKEN, a missing identity-source header
is a 401 without invoking the authorizer, a Deny or a policy that does not cover the method is a
403, the authorizer's context reaches the handler with string values, a handler error or a
malformed proxy response is INTEGRATION_FAILURE, every gateway-made error is a Gateway Response.

The request path:  LocalApi.handle -> match_route -> _authorize -> invoke(function, proxy event)
                   -> parse_proxy_response, or render_gateway_response at any step that fails.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from local_runner.runtime import Invocation
from local_runner.template import PSEUDO_PARAMETERS, REST_API_ID, Route, Template, arn, to_string

Invoke = Callable[[str, Any], Invocation]  # (function logical id, event) -> result, e.g. LambdaRuntime.invoke

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
# API Gateway's status and $context.error.message per response type, when the template does not
# set a status. Lambda errors and malformed proxy responses are 502 on AWS, hence INTEGRATION_FAILURE.
RESPONSE_TYPES = {
    "MISSING_AUTHENTICATION_TOKEN": (403, "Missing Authentication Token"),
    "UNAUTHORIZED": (401, "Unauthorized"),
    "ACCESS_DENIED": (403, "User is not authorized to access this resource"),
    "AUTHORIZER_FAILURE": (500, "Internal server error"),
    "AUTHORIZER_CONFIGURATION_ERROR": (500, "Internal server error"),
    "INTEGRATION_FAILURE": (502, "Internal server error"),
    "REQUEST_TOO_LARGE": (413, "Request Too Long"),
    "BAD_REQUEST_BODY": (400, "Invalid request body"),
}
ERROR_TYPES = {  # the x-amzn-ErrorType header API Gateway adds
    "MISSING_AUTHENTICATION_TOKEN": "MissingAuthenticationTokenException",
    "UNAUTHORIZED": "UnauthorizedException",
    "ACCESS_DENIED": "AccessDeniedException",
}
PROXY_RESPONSE_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}


@dataclass
class HttpRequest:
    method: str
    path: str  # before the query string, as received
    query: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)  # in order; a repeated name repeats
    body: bytes = b""
    source_ip: str = "127.0.0.1"


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""


class LocalApi:
    def __init__(self, template: Template, invoke: Invoke):
        self._template = template
        self._invoke = invoke
        self._auth_cache: dict[tuple[str, ...], tuple[float, dict[str, Any]]] = {}
        self._auth_cache_lock = threading.Lock()

    def handle(self, request: HttpRequest) -> HttpResponse:
        request_id = str(uuid.uuid4())
        response = self._handle(request, request_id)
        response.headers.append(("x-amzn-RequestId", request_id))
        return response

    def _handle(self, request: HttpRequest, request_id: str) -> HttpResponse:
        if len(request.body) > MAX_BODY_BYTES:
            return self._gateway("REQUEST_TOO_LARGE", request, request_id)
        match = match_route(self._template.routes, request.method, request.path)
        if match is None:
            return self._gateway("MISSING_AUTHENTICATION_TOKEN", request, request_id)
        route, path_parameters = match
        event = self._event(request, route, path_parameters, request_id)
        if route.authorizer:
            authorizer_context = self._authorize(route, request, event, request_id)
            if isinstance(authorizer_context, HttpResponse):
                return authorizer_context
            event["requestContext"]["authorizer"] = authorizer_context
        invocation = self._invoke(route.function, event)
        if not invocation.ok:
            return self._gateway("INTEGRATION_FAILURE", request, request_id)
        try:
            return parse_proxy_response(invocation.result)
        except ValueError:
            return self._gateway("INTEGRATION_FAILURE", request, request_id)

    def _authorize(self, route: Route, request: HttpRequest, event: dict[str, Any],
                   request_id: str) -> dict[str, str] | HttpResponse:
        """The authorizer's context for the handler, or the gateway response that ends the request."""
        authorizer = self._template.authorizers[route.authorizer or ""]
        identity = [_header(request.headers, name) for name in authorizer.identity_headers]
        if not all(identity):  # API Gateway answers this itself; the authorizer never runs
            return self._gateway("UNAUTHORIZED", request, request_id)
        method_arn = self.method_arn(request.method, request.path)
        cache_key = (authorizer.name, *identity) if identity and authorizer.ttl_seconds > 0 else None
        started = time.monotonic()
        output = self._cached_policy(cache_key)
        if output is None:
            auth_event = {"type": "REQUEST", "methodArn": method_arn,
                          **{k: v for k, v in event.items() if k not in ("body", "isBase64Encoded")}}
            invocation = self._invoke(authorizer.function, auth_event)
            if not invocation.ok:
                unauthorized = (invocation.error or {}).get("errorMessage") == "Unauthorized"
                return self._gateway("UNAUTHORIZED" if unauthorized else "AUTHORIZER_FAILURE", request, request_id)
            output = invocation.result
            if not _valid_authorizer_output(output):
                return self._gateway("AUTHORIZER_CONFIGURATION_ERROR", request, request_id)
            if cache_key:  # a cached policy is reused for other methods and paths: it must cover them
                self._cache_policy(cache_key, output, authorizer.ttl_seconds)
        context = {key: to_string(value) for key, value in (output.get("context") or {}).items()
                   if value is not None}
        context["principalId"] = str(output["principalId"])
        if not policy_allows(output["policyDocument"], method_arn):
            return self._gateway("ACCESS_DENIED", request, request_id, context)
        return {**context, "integrationLatency": int((time.monotonic() - started) * 1000)}  # as AWS adds it

    def _cache_policy(self, key: tuple[str, ...], output: dict[str, Any], ttl_seconds: int) -> None:
        now = time.monotonic()
        with self._auth_cache_lock:
            self._auth_cache = {k: v for k, v in self._auth_cache.items() if v[0] > now}  # drop expired
            self._auth_cache[key] = (now + ttl_seconds, output)

    def _cached_policy(self, key: tuple[str, ...] | None) -> dict[str, Any] | None:
        if key is None:
            return None
        with self._auth_cache_lock:
            expires, output = self._auth_cache.get(key, (0.0, None))
        return output if expires > time.monotonic() else None

    def method_arn(self, method: str, path: str) -> str:
        return arn("execute-api", f"{REST_API_ID}/{self._template.stage}/{method}/{path.lstrip('/')}")

    def _event(self, request: HttpRequest, route: Route, path_parameters: dict[str, str],
               request_id: str) -> dict[str, Any]:
        """The API Gateway v1 (REST) proxy event; the authorizer's REQUEST event is built from it."""
        headers = [*request.headers, ("X-Forwarded-For", request.source_ip), ("X-Forwarded-Proto", "http")]
        query = parse_qsl(request.query, keep_blank_values=True)
        now = datetime.now(UTC)
        return {
            "resource": route.path,
            "path": request.path,
            "httpMethod": request.method,
            "headers": {name: value for name, value in headers},  # the last value wins, as on AWS
            "multiValueHeaders": _multi(headers),
            "queryStringParameters": {name: value for name, value in query} or None,
            "multiValueQueryStringParameters": _multi(query) or None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
            "requestContext": {
                "resourceId": "local",
                "resourcePath": route.path,
                "httpMethod": request.method,
                "extendedRequestId": request_id,
                "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "requestTimeEpoch": int(now.timestamp() * 1000),
                "path": f"/{self._template.stage}{request.path}",
                "accountId": PSEUDO_PARAMETERS["AWS::AccountId"],
                "protocol": "HTTP/1.1",
                "stage": self._template.stage,
                "domainPrefix": "localhost",
                "domainName": _header(request.headers, "Host") or "localhost",
                "requestId": request_id,
                "apiId": REST_API_ID,
                "identity": {"sourceIp": request.source_ip, "userAgent": _header(request.headers, "User-Agent")},
            },
            "body": request.body.decode("utf-8", errors="replace") if request.body else None,
            "isBase64Encoded": False,
        }

    def _gateway(self, response_type: str, request: HttpRequest, request_id: str,
                 authorizer_context: dict[str, str] | None = None) -> HttpResponse:
        return render_gateway_response(self._template.gateway_responses, response_type, request_id=request_id,
                                       request_headers=request.headers, authorizer_context=authorizer_context)


# --- the pieces, each testable on its own -----------------------------------------------------------


def match_route(routes: list[Route], method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """API Gateway picks the resource first (literal segments beat {params}), then the method on it."""
    segments = [unquote(part) for part in path.strip("/").split("/")] if path.strip("/") else []
    resources = {route.path: params for route in routes
                 if (params := _match_path(route.path, segments)) is not None}
    if not resources:
        return None
    best = min(resources, key=_specificity)
    on_resource = [route for route in routes if route.path == best]
    chosen = ([r for r in on_resource if r.method == method] or [r for r in on_resource if r.method == "ANY"])
    return (chosen[0], resources[best]) if chosen else None


def _match_path(template_path: str, segments: list[str]) -> dict[str, str] | None:
    parts = [part for part in template_path.strip("/").split("/") if part]
    params: dict[str, str] = {}
    for i, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):  # greedy {proxy+}: the rest of the path
            if i >= len(segments):
                return None
            params[part[1:-2]] = "/".join(segments[i:])
            return params
        if i >= len(segments):
            return None
        if part.startswith("{") and part.endswith("}"):
            params[part[1:-1]] = segments[i]
        elif part != segments[i]:
            return None
    return params if len(parts) == len(segments) else None


def _specificity(template_path: str) -> tuple[int, ...]:
    return tuple(2 if p.endswith("+}") else 1 if p.startswith("{") else 0 for p in template_path.split("/"))


def policy_allows(policy: dict[str, Any], method_arn: str) -> bool:
    """IAM evaluation for execute-api:Invoke: an explicit Deny wins, else some Allow must match."""
    statements = policy.get("Statement") or []
    statements = [statements] if isinstance(statements, dict) else statements
    matching = [s for s in statements
                if _matches(s.get("Action"), "execute-api:Invoke", ignore_case=True)
                and _matches(s.get("Resource"), method_arn)]
    effects = {str(s.get("Effect", "")).lower() for s in matching}
    return "allow" in effects and "deny" not in effects


def _matches(patterns: Any, value: str, ignore_case: bool = False) -> bool:
    patterns = [patterns] if isinstance(patterns, str) else patterns or []
    flags = re.IGNORECASE if ignore_case else 0
    return any(re.fullmatch(re.escape(p).replace(r"\*", ".*").replace(r"\?", "."), value, flags)
               for p in patterns if isinstance(p, str))


def _valid_authorizer_output(output: Any) -> bool:
    if not isinstance(output, dict) or "principalId" not in output:
        return False
    if not isinstance(output.get("policyDocument"), dict):
        return False
    context = output.get("context") or {}
    return isinstance(context, dict) and not any(isinstance(v, dict | list) for v in context.values())


def parse_proxy_response(result: Any) -> HttpResponse:
    """The HTTP response a Lambda proxy integration describes; ValueError if it is malformed."""
    if not isinstance(result, dict) or set(result) - PROXY_RESPONSE_KEYS:
        raise ValueError("malformed Lambda proxy response")
    status = _status_code(result.get("statusCode"))
    single = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    body = result.get("body")
    if not isinstance(single, dict) or not isinstance(multi, dict) or not isinstance(body, str | None):
        raise ValueError("malformed Lambda proxy response: headers or body")
    headers = [(name, to_string(value)) for name, value in single.items() if name not in multi]
    for name, values in multi.items():
        if not isinstance(values, list):
            raise ValueError("malformed Lambda proxy response: multiValueHeaders")
        headers += [(name, to_string(value)) for value in values]
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", "application/json"))  # API Gateway's default
    payload = (body or "").encode("utf-8")
    if result.get("isBase64Encoded"):
        payload = base64.b64decode(payload)
    return HttpResponse(status, headers, payload)


def _status_code(value: Any) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 100 <= value <= 599:
        raise ValueError("malformed Lambda proxy response: statusCode")
    return value


def render_gateway_response(responses: dict[str, Any], response_type: str, *, request_id: str,
                            request_headers: list[tuple[str, str]] | None = None,
                            authorizer_context: dict[str, str] | None = None,
                            message: str | None = None) -> HttpResponse:
    """A Gateway Response from the template; types it does not set fall back to DEFAULT_4XX/5XX."""
    default_status, default_message = RESPONSE_TYPES.get(response_type, (500, "Internal server error"))
    message = default_message if message is None else message
    spec = responses.get(response_type) or responses.get("DEFAULT_5XX" if default_status >= 500 else "DEFAULT_4XX")
    spec = spec or {}
    variables = {"context.requestId": request_id, "context.error.message": message,
                 "context.error.messageString": json.dumps(message), "context.error.responseType": response_type,
                 **{f"context.authorizer.{k}": v for k, v in (authorizer_context or {}).items()}}

    headers = []
    for name, expression in ((spec.get("ResponseParameters") or {}).get("Headers") or {}).items():
        value = _header_mapping(str(expression), variables, request_headers or [])
        if value is not None:
            headers.append((name, value))
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", "application/json"))
    if response_type in ERROR_TYPES:
        headers.append(("x-amzn-ErrorType", ERROR_TYPES[response_type]))

    templates = spec.get("ResponseTemplates") or {}
    template = templates.get("application/json", next(iter(templates.values()), None))
    if template is None:
        body = json.dumps({"message": message})  # API Gateway's own body
    else:
        body = re.sub(r"\$\{?(context(?:\.[A-Za-z0-9_]+)+)\}?", lambda m: str(variables.get(m.group(1), "")),
                      str(template))
    return HttpResponse(int(spec.get("StatusCode", default_status)), headers, body.encode("utf-8"))


def _header_mapping(expression: str, variables: dict[str, Any], request_headers: list[tuple[str, str]]) -> str | None:
    """A Gateway Response header value: 'literal', context.<variable> or method.request.header.<name>."""
    if len(expression) >= 2 and expression[0] == expression[-1] == "'":
        return expression[1:-1]
    if expression.startswith("method.request.header."):
        return _header(request_headers, expression.removeprefix("method.request.header."))
    value = variables.get(expression)
    return None if value is None else str(value)


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in headers if key.lower() == name.lower()]
    return values[-1] if values else None


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


# --- the HTTP server --------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a hung client connection must not block shutdown
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], api: LocalApi, log: Callable[[str], None] | None):
        super().__init__(address, _RequestHandler)
        self.api = api
        self.log = log


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as clients with a session expect
    timeout = 60  # seconds an idle connection may stay open
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

    def _serve(self) -> None:
        started = time.monotonic()
        url = urlsplit(self.path)
        try:
            body = self._read_body()
        except ValueError:
            self.send_error(400, "malformed request body framing")
            return
        request = HttpRequest(method=self.command, path=url.path or "/", query=url.query,
                              headers=list(self.headers.items()), body=body, source_ip=self.client_address[0])
        response = self.server.api.handle(request)
        self.send_response_only(response.status)
        self.send_header("Date", self.date_time_string())
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:  # say so, or a keep-alive client reuses a connection we drop
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":  # HEAD: the headers of the response, never its body
            self.wfile.write(response.body)
        if self.server.log:  # method, path and status only: headers and bodies carry secrets
            ms = (time.monotonic() - started) * 1000
            self.server.log(f"{self.command} {url.path} -> {response.status} ({ms:.0f} ms)")

    def _read_body(self) -> bytes:
        """At most MAX_BODY_BYTES + 1 bytes (LocalApi answers 413 past the limit); chunked or not."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            body = b""
            while len(body) <= MAX_BODY_BYTES:
                size = int(self.rfile.readline(100).split(b";")[0], 16)  # ValueError if malformed
                if size == 0:
                    self.rfile.readline(100)  # the blank line after the last chunk (no trailers expected)
                    return body
                body += self.rfile.read(size)
                self.rfile.readline(100)  # the CRLF after each chunk
            self.close_connection = True  # the rest is never read
            return body
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        if length > MAX_BODY_BYTES:
            self.close_connection = True
        return self.rfile.read(min(length, MAX_BODY_BYTES + 1))

    def __getattr__(self, name: str) -> Any:
        # http.server calls do_<METHOD> and answers 501 with an HTML page when there is none; API Gateway
        # takes every method (one the template does not declare is MISSING_AUTHENTICATION_TOKEN).
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's signature
        pass  # _serve logs one line per request, without the query string


def make_server(api: LocalApi, host: str = "127.0.0.1", port: int = 3000,
                log: Callable[[str], None] | None = None) -> ThreadingHTTPServer:
    """Bound and listening; call serve_forever() (e.g. in a thread) and shutdown() to stop."""
    return _Server((host, port), api, log)
