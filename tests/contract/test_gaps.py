"""Promises of ../shared/docs/api-contract.md that no other suite showed on its own (see
docs/contract-coverage.md, which maps every promise to the test that shows it).

In-process tests run the real authorizer and handlers on a fresh moto table built from template.yaml
(the integration fixtures); HTTP tests go through the local API (`local_runner`), whose gateway
follows template.yaml's routes, authorizer, cache and Gateway Responses. Where a promise is about
AWS itself (access logs, KMS, dead-letter delivery), the template's declaration is checked.
"""

import hmac
import io
import json
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from local_runner.api import HttpRequest, LocalApi
from local_runner.cfn_yaml import load_cfn_yaml
from local_runner.provision import account_created_event
from local_runner.runtime import Invocation
from local_runner.template import load_template
from tests.contract.conftest import CACHE_TTL_SECONDS
from tests.hardening.helpers import (
    OPERATOR_PARAMETER,
    OPERATOR_PASSWORD,
    OPERATOR_USER,
    UNAUTHORIZED,
    assert_error,
    basic_headers,
    table_items,
)
from tests.support.callers import Caller
from tests.support.lambdas import lambda_context, load_handler

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
CREDENTIALS = "/api/v1/credentials"
TIMEOUT = 30
FIELDS = {"id", "accountId", "archived", "apiKey", "dateCreated", "dateModified", "dateDeleted", "createdBy",
          "modifiedBy", "deletedBy", "archivedBy", "expiresAt", "scopes"}
NULL_WHEN_UNSET = ("dateModified", "dateDeleted", "modifiedBy", "deletedBy", "archivedBy", "expiresAt")
TIMESTAMP_FIELDS = ("dateCreated", "dateModified", "dateDeleted", "expiresAt")
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")
LAST_ACTIVE = "an account must keep at least one active credential"
NOT_FOUND = "credential not found"


def create(gateway, caller: Caller, **body: Any) -> tuple[Caller, dict[str, Any]]:
    response = gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "contract", **body})
    assert response.status == 201, response.body
    data = response.body["data"]
    return Caller(caller.account_id, data["apiKey"], data["plaintextSecret"]), data


def item(credential_id: int | str) -> str:
    return f"{CREDENTIALS}/{credential_id}"


def signup_handler(template):
    handler = load_handler(template.functions["ProvisionAccountFunction"])
    return lambda event: handler(event, lambda_context("ProvisionAccountFunction"))


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- 1. Conventions -------------------------------------------------------------------------------------


def test_the_api_base_url_output_is_what_clients_take_as_their_base_url():
    """1: clients take the part before /api/v1 of https://{api}.execute-api.{region}.amazonaws.com/{stage}."""
    raw = load_cfn_yaml(TEMPLATE)
    assert raw["Outputs"]["ApiBaseUrl"]["Value"] == {
        "Fn::Sub": "https://${CredentialsApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}"}
    assert all(route.path.startswith("/api/v1/") for route in load_template(TEMPLATE).routes)


ALLOW = {"principalId": "credential:1:1",
         "context": {"principal": "credential", "accountId": "1", "credentialId": "1", "scopes": "read"},
         "policyDocument": {"Version": "2012-10-17",
                            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]}}


def test_gateway_made_failures_of_the_real_template_speak_the_envelope():
    """1: the errors API Gateway makes itself (authorizer failure, Deny, integration failure, unknown route,
    too large) are the envelope with application/json and the request id, from template.yaml's Gateway
    Responses. Throttling (THROTTLED, 429) cannot be provoked locally: see test_template.py."""
    template = load_template(TEMPLATE)
    deny = {"principalId": "x", "context": {},
            "policyDocument": {"Version": "2012-10-17",
                               "Statement": [{"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": "*"}]}}
    cases = {
        "authorizer fails": (Invocation(error={"errorType": "RuntimeError", "errorMessage": "store down"}), None,
                             503, "service temporarily unavailable, retry later"),
        "authorizer denies": (Invocation(result=deny), None, 403, "access denied"),
        "handler crashes": (Invocation(result=ALLOW), Invocation(error={"errorType": "MemoryError"}),
                            502, "integration failure"),
        "malformed proxy response": (Invocation(result=ALLOW), Invocation(result={"statusCode": "x"}),
                                     502, "integration failure"),
    }
    for name, (authorizer, handler, status, message) in cases.items():
        def invoke(function: str, event: Any, authorizer=authorizer, handler=handler) -> Invocation:
            return authorizer if function == "AuthorizerFunction" else handler

        response = LocalApi(template, invoke).handle(HttpRequest("GET", CREDENTIALS, "", [("X-API-Key", "k")]))
        assert_gateway_envelope(response, status, message, name)
    never = LocalApi(template, lambda *_: pytest.fail("no function may run"))
    assert_gateway_envelope(never.handle(HttpRequest("GET", "/api/v1/nope", "", [])), 404, "route not found")
    too_large = HttpRequest("POST", CREDENTIALS, "", [], b"x" * (10 * 1024 * 1024 + 1))
    assert_gateway_envelope(never.handle(too_large), 413, None)


