"""The sample events in events/: real API Gateway shapes, each invoked against the real handler.

Placeholders (key, secret, account, credential id) are swapped for a freshly provisioned credential
where the case needs one; everything else is the file as `sam local invoke -e` would send it.
"""

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from credentials_service.domain import secrets
from credentials_service.errors import InvalidEvent
from local_runner.template import Template
from tests.support.callers import Caller
from tests.support.dynamodb_requests import RequestCounter
from tests.support.lambdas import lambda_context, load_handler
from tests.support.sample_events import (
    EVENTS,
    PLACEHOLDER_KEY,
    PLACEHOLDER_SECRET,
    SECRET_HEADERS,
    load,
    set_header,
    with_caller,
)

ROOT = Path(__file__).resolve().parents[2]

_USED: set[str] = set()


def uses(*names: str) -> list[str]:
    """Parametrize over event files, and record at import time that a test uses them."""
    _USED.update(names)
    return list(names)


def use(name: str) -> str:
    return uses(name)[0]


def event_files() -> list[str]:
    return sorted(str(path.relative_to(EVENTS)) for path in EVENTS.rglob("*.json"))


# --- substitution ----------------------------------------------------------------------------------


def with_credential_id(event: dict[str, Any], credential_id: int) -> dict[str, Any]:
    event = copy.deepcopy(event)
    event["pathParameters"]["id"] = str(credential_id)
    event["path"] = event["resource"].replace("{id}", str(credential_id))
    event["requestContext"]["path"] = f"/{event['requestContext']['stage']}{event['path']}"
    return event


# --- invocation ------------------------------------------------------------------------------------


def function_for(template: Template, name: str):
    """events/<folder>/... belongs to the function whose CodeUri is functions/<folder>/."""
    folder = Path(name).parts[0]
    matches = [fn for fn in template.functions.values() if fn.code_uri.name == folder]
    assert len(matches) == 1, f"events/{folder}/ matches no single function of template.yaml"
    return matches[0]


def authorize(template: Template, event: dict[str, Any]) -> dict[str, Any]:
    handler = load_handler(template.functions["AuthorizerFunction"])
    return handler(event, lambda_context("AuthorizerFunction"))