def assert_gateway_envelope(response, status: int, message: str | None, case: str = "") -> None:
    headers = {name.lower(): value for name, value in response.headers}
    assert response.status == status, (case, response.status, response.body)
    assert headers["content-type"] == "application/json", case
    assert headers["x-request-id"] == headers["x-amzn-requestid"], case
    body = json.loads(response.body)
    assert set(body) == {"data", "success"} and body["success"] is False and body["data"], (case, body)
    if message is not None:
        assert body["data"] == message, (case, body)


@pytest.mark.e2e
def test_over_http_every_body_is_json_in_the_envelope_with_the_request_id_and_204_has_none(http_account,
                                                                                          new_http_account):
    """1: envelope (success and error, handler-made and gateway-made), application/json on every body,
    the request id header on every response, 204 without a body, camelCase; over real HTTP."""
    base, headers = http_account.base_url, http_account.headers

    def call(method: str, path: str, body: Any = None, with_headers: dict[str, str] | None = None):
        return requests.request(method, f"{base}{path}", json=body, timeout=TIMEOUT,
                                headers=headers if with_headers is None else with_headers)

    created = call("POST", CREDENTIALS, {"createdBy": "http"})
    second = call("POST", CREDENTIALS, {"createdBy": "http"}).json()["data"]["id"]
    new_id = created.json()["data"]["id"]
    reader = created.json()["data"]
    read_only = call("POST", CREDENTIALS, {"createdBy": "http", "scopes": ["read"]}).json()["data"]
    read_only_headers = {**headers, "X-API-Key": read_only["apiKey"], "X-Secret-Key": read_only["plaintextSecret"]}
    no_account = {name: value for name, value in headers.items() if name != "X-Account-ID"}
    answers = {
        "list": (call("GET", f"{CREDENTIALS}?limit=5"), 200),
        "create": (created, 201),
        "get": (call("GET", item(new_id)), 200),
        "update": (call("PUT", item(new_id), {"modifiedBy": "http"}), 200),
        "healthcheck": (requests.get(f"{base}/api/v1/healthcheck", timeout=TIMEOUT), 200),
        "bad body": (call("POST", CREDENTIALS, {"createdBy": ""}), 400),
        "no account header": (call("GET", CREDENTIALS, with_headers=no_account), 400),
        "wrong secret (gateway)": (call("GET", CREDENTIALS, with_headers={**headers, "X-Secret-Key": "s0sk_x"}), 401),
        "missing scope": (call("POST", CREDENTIALS, {"createdBy": "x"}, with_headers=read_only_headers), 403),
        "unknown id": (call("GET", item(987654)), 404),
        "unknown route (gateway)": (call("GET", "/api/v1/nope"), 404),
    }
    for name, (response, status) in answers.items():
        assert response.status_code == status, (name, response.text)
        assert response.headers["Content-Type"] == "application/json", name
        assert response.headers["X-Request-Id"] == response.headers["x-amzn-RequestId"], name
        body = response.json()
        assert set(body) == {"data", "success"} and body["success"] is (status < 400), (name, body)
    assert set(reader) == FIELDS | {"plaintextSecret", "apiSecret"}  # camelCase, every field
    assert set(answers["list"][0].json()["data"]) == {"total", "offset", "limit", "credentials"}
    for name, response in (("archive", call("POST", f"{item(new_id)}/archive", {"archivedBy": "http"})),
                           ("delete", call("DELETE", item(second), {"deletedBy": "http"}))):
        assert response.status_code == 204, (name, response.text)
        assert response.content == b"" and response.headers.get("Content-Length", "0") == "0", name
        assert response.headers["X-Request-Id"] == response.headers["x-amzn-RequestId"], name


def test_every_timestamp_is_rfc3339_utc_with_a_z(gateway, caller, template, function_env, dynamodb, table_name):
    """1: RFC 3339 UTC with a Z, in every response that carries a timestamp (and as stored)."""
    signup = signup_handler(template)(account_created_event(4242, "signup-service"))["credential"]
    _, data = create(gateway, caller, expiresInSeconds=3600)
    _, doomed = create(gateway, caller)
    updated = gateway.request("PUT", item(data["id"]), caller.headers, {"modifiedBy": "t", "archived": True})
    assert gateway.request("DELETE", item(doomed["id"]), caller.headers, {"deletedBy": "t"}).status == 204
    listed = gateway.request("GET", CREDENTIALS, caller.headers, query={"orderBy": "date_modified"}).body["data"]
    got = gateway.request("GET", item(data["id"]), caller.headers).body["data"]
    shown = [signup, data, updated.body["data"], got, *listed["credentials"]]
    values = [c[field] for c in shown for field in TIMESTAMP_FIELDS if c[field] is not None]
    assert {"dateCreated", "dateModified", "expiresAt"} <= {f for c in shown for f in TIMESTAMP_FIELDS if c[f]}
    stored = [attribute["S"] for stored_item in table_items(dynamodb, table_name)
              for name, attribute in stored_item.items() if name in TIMESTAMP_FIELDS]
    assert any(name == "dateDeleted" for stored_item in table_items(dynamodb, table_name) for name in stored_item)
    for value in values + stored:
        assert RFC3339_UTC.match(value), value
        assert parse_time(value).utcoffset() == timedelta(0)


def json_log_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for line in text.splitlines():
        try:
            parsed = json.loads(line)
        except ValueError:
            continue
        if isinstance(parsed, dict):
            lines.append(parsed)
    return lines


@pytest.fixture
def function_logs():
    """What the functions' Powertools logger writes (its JSON lines), whatever captures stdout."""
    from credentials_service.observability import logger

    stream = io.StringIO()
    previous = logger.registered_handler.setStream(stream)
    yield stream
    logger.registered_handler.setStream(previous or sys.stdout)


def test_the_request_id_of_every_function_response_is_in_the_structured_logs(gateway, caller, expire,
                                                                             function_logs):
    """1: the request id header (API Gateway's requestId) is the correlation_id of the structured log lines
    of the request, for successes and refusals of every authenticated route."""
    target, data = create(gateway, caller, expiresInSeconds=300)
    _, spare = create(gateway, caller)
    _, read_only = create(gateway, caller, scopes=["read"])
    reader = Caller(caller.account_id, read_only["apiKey"], read_only["plaintextSecret"])
    responses = {
        "list": gateway.request("GET", CREDENTIALS, caller.headers),
        "get": gateway.request("GET", item(data["id"]), caller.headers),
        "update": gateway.request("PUT", item(data["id"]), caller.headers, {"modifiedBy": "logs"}),
        "archive": gateway.request("POST", f"{item(spare['id'])}/archive", caller.headers, {"archivedBy": "l"}),
        "delete": gateway.request("DELETE", item(spare["id"]), caller.headers, {"deletedBy": "l"}),
        "400": gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": ""}),
        "403": gateway.request("POST", CREDENTIALS, reader.headers, {"createdBy": "x"}),
        "404": gateway.request("GET", item(999), caller.headers),
    }
    expire(caller.account_id, data["id"], data["apiKey"])
    responses["401 expired"] = gateway.request("GET", CREDENTIALS, target.headers)
    logged = json_log_lines(function_logs.getvalue())
    correlation_ids = {line.get("correlation_id") for line in logged}
    assert logged, "no structured log line was captured"
    for name, response in responses.items():
        request_id = response.headers.get("X-Request-Id")
        assert request_id, (name, response.headers)
        assert request_id in correlation_ids, (name, response.status)


def test_the_request_id_of_gateway_made_responses_reaches_a_log():
    api = load_cfn_yaml(TEMPLATE)["Resources"]["CredentialsApi"]["Properties"]
    access_log = api.get("AccessLogSetting") or {}
    assert access_log.get("DestinationArn")
    assert "$context.requestId" in json.dumps(access_log.get("Format", ""))


# --- 2. The credential object ---------------------------------------------------------------------------