def invoke(template: Template, name: str, event: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
    function = function_for(template, name)
    response = load_handler(function)(event, lambda_context(function.logical_id))
    body = json.loads(response["body"]) if response.get("body") else None
    # Powertools answers in the event's style: multiValueHeaders when the event has them (as here).
    headers = {**(response.get("headers") or {}),
               **{name: values[-1] for name, values in (response.get("multiValueHeaders") or {}).items()}}
    assert headers.get("X-Request-Id") == event["requestContext"]["requestId"]
    if body is not None:
        assert headers.get("Content-Type") == "application/json"
    return response["statusCode"], body, headers


def assert_unauthorized(template: Template, event: dict[str, Any]) -> None:
    with pytest.raises(Exception, match="^Unauthorized$"):
        authorize(template, event)


# --- the files themselves --------------------------------------------------------------------------


def test_every_event_file_is_used_by_a_test() -> None:
    # Given the files in events/ and the names the tests below parametrize over
    files = set(event_files())
    # Then each file is exercised and no test names a missing file
    assert files, "events/ has no sample events"
    assert files - _USED == set(), "event files no test uses"
    assert _USED - files == set(), "tests name event files that do not exist"


def is_eventbridge(event: dict[str, Any]) -> bool:
    return "detail-type" in event


@pytest.mark.parametrize("name", event_files())
def test_event_belongs_to_a_template_function(template: Template, name: str) -> None:
    function = function_for(template, name)
    event = load(name)
    if is_eventbridge(event):
        rules = [e for e in template.resources[function.logical_id]["Properties"]["Events"].values()
                 if e["Type"] == "EventBridgeRule"]
        assert any(event["source"] in rule["Properties"]["Pattern"]["source"]
                   and event["detail-type"] in rule["Properties"]["Pattern"]["detail-type"] for rule in rules)
    elif function.logical_id == "AuthorizerFunction":
        # Any route the authorizer guards: its method and path are in methodArn.
        route = next(r for r in template.routes if (r.method, r.path) == (event["httpMethod"], event["resource"]))
        assert route.authorizer is not None
    else:
        routes = {(r.method, r.path): r for r in template.routes if r.function == function.logical_id}
        route = routes[(event["httpMethod"], event["resource"])]
        # a proxy event carries the authorizer's context exactly when the route has an authorizer
        assert ("authorizer" in event["requestContext"]) == (route.authorizer is not None)


@pytest.mark.parametrize("name", event_files())
def test_event_has_the_aws_shape(name: str) -> None:
    event = load(name)
    if is_eventbridge(event):
        assert {"version", "id", "source", "account", "time", "region", "resources", "detail"} <= set(event)
        assert isinstance(event["detail"], dict)
        return
    context = event["requestContext"]
    # headers and multiValueHeaders agree, as API Gateway sends them
    assert {k: [v] for k, v in event["headers"].items()} == event["multiValueHeaders"]
    # the path is the resource with its path parameters filled in
    pattern = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", event["resource"]) + "$"
    match = re.match(pattern, event["path"])
    assert match, f"{event['path']} does not match {event['resource']}"
    assert match.groupdict() == (event["pathParameters"] or {})
    assert context["requestId"] and context["resourcePath"] == event["resource"]
    assert context["httpMethod"] == event["httpMethod"]
    assert context["path"] == f"/{context['stage']}{event['path']}"
    if event.get("type") == "REQUEST":
        method_arn = event["methodArn"]
        assert re.fullmatch(r"arn:aws:execute-api:[\w-]+:\d{12}:\w+/\w+/[A-Z]+/.+", method_arn)
        assert method_arn.endswith(f"/{context['stage']}/{event['httpMethod']}{event['path']}")
        assert "authorizer" not in context
        return
    assert isinstance(event["body"], str | None) and event["isBase64Encoded"] is False
    authorizer = context.get("authorizer", {})
    # What a REQUEST authorizer's context becomes: every value a string (API Gateway adds the rest)
    assert all(isinstance(v, str) for k, v in authorizer.items() if k != "integrationLatency")
    if authorizer:
        principal = {"principal", "accountId", "credentialId", "scopes"} <= set(authorizer)
        assert principal or {"rejectStatus", "rejectMessage"} <= set(authorizer)


def test_placeholders_are_well_formed_so_the_format_check_passes() -> None:
    assert secrets.is_well_formed_api_key(PLACEHOLDER_KEY)
    assert secrets.is_well_formed_secret(PLACEHOLDER_SECRET)
    for name in event_files():
        headers = {k.lower(): v for k, v in load(name).get("headers", {}).items()}
        if "x-api-key" in headers:
            assert headers["x-api-key"] == PLACEHOLDER_KEY, name
        for header in SECRET_HEADERS:
            if header in headers and name != "authorizer/malformed-secret.json":
                assert headers[header] == PLACEHOLDER_SECRET, name


# --- authorizer ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", uses("authorizer/allowed.json", "authorizer/allowed-legacy-secret-header.json")
)
def test_authorizer_allows_a_valid_key_and_secret(template: Template, caller: Caller, name: str) -> None:
    # Given the event with a real credential substituted
    event = with_caller(load(name), caller)
    # When the authorizer decides
    decision = authorize(template, event)
    # Then it allows exactly this method and hands the account to the handlers
    statement = decision["policyDocument"]["Statement"]
    assert statement == [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}]
    assert decision["context"] == {
        "principal": "credential",
        "accountId": str(caller.account_id),
        "credentialId": "1",
        "scopes": "read,write,execute",
    }
    assert caller.secret not in json.dumps(decision)


@pytest.mark.parametrize("name", uses("authorizer/denied-wrong-secret.json"))
def test_authorizer_denies_a_wrong_secret(template: Template, caller: Caller, name: str) -> None:
    # Given the real key and account but the file's well-formed placeholder secret
    event = with_caller(load(name), caller, secret=False)
    assert caller.secret != PLACEHOLDER_SECRET
    # Then the authorizer refuses: API Gateway answers 401
    assert_unauthorized(template, event)


@pytest.mark.parametrize("name", uses("authorizer/denied-no-credentials.json"))
def test_authorizer_denies_a_request_without_credentials(template: Template, caller: Caller, name: str) -> None:
    assert_unauthorized(template, with_caller(load(name), caller))