def test_every_field_is_always_present_and_null_when_unset(gateway, caller, template, function_env):
    """2: the 13 fields in create (plus the secret under both names), get, update, list and the signup
    result; a fresh credential has null for everything not yet set (the default lifetime is 0)."""
    signup = signup_handler(template)(account_created_event(4343, "signup-service"))["credential"]
    created = gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "fields"}).body["data"]
    got = gateway.request("GET", item(created["id"]), caller.headers).body["data"]
    listed = gateway.request("GET", CREDENTIALS, caller.headers).body["data"]["credentials"]
    updated = gateway.request("PUT", item(created["id"]), caller.headers, {"modifiedBy": "m"}).body["data"]

    for shown in (created, signup):
        assert set(shown) == FIELDS | {"plaintextSecret", "apiSecret"}
        assert shown["plaintextSecret"] == shown["apiSecret"]
    for shown in (got, updated, *listed):
        assert set(shown) == FIELDS
    for fresh in (created, got, signup):
        assert {name: fresh[name] for name in NULL_WHEN_UNSET} == dict.fromkeys(NULL_WHEN_UNSET)
    assert isinstance(created["id"], int) and isinstance(created["accountId"], int)
    assert updated["modifiedBy"] == "m" and updated["dateModified"] and updated["deletedBy"] is None


def test_secrets_and_the_operator_login_are_compared_in_constant_time(gateway, caller, operator_configured,
                                                                    monkeypatch):
    """2 and 3: the secret's hash, and the operator's user and password (both, always), go through
    hmac.compare_digest; an unknown key is compared too (against a stand-in hash)."""
    from credentials_service.domain import secrets

    compared: list[tuple[Any, Any]] = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    wrong = secrets.generate_secret()
    cases = {
        "right secret": (caller.headers, 200),
        "wrong secret": ({**caller.headers, "X-Secret-Key": wrong}, 401),
        "unknown key": ({**caller.headers, "X-API-Key": secrets.generate_api_key()}, 401),
    }
    for name, (headers, status) in cases.items():
        compared.clear()
        assert gateway.request("GET", CREDENTIALS, headers).status == status, name
        offered = headers["X-Secret-Key"]
        assert any(a == secrets.hash_secret(offered) for a, _ in compared), (name, compared)
    for name, headers, status in (
            ("right login", basic_headers(account=caller.account_id), 200),
            ("wrong user", basic_headers(user="someone", account=caller.account_id), 401),
            ("wrong password", basic_headers(password="nope", account=caller.account_id), 401)):
        compared.clear()
        assert gateway.request("GET", CREDENTIALS, headers).status == status, name
        encoded = {a for a, _ in compared} | {b for _, b in compared}
        assert OPERATOR_USER.encode() in encoded and OPERATOR_PASSWORD.encode() in encoded, name


# --- 3. Authentication --------------------------------------------------------------------------------


def proxy_event(method: str, path: str, header_account: int, context_account: int, body: Any = None):
    """What API Gateway hands a handler: here the X-Account-ID header and the authorizer disagree."""
    headers = {"X-Account-ID": str(header_account), "Content-Type": "application/json"}
    return {
        "resource": CREDENTIALS, "path": path, "httpMethod": method, "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None, "multiValueQueryStringParameters": None, "pathParameters": None,
        "stageVariables": None, "body": None if body is None else json.dumps(body), "isBase64Encoded": False,
        "requestContext": {"requestId": "contract", "stage": "prod", "resourcePath": CREDENTIALS, "httpMethod": method,
                           "path": f"/prod{path}", "identity": {"sourceIp": "127.0.0.1"},
                           "authorizer": {"principal": "credential", "accountId": str(context_account),
                                          "credentialId": "1", "scopes": "read,write,execute",
                                          "principalId": f"credential:{context_account}:1"}},
    }


def test_handlers_take_the_account_from_the_authorizer_never_from_the_header(gateway, caller, new_account):
    """3: the account, id and scopes come from the authorizer's context; X-Account-ID alone decides nothing."""
    other = new_account()
    listing = gateway.handler("ListCredentialsFunction")(
        proxy_event("GET", CREDENTIALS, other.account_id, caller.account_id), lambda_context("List"))
    page = json.loads(listing["body"])["data"]
    assert listing["statusCode"] == 200
    assert {c["accountId"] for c in page["credentials"]} == {caller.account_id}
    assert [c["apiKey"] for c in page["credentials"]] == [caller.api_key]

    created = gateway.handler("CreateCredentialFunction")(
        proxy_event("POST", CREDENTIALS, other.account_id, caller.account_id, {"createdBy": "x"}),
        lambda_context("Create"))
    assert created["statusCode"] == 201 and json.loads(created["body"])["data"]["accountId"] == caller.account_id
    assert gateway.request("GET", CREDENTIALS, other.headers).body["data"]["total"] == 1
    assert gateway.request("GET", CREDENTIALS, caller.headers).body["data"]["total"] == 2


ROUTES = {  # name: method, path, body, the scope the method needs
    "list": ("GET", CREDENTIALS, None, "read"),
    "create": ("POST", CREDENTIALS, {"createdBy": "x"}, "write"),
    "archive": ("POST", "{item}/archive", {"archivedBy": "x"}, "write"),
    "get": ("GET", "{item}", None, "read"),
    "update": ("PUT", "{item}", {"modifiedBy": "x", "archived": True}, "write"),
    "delete": ("DELETE", "{item}", {"deletedBy": "x"}, "write"),
}


def test_every_route_refuses_a_credential_without_its_methods_scope(gateway, caller, dynamodb, table_name):
    """3: GET needs read; POST, PUT, DELETE need write: 403 naming the missing scope, and nothing changes."""
    _, target = create(gateway, caller)
    holders = {scopes: create(gateway, caller, scopes=list(scopes))[0]
               for scopes in (("read",), ("write",), ("execute",), ("read", "execute"))}
    before = table_items(dynamodb, table_name)
    refused = 0
    for scopes, holder in holders.items():
        for name, (method, path, body, needed) in ROUTES.items():
            if needed in scopes:
                continue
            response = gateway.request(method, path.format(item=item(target["id"])), holder.headers, body)
            assert_error(response, 403, f"credential missing required scope: {needed}", (scopes, name))
            refused += 1
    assert refused == 4 + 2 + 6 + 4
    assert table_items(dynamodb, table_name) == before
    # The scope each route needs is enough: the read-only holder reads, the write-only holder writes.
    assert gateway.request("GET", item(target["id"]), holders[("read",)].headers).status == 200
    assert gateway.request("PUT", item(target["id"]), holders[("write",)].headers, {"modifiedBy": "w"}).status == 200


def test_an_admin_only_credential_satisfies_every_scope(gateway, caller, operator_configured):
    """3: admin satisfies every scope, and an admin credential may grant admin."""
    operator = basic_headers(account=caller.account_id)
    response = gateway.request("POST", CREDENTIALS, operator, {"createdBy": "op", "scopes": ["admin"]})
    assert response.status == 201 and response.body["data"]["scopes"] == ["admin"]
    admin = Caller(caller.account_id, response.body["data"]["apiKey"], response.body["data"]["plaintextSecret"])

    granted = gateway.request("POST", CREDENTIALS, admin.headers, {"createdBy": "admin", "scopes": ["admin"]})
    assert granted.status == 201 and granted.body["data"]["scopes"] == ["admin"]
    target = granted.body["data"]["id"]
    assert gateway.request("GET", CREDENTIALS, admin.headers).status == 200
    assert gateway.request("GET", item(target), admin.headers).status == 200
    assert gateway.request("PUT", item(target), admin.headers, {"modifiedBy": "admin"}).status == 200
    assert gateway.request("POST", f"{item(target)}/archive", admin.headers, {"archivedBy": "admin"}).status == 204
    assert gateway.request("DELETE", item(target), admin.headers, {"deletedBy": "admin"}).status == 204


def test_the_operator_login_is_read_through_a_cache(gateway, caller, aws, operator_configured):
    """3: the operator's username:password comes from the SSM SecureString through Powertools Parameters
    with caching: a rotated password takes effect when the cached value expires (300 s), not per request."""
    from aws_lambda_powertools.utilities import parameters

    old = basic_headers(account=caller.account_id)
    new_password = "rotated-" + OPERATOR_PASSWORD
    new = basic_headers(password=new_password, account=caller.account_id)
    assert gateway.request("GET", CREDENTIALS, old).status == 200
    ssm = boto3.client("ssm", endpoint_url=aws, region_name="us-east-1")
    ssm.put_parameter(Name=OPERATOR_PARAMETER, Value=f"{OPERATOR_USER}:{new_password}", Type="SecureString",
                      Overwrite=True)

    assert gateway.request("GET", CREDENTIALS, old).status == 200  # served from the cache
    assert gateway.request("GET", CREDENTIALS, new).status == 401
    parameters.clear_caches()  # what the cache's max_age does after 300 s
    assert gateway.request("GET", CREDENTIALS, new).status == 200
    assert gateway.request("GET", CREDENTIALS, old).status == 401