@pytest.mark.parametrize("name", uses("authorizer/malformed-secret.json"))
def test_authorizer_refuses_a_malformed_secret_without_reading_the_table(
    template: Template, caller: Caller, dynamodb_calls: RequestCounter, name: str
) -> None:
    # Given a real key and account, and a secret whose checksum is wrong
    event = with_caller(load(name), caller, secret=False)
    handler = load_handler(template.functions["AuthorizerFunction"])
    dynamodb_calls.reset()
    # Then it is refused, and DynamoDB was never asked
    with pytest.raises(Exception, match="^Unauthorized$"):
        handler(event, lambda_context("AuthorizerFunction"))
    assert dynamodb_calls.requests() == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (use("authorizer/missing-account-header.json"), "x-account-id header is required"),
        (use("authorizer/invalid-account-header.json"), "invalid x-account-id header"),
    ],
)
def test_authorizer_passes_a_bad_account_header_on_as_a_400(
    template: Template, caller: Caller, name: str, message: str
) -> None:
    # Given a valid key and secret but no usable X-Account-ID (the file's own header value is kept)
    event = load(name)
    set_header(event, ("x-api-key",), caller.api_key)
    set_header(event, SECRET_HEADERS, caller.secret)
    # Then the request is allowed with a rejection the handler glue turns into a 400, and no principal
    decision = authorize(template, event)
    assert decision["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert decision["context"] == {"rejectStatus": "400", "rejectMessage": message}


# --- list --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", uses("list_credentials/default.json"))
def test_list_default_returns_the_first_page(template: Template, caller: Caller, name: str) -> None:
    event = with_caller(load(name), caller)
    status, body, _ = invoke(template, name, event)
    assert status == 200 and body["success"] is True
    page = body["data"]
    assert (page["total"], page["offset"], page["limit"]) == (1, 0, 10)
    assert [c["apiKey"] for c in page["credentials"]] == [caller.api_key]
    assert caller.secret not in json.dumps(body)


@pytest.mark.parametrize("name", uses("list_credentials/ordered-page.json"))
def test_list_ordered_page_uses_the_query(template: Template, caller: Caller, gateway, name: str) -> None:
    # Given two more credentials created by "alice" and "bob" (the default one by "signup")
    for who in ("bob", "alice"):
        assert gateway.request("POST", "/api/v1/credentials", caller.headers, {"createdBy": who}).status == 201
    # When the file's query (limit 5, orderBy created_by, orderByDirection ASC) runs
    event = with_caller(load(name), caller)
    status, body, _ = invoke(template, name, event)
    # Then the page is in created_by order
    assert status == 200
    assert body["data"]["limit"] == 5 and body["data"]["total"] == 3
    assert [c["createdBy"] for c in body["data"]["credentials"]] == ["alice", "bob", "signup"]


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        (use("list_credentials/bad-limit.json"), 400, "limit must be an integer between 1 and 100"),
        (use("list_credentials/rejected-missing-account-header.json"), 400, "x-account-id header is required"),
        (use("create_credential/invalid-json.json"), 400, "request body is not valid JSON"),
        (use("create_credential/missing-created-by.json"), 400, "createdBy is required"),
        (use("create_credential/missing-write-scope.json"), 403, "credential missing required scope: write"),
        (use("archive_credential/missing-archived-by.json"), 400, "archivedBy is required"),
        (
            use("archive_credential/last-active-credential.json"),
            409,
            "an account must keep at least one active credential",
        ),
        (use("archive_credential/unknown-credential.json"), 404, "credential not found"),
        (use("get_credential/not-found.json"), 404, "credential not found"),
        (use("get_credential/invalid-id.json"), 400, "credential id must be a positive integer"),
        (use("update_credential/change-api-key.json"), 400, "apiKey cannot be changed; only archived can"),
        (use("update_credential/missing-modified-by.json"), 400, "modifiedBy is required"),
        (use("delete_credential/missing-deleted-by.json"), 400, "deletedBy is required"),
        (
            use("delete_credential/last-active-credential.json"),
            409,
            "an account must keep at least one active credential",
        ),
    ],
)
def test_refused_requests_answer_with_the_contract_envelope(
    template: Template, caller: Caller, name: str, status: int, message: str
) -> None:
    # Given the file on behalf of a freshly provisioned account (one active credential, id 1)
    event = with_caller(load(name), caller)
    # Then the handler answers the contract's status and one-line message
    got_status, body, _ = invoke(template, name, event)
    assert (got_status, body) == (status, {"data": message, "success": False})


# --- create --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", uses("create_credential/valid.json"))
def test_create_valid_returns_the_secret_once_and_it_authenticates(
    template: Template, caller: Caller, name: str
) -> None:
    # When the file's body (createdBy user123, scopes read+write, 1 day) is posted
    event = with_caller(load(name), caller)
    status, body, _ = invoke(template, name, event)
    # Then 201 with the new credential and its secret under both names
    assert status == 201 and body["success"] is True
    created = body["data"]
    assert created["accountId"] == caller.account_id and created["id"] == 2
    assert created["createdBy"] == "user123" and created["scopes"] == ["read", "write"]
    assert created["expiresAt"] is not None and created["archived"] is False
    assert created["plaintextSecret"] == created["apiSecret"]
    assert secrets.is_well_formed_secret(created["plaintextSecret"])
    # And the new key + secret pass the authorizer (allowed.json with them substituted)
    new = Caller(caller.account_id, created["apiKey"], created["plaintextSecret"])
    decision = authorize(template, with_caller(load("authorizer/allowed.json"), new))
    assert decision["context"]["credentialId"] == "2" and decision["context"]["scopes"] == "read,write"