@pytest.mark.e2e
def test_with_the_cache_on_a_cached_allow_never_serves_another_secret_or_account(cached_contract_api,
                                                                                cached_http_account):
    """3: with the cache on, the cache key is key + secret + account: a cached Allow for one combination
    is not an Allow for a wrong secret or another account; Basic mode is off (gateway 401)."""
    from credentials_service.domain import secrets

    account = cached_http_account
    other = cached_contract_api.provision(account.account_id + 500_000)
    url = f"{account.base_url}{CREDENTIALS}"
    assert requests.get(url, headers=account.headers, timeout=TIMEOUT).status_code == 200  # now cached
    attempts = {
        "wrong secret": {**account.headers, "X-Secret-Key": secrets.generate_secret()},
        "another account": {**account.headers, "X-Account-ID": str(other.account_id)},
        "operator Basic": {**basic_headers(user="operator", password="x", account=account.account_id)},
    }
    for name, headers in attempts.items():
        response = requests.get(url, headers=headers, timeout=TIMEOUT)
        assert (response.status_code, response.json()["data"]) == (401, UNAUTHORIZED), name


@pytest.mark.e2e
def test_with_the_cache_on_revocation_is_bounded_by_the_ttl(cached_http_account):
    """3: with AuthorizerCacheTtlSeconds > 0 an archived credential may keep working from the cache, but
    for at most the TTL."""
    account = cached_http_account
    url = f"{account.base_url}{CREDENTIALS}"
    created = requests.post(url, json={"createdBy": "ttl"}, headers=account.headers, timeout=TIMEOUT).json()["data"]
    revoked = {**account.headers, "X-API-Key": created["apiKey"], "X-Secret-Key": created["plaintextSecret"]}
    assert requests.get(url, headers=revoked, timeout=TIMEOUT).status_code == 200  # cached Allow
    archived = requests.post(f"{url}/{created['id']}/archive", json={"archivedBy": "ttl"}, headers=account.headers,
                             timeout=TIMEOUT)
    assert archived.status_code == 204
    # Within the TTL the cached Allow still answers (this is what the cache trades away)...
    assert requests.get(url, headers=revoked, timeout=TIMEOUT).status_code == 200
    # ...and once the TTL has passed, the authorizer runs again and refuses.
    time.sleep(CACHE_TTL_SECONDS + 1)
    response = requests.get(url, headers=revoked, timeout=TIMEOUT)
    assert (response.status_code, response.json()["data"]) == (401, UNAUTHORIZED)


# --- 4. Endpoints -------------------------------------------------------------------------------------------

ORDER_FIELDS = {"id": "id", "date_created": "dateCreated", "date_modified": "dateModified",
                "created_by": "createdBy", "modified_by": "modifiedBy", "deleted_by": "deletedBy",
                "expires_at": "expiresAt"}


def expected_order(credentials: list[dict[str, Any]], field: str, descending: bool) -> list[int]:
    """The documented order (docs/data-model.md): nulls last ascending, first descending; ties on id."""
    ascending = sorted(credentials, key=lambda c: (c[field] is None, c[field] or "", c["id"]))
    ordered = [c["id"] for c in ascending]
    return list(reversed(ordered)) if descending else ordered


def test_every_order_by_sorts_the_page_by_its_field(gateway, caller, dynamodb, table_name):
    """4.1 and 6: every orderBy (modified_by included) sorts by its field, both directions in any case."""
    ids = {}
    for name, lifetime in (("carol", 3600), ("alice", None), ("bob", 600), ("dave", 7200)):
        _, data = create(gateway, caller, createdBy=name, **({"expiresInSeconds": lifetime} if lifetime else {}))
        ids[name] = data["id"]
    for name, who in (("bob", "zed"), ("carol", "amy"), ("dave", "amy")):
        assert gateway.request("PUT", item(ids[name]), caller.headers, {"modifiedBy": who}).status == 200
        time.sleep(0.002)  # distinct dateModified
    for order_by, field in ORDER_FIELDS.items():
        for direction in ("asc", "DESC", "Asc", "desc"):
            page = gateway.request("GET", CREDENTIALS, caller.headers,
                                   query={"orderBy": order_by, "orderByDirection": direction})
            assert page.status == 200, (order_by, direction, page.body)
            credentials = page.body["data"]["credentials"]
            assert page.body["data"]["total"] == len(credentials) == 5
            assert [c["id"] for c in credentials] == expected_order(
                credentials, field, direction.lower() == "desc"), (order_by, direction)


def test_archived_and_deleted_credentials_are_neither_listed_nor_counted(gateway, caller):
    """4.1 and 4.6: the page lists only active credentials and total counts them, in every order."""
    _, kept = create(gateway, caller)
    _, archived = create(gateway, caller)
    _, deleted = create(gateway, caller)
    _, archived_then_deleted = create(gateway, caller)
    for credential_id in (archived["id"], archived_then_deleted["id"]):
        assert gateway.request("POST", f"{item(credential_id)}/archive", caller.headers,
                               {"archivedBy": "x"}).status == 204
    for credential_id in (deleted["id"], archived_then_deleted["id"]):
        assert gateway.request("DELETE", item(credential_id), caller.headers, {"deletedBy": "x"}).status == 204
    for query in ({}, {"orderBy": "id"}, {"orderBy": "created_by", "orderByDirection": "asc"}, {"limit": "100"}):
        page = gateway.request("GET", CREDENTIALS, caller.headers, query=query).body["data"]
        assert page["total"] == 2, query
        assert sorted(c["id"] for c in page["credentials"]) == [1, kept["id"]], query


def test_update_without_archived_leaves_an_archived_credential_archived(gateway, caller):
    """4.5 and 6: an update that omits `archived` does not un-archive (upstream does)."""
    archived, data = create(gateway, caller)
    assert gateway.request("POST", f"{item(data['id'])}/archive", caller.headers, {"archivedBy": "a"}).status == 204

    response = gateway.request("PUT", item(data["id"]), caller.headers, {"modifiedBy": "b"})

    assert response.status == 200
    assert response.body["data"]["archived"] is True and response.body["data"]["archivedBy"] == "a"
    assert response.body["data"]["modifiedBy"] == "b"
    assert gateway.request("GET", CREDENTIALS, archived.headers).status == 401
    assert gateway.request("GET", CREDENTIALS, caller.headers).body["data"]["total"] == 1


def test_another_accounts_credential_is_not_found_on_every_item_route(gateway, caller, new_account, dynamodb,
                                                                      table_name):
    """4.3-4.6: an id of another account is 404 `credential not found` on archive, get, update and delete,
    and nothing changes."""
    other = new_account()  # holds only its own id 1
    _, theirs = create(gateway, caller)
    before = table_items(dynamodb, table_name)
    for name, (method, path, body, _) in ROUTES.items():
        if "{item}" not in path:
            continue
        response = gateway.request(method, path.format(item=item(theirs["id"])), other.headers, body)
        assert_error(response, 404, NOT_FOUND, name)
    assert table_items(dynamodb, table_name) == before


def test_the_last_active_rule_changes_nothing_through_archive_update_or_delete(gateway, caller, dynamodb,
                                                                               table_name):
    """4.3, 4.5, 4.6: the last active credential: 409 with the contract's message, and nothing changes."""
    create(gateway, caller, archived=True)  # archived: not active
    before = table_items(dynamodb, table_name)
    attempts = {
        "archive": ("POST", f"{item(1)}/archive", {"archivedBy": "x"}),
        "update": ("PUT", item(1), {"modifiedBy": "x", "archived": True}),
        "delete": ("DELETE", item(1), {"deletedBy": "x"}),
    }
    for name, (method, path, body) in attempts.items():
        assert_error(gateway.request(method, path, caller.headers, body), 409, LAST_ACTIVE, name)
    assert table_items(dynamodb, table_name) == before
    assert gateway.request("GET", CREDENTIALS, caller.headers).status == 200


def test_unarchiving_past_the_cap_is_409_and_changes_nothing(gateway, caller, monkeypatch, dynamodb, table_name):
    """4.2 and 4.5: the cap on active credentials also holds when update un-archives one."""
    from credentials_service.config import settings

    monkeypatch.setenv("MAX_ACTIVE_CREDENTIALS_PER_ACCOUNT", "2")
    settings.cache_clear()
    _, archived = create(gateway, caller, archived=True)
    create(gateway, caller)
    before = table_items(dynamodb, table_name)

    response = gateway.request("PUT", item(archived["id"]), caller.headers, {"modifiedBy": "x", "archived": False})

    assert_error(response, 409, "an account may hold at most 2 active credentials")
    assert table_items(dynamodb, table_name) == before