# --- archive -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", uses("archive_credential/valid.json"))
def test_archive_valid_stops_the_credential_authenticating(
    template: Template, caller: Caller, gateway, name: str
) -> None:
    # Given a second active credential in the account
    response = gateway.request("POST", "/api/v1/credentials", caller.headers, {"createdBy": "user123"})
    second = Caller(caller.account_id, response.body["data"]["apiKey"], response.body["data"]["plaintextSecret"])
    event = with_credential_id(with_caller(load(name), caller), response.body["data"]["id"])
    # When it is archived with the file's body
    status, body, _ = invoke(template, name, event)
    # Then 204 with no body, and it no longer authenticates
    assert (status, body) == (204, None)
    assert_unauthorized(template, with_caller(load("authorizer/allowed.json"), second))
    assert authorize(template, with_caller(load("authorizer/allowed.json"), caller))["context"]["credentialId"] == "1"


# --- get, update, delete ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", uses("get_credential/valid.json"))
def test_get_valid_returns_the_credential_without_its_secret(template: Template, caller: Caller, name: str) -> None:
    status, body, _ = invoke(template, name, with_caller(load(name), caller))
    assert status == 200 and body["success"] is True
    assert (body["data"]["id"], body["data"]["apiKey"]) == (1, caller.api_key)
    assert "plaintextSecret" not in body["data"] and caller.secret not in json.dumps(body)


@pytest.mark.parametrize("name", uses("update_credential/valid.json"))
def test_update_valid_records_the_modifier_and_keeps_the_state(template: Template, caller: Caller, name) -> None:
    status, body, _ = invoke(template, name, with_caller(load(name), caller))
    assert status == 200
    assert (body["data"]["modifiedBy"], body["data"]["archived"]) == ("user123", False)
    assert body["data"]["dateModified"] is not None


@pytest.mark.parametrize("name", uses("delete_credential/valid.json"))
def test_delete_valid_hides_the_credential_and_stops_it_authenticating(
    template: Template, caller: Caller, gateway, name: str
) -> None:
    # Given a second active credential
    response = gateway.request("POST", "/api/v1/credentials", caller.headers, {"createdBy": "user123"})
    second = Caller(caller.account_id, response.body["data"]["apiKey"], response.body["data"]["plaintextSecret"])
    credential_id = response.body["data"]["id"]
    # When the file deletes it
    status, body, _ = invoke(template, name, with_credential_id(with_caller(load(name), caller), credential_id))
    # Then 204, it is gone from get, and it no longer authenticates
    assert (status, body) == (204, None)
    assert gateway.request("GET", f"/api/v1/credentials/{credential_id}", caller.headers).status == 404
    assert_unauthorized(template, with_caller(load("authorizer/allowed.json"), second))


# --- healthcheck --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", uses("healthcheck/default.json"))
def test_healthcheck_answers_without_credentials(template: Template, function_env: None, name: str) -> None:
    status, body, _ = invoke(template, name, load(name))
    assert status == 200 and body["success"] is True


# --- signup provisioning --------------------------------------------------------------------------------------


def provision(template: Template, event: dict[str, Any]) -> dict[str, Any]:
    function = function_for(template, "provision_account/")
    return load_handler(function)(event, lambda_context(function.logical_id))


@pytest.mark.parametrize("name", uses("provision_account/account-created.json"))
def test_account_created_provisions_a_working_default_credential_once(
    template: Template, function_env: None, name: str
) -> None:
    event = load(name)
    account = event["detail"]["accountId"]
    # When the event is delivered
    first = provision(template, event)
    # Then the account has a default credential, whose secret is in the result and authenticates
    assert (first["accountId"], first["provisioned"]) == (account, True)
    credential = first["credential"]
    assert credential["scopes"] == ["read", "write", "execute"] and credential["expiresAt"] is None
    default = Caller(account, credential["apiKey"], credential["plaintextSecret"])
    assert authorize(template, with_caller(load("authorizer/allowed.json"), default))["context"]["accountId"] == str(
        account
    )
    # And a repeated delivery succeeds and creates nothing more
    assert provision(template, event) == {"accountId": account, "provisioned": False, "credential": None}


@pytest.mark.parametrize("name", uses("provision_account/malformed.json"))
def test_a_malformed_account_created_event_is_refused(template: Template, function_env: None, name: str) -> None:
    with pytest.raises(InvalidEvent, match="accountId"):
        provision(template, load(name))