# --- 5. Signup provisioning ----------------------------------------------------------------------------------


def test_the_default_credential_expires_only_when_the_deployment_sets_a_lifetime(template, function_env,
                                                                                 monkeypatch):
    """5: no expiry unless the deployment sets one (DefaultCredentialLifetimeSeconds, which reaches the
    signup function as it reaches the routes)."""
    from credentials_service.config import settings

    never = signup_handler(template)(account_created_event(5151, "signup-service"))["credential"]
    assert never["expiresAt"] is None and never["scopes"] == ["read", "write", "execute"]

    monkeypatch.setenv("DEFAULT_CREDENTIAL_LIFETIME_SECONDS", "86400")
    settings.cache_clear()
    day = signup_handler(template)(account_created_event(5252, "signup-service"))["credential"]
    assert parse_time(day["expiresAt"]) - parse_time(day["dateCreated"]) == timedelta(days=1)
    assert parse_time(day["expiresAt"]) > datetime.now(UTC)

    deployed = load_template(TEMPLATE, parameter_overrides={"DefaultCredentialLifetimeSeconds": 86400})
    assert deployed.functions["ProvisionAccountFunction"].environment["DEFAULT_CREDENTIAL_LIFETIME_SECONDS"] == "86400"


def getatt_arn(logical_id: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [logical_id, "Arn"]}


def test_the_signup_secret_leaves_only_through_a_kms_encrypted_queue_and_failures_reach_a_dead_letter_queue():
    """5: declared in template.yaml (AWS delivers them; nothing local can show the delivery): the rule
    on AccountCreated from scheduler0.accounts, the function's result to an OnSuccess SQS queue encrypted
    with a customer KMS key, failed invocations and undeliverable events to a dead-letter queue."""
    resources = load_cfn_yaml(TEMPLATE)["Resources"]
    function = resources["ProvisionAccountFunction"]["Properties"]

    (rule,) = [event for event in function["Events"].values() if event["Type"] == "EventBridgeRule"]
    assert rule["Properties"]["Pattern"] == {"source": ["scheduler0.accounts"], "detail-type": ["AccountCreated"]}
    assert rule["Properties"]["DeadLetterConfig"] == {"Arn": getatt_arn("SignupDeadLetterQueue")}
    assert rule["Properties"]["RetryPolicy"]["MaximumRetryAttempts"] >= 1

    destinations = function["EventInvokeConfig"]["DestinationConfig"]
    assert destinations["OnSuccess"] == {"Type": "SQS", "Destination": getatt_arn("SignupSecretsQueue")}
    assert destinations["OnFailure"] == {"Type": "SQS", "Destination": getatt_arn("SignupDeadLetterQueue")}

    queue = resources["SignupSecretsQueue"]
    assert queue["Type"] == "AWS::SQS::Queue"
    assert queue["Properties"]["KmsMasterKeyId"] == {"Ref": "SignupSecretsKey"}
    key = resources["SignupSecretsKey"]
    assert key["Type"] == "AWS::KMS::Key" and key["Properties"]["EnableKeyRotation"] is True

    dead_letters = resources["SignupDeadLetterQueue"]["Properties"]
    assert dead_letters.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in dead_letters
    (policy,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::SQS::QueuePolicy"
                 and {"Ref": "SignupDeadLetterQueue"} in r["Properties"]["Queues"]]
    (grant,) = policy["PolicyDocument"]["Statement"]
    assert grant["Principal"] == {"Service": "events.amazonaws.com"} and grant["Action"] == "sqs:SendMessage"

    statements = [s for policy in function["Policies"] for s in policy["Statement"]]
    may = {(action, json.dumps(resource)) for s in statements for action in
           (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
           for resource in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])}
    assert ("sqs:SendMessage", json.dumps(getatt_arn("SignupSecretsQueue"))) in may
    assert ("kms:GenerateDataKey", json.dumps(getatt_arn("SignupSecretsKey"))) in may
    # No function of the service reads the secrets back.
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::Serverless::Function":
            assert "sqs:ReceiveMessage" not in json.dumps(resource["Properties"].get("Policies", [])), logical_id
