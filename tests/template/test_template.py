"""The infrastructure definition: template.yaml's own promises, checked resource by resource.

Written to keep holding as functions and routes are added: rules are checked for every function,
route, table and Gateway Response there is; the specifics of the first routes are pinned below.
"""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from credentials_service.errors import UNAUTHORIZED_MESSAGE
from credentials_service.repository.keys import ACTIVE_INDEX
from local_runner.template import Template, create_table_kwargs, load_template
from tests.support.deployments import cache_on

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"

TABLE = "CredentialsTable"
AUTHORIZER = "AuthorizerFunction"
HEALTHCHECK = "/api/v1/healthcheck"
SERVERLESS_FUNCTION = "AWS::Serverless::Function"

# --- helpers -------------------------------------------------------------------------------------


def serverless_functions(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lid: res for lid, res in raw["Resources"].items() if res["Type"] == SERVERLESS_FUNCTION}


def function_property(raw: dict[str, Any], logical_id: str, name: str) -> Any:
    """A function's own property, else the Globals one (SAM's rule for scalars and lists it replaces)."""
    own = raw["Resources"][logical_id].get("Properties") or {}
    return own[name] if name in own else ((raw.get("Globals") or {}).get("Function") or {}).get(name)


def api_properties(template: Template) -> dict[str, Any]:
    (api,) = [res for res in template.resources.values() if res["Type"] == "AWS::Serverless::Api"]
    return template.resolver.resolve(api["Properties"])


def table_arn(template: Template, logical_id: str = TABLE) -> str:
    return template.resolver.resolve({"Fn::GetAtt": [logical_id, "Arn"]})


def policies(template: Template, logical_id: str) -> list[Any]:
    value = template.resolver.resolve((template.resources[logical_id].get("Properties") or {}).get("Policies") or [])
    return value if isinstance(value, list) else [value]


def statements(template: Template, logical_id: str) -> list[dict[str, Any]]:
    found = []
    for policy in policies(template, logical_id):
        if isinstance(policy, dict) and "Statement" in policy:
            statement = policy["Statement"]
            found.extend(statement if isinstance(statement, list) else [statement])
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def actions(template: Template, logical_id: str) -> set[str]:
    """Allowed IAM actions of the function's inline statements, lower-cased (IAM ignores case)."""
    return {
        action.lower()
        for statement in statements(template, logical_id)
        if statement.get("Effect") == "Allow"
        for action in as_list(statement.get("Action", []))
    }


def render_body(template_text: str) -> Any:
    """A Gateway Response body template as JSON: each $context placeholder stands for a string.

    Inside a JSON string it is replaced by text, outside (e.g. $context.error.messageString, which
    API Gateway substitutes already quoted) by a quoted string.
    """
    placeholder = re.compile(r"\$\{?context\.[A-Za-z0-9_.]+\}?")
    out, in_string, i = [], False, 0
    while i < len(template_text):
        char = template_text[i]
        if in_string and char == "\\":
            out.append(template_text[i : i + 2])
            i += 2
            continue
        match = placeholder.match(template_text, i)
        if match:
            out.append("placeholder" if in_string else '"placeholder"')
            i = match.end()
            continue
        if char == '"':
            in_string = not in_string
        out.append(char)
        i += 1
    return json.loads("".join(out))


# --- the file as a whole ---------------------------------------------------------------------------


def test_cfn_lint_is_clean() -> None:
    # cfn-lint's own entry point, from this interpreter (python -m cfnlint is not runnable)
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())", str(TEMPLATE)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_sam_transform_so_every_sam_translator_and_cfn_lint_read_it_alike(raw: dict[str, Any]) -> None:
    assert as_list(raw["Transform"]) == ["AWS::Serverless-2016-10-31"]


@pytest.mark.parametrize(
    ("authorizer", "ttl", "accepted"),
    [("CredentialsAuthorizer", 0, True), ("CredentialsAuthorizer", 300, False),
     ("CachedCredentialsAuthorizer", 300, True), ("CachedCredentialsAuthorizer", 0, False)],
)
def test_a_rule_keeps_the_cache_ttl_in_step_with_the_authorizer(raw, authorizer: str, ttl: int, accepted: bool):
    template = load_template(TEMPLATE, {"Authorizer": authorizer, "AuthorizerCacheTtlSeconds": ttl})
    (rule,) = raw["Rules"].values()
    assert all(template.resolver.resolve(a["Assert"]) is accepted for a in rule["Assertions"])


# --- functions ---------------------------------------------------------------------------------------


def test_the_first_functions_exist(template: Template) -> None:
    expected = {AUTHORIZER, "ListCredentialsFunction", "CreateCredentialFunction", "ArchiveCredentialFunction"}
    assert expected <= set(template.functions)


@pytest.mark.parametrize("setting", ["Runtime", "Architectures"])
def test_every_function_is_python313_on_arm64(raw: dict[str, Any], setting: str) -> None:
    expected = {"Runtime": "python3.13", "Architectures": ["arm64"]}[setting]
    for logical_id in serverless_functions(raw):
        assert function_property(raw, logical_id, setting) == expected, logical_id


def test_every_function_uses_the_shared_layer(template: Template) -> None:
    shared = (ROOT / "layers" / "shared").resolve()
    for function in template.functions.values():
        assert shared in function.layer_dirs, function.logical_id


def test_every_handler_exists(template: Template) -> None:
    for function in template.functions.values():
        module, attribute = function.handler.rsplit(".", 1)
        source = function.code_uri / f"{module}.py"
        assert source.is_file(), f"{function.logical_id}: no {source}"
        assert re.search(rf"^def {attribute}\(", source.read_text(), re.MULTILINE), function.logical_id


def test_the_shared_layer_is_built_by_sam_for_python313_arm64(raw: dict[str, Any]) -> None:
    layer = raw["Resources"]["SharedLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
    # The makefile builds for Lambda's runtime and architecture, and ships bytecode.
    makefile = (ROOT / "layers/shared/Makefile").read_text()
    assert "build-SharedLayer:" in makefile
    assert "--platform manylinux2014_aarch64" in makefile and "--python-version 3.13" in makefile
    assert "--invalidation-mode unchecked-hash" in makefile
    assert layer["Properties"]["ContentUri"].rstrip("/") == "layers/shared"
    assert "python3.13" in layer["Properties"]["CompatibleRuntimes"]
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]
    assert (ROOT / "layers" / "shared" / "credentials_service" / "__init__.py").is_file()


def test_the_layer_requirements_pin_the_project_runtime_dependencies() -> None:
    # boto3 comes with the Lambda runtime; everything else the layer imports must be installed by sam build
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    layer = [
        line.strip()
        for line in (ROOT / "layers" / "shared" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(layer) == sorted(dep for dep in project if not dep.startswith(("boto3", "botocore")))
    assert all("==" in line for line in layer), "pin the layer's dependencies exactly"


def test_every_function_reads_the_table_name_of_the_table(template: Template) -> None:
    table_name = template.resolver.resolve({"Ref": TABLE})
    for function in template.functions.values():
        assert function.environment.get("TABLE_NAME") == table_name, function.logical_id


# --- the table -----------------------------------------------------------------------------------------


def tables(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lid: res for lid, res in raw["Resources"].items() if res["Type"] == "AWS::DynamoDB::Table"}


def test_every_table_is_on_demand_and_encrypted(raw: dict[str, Any]) -> None:
    assert TABLE in tables(raw)
    for logical_id, table in tables(raw).items():
        assert table["Properties"]["BillingMode"] == "PAY_PER_REQUEST", logical_id
        assert table["Properties"]["SSESpecification"]["SSEEnabled"] is True, logical_id


def test_the_credentials_table_survives_mistakes(raw: dict[str, Any]) -> None:
    table = raw["Resources"][TABLE]
    assert table["DeletionPolicy"] == "Retain" and table["UpdateReplacePolicy"] == "Retain"
    assert table["Properties"]["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


def test_the_credentials_table_is_keyed_on_pk_and_sk(raw: dict[str, Any]) -> None:
    props = raw["Resources"][TABLE]["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    types = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
    assert types["pk"] == types["sk"] == "S"


def test_the_active_index_is_local_so_the_list_can_read_it_consistently(raw: dict[str, Any]) -> None:
    # The repository queries ACTIVE_INDEX with ConsistentRead, which DynamoDB allows only on an LSI,
    # and builds full credentials from it, which needs every attribute projected.
    props = raw["Resources"][TABLE]["Properties"]
    local = {index["IndexName"]: index for index in props.get("LocalSecondaryIndexes", [])}
    assert ACTIVE_INDEX in local
    assert local[ACTIVE_INDEX]["KeySchema"][0] == {"AttributeName": "pk", "KeyType": "HASH"}
    assert local[ACTIVE_INDEX]["Projection"] == {"ProjectionType": "ALL"}


def test_the_moto_table_matches_the_template(template: Template, raw: dict[str, Any], table_name: str,
                                             dynamodb) -> None:
    # Given the table the other tests create from the template (tests/conftest.py)
    props = raw["Resources"][TABLE]["Properties"]
    kwargs = create_table_kwargs(template, TABLE, table_name)
    assert kwargs["KeySchema"] == props["KeySchema"]
    assert kwargs["AttributeDefinitions"] == props["AttributeDefinitions"]
    assert kwargs["BillingMode"] == "PAY_PER_REQUEST"
    # Then the table moto really built has the template's keys and indexes
    described = dynamodb.describe_table(TableName=table_name)["Table"]
    assert described["KeySchema"] == props["KeySchema"]
    assert sorted(described["AttributeDefinitions"], key=str) == sorted(props["AttributeDefinitions"], key=str)
    built = {i["IndexName"]: i for i in described.get("LocalSecondaryIndexes", [])}
    for index in props.get("LocalSecondaryIndexes", []):
        assert built[index["IndexName"]]["KeySchema"] == index["KeySchema"]
        assert built[index["IndexName"]]["Projection"]["ProjectionType"] == index["Projection"]["ProjectionType"]
    assert set(built) == {i["IndexName"] for i in props.get("LocalSecondaryIndexes", [])}
    assert {i["IndexName"] for i in described.get("GlobalSecondaryIndexes", [])} == {
        i["IndexName"] for i in props.get("GlobalSecondaryIndexes", [])
    }


# --- the API, its routes and its authorizer ----------------------------------------------------------


FIRST_ROUTES = {
    ("GET", "/api/v1/credentials"): "ListCredentialsFunction",
    ("POST", "/api/v1/credentials"): "CreateCredentialFunction",
    ("POST", "/api/v1/credentials/{id}/archive"): "ArchiveCredentialFunction",
}


def test_the_api_is_one_rest_api_with_a_request_lambda_authorizer_by_default(template: Template, raw) -> None:
    apis = [lid for lid, res in raw["Resources"].items() if res["Type"] == "AWS::Serverless::Api"]
    assert apis == ["CredentialsApi"]
    auth = api_properties(template)["Auth"]
    default = auth["DefaultAuthorizer"]
    assert auth["Authorizers"][default]["FunctionPayloadType"] == "REQUEST"
    assert template.authorizers[default].function == AUTHORIZER
    assert raw["Resources"]["CredentialsApi"]["Properties"]["Auth"]["Authorizers"][default]["FunctionArn"] == {
        "Fn::GetAtt": [AUTHORIZER, "Arn"]
    }


def test_the_first_routes_go_to_their_functions(template: Template) -> None:
    routes = {(route.method, route.path): route.function for route in template.routes}
    assert FIRST_ROUTES.items() <= routes.items()


def test_routes_are_unique_and_under_api_v1(template: Template) -> None:
    keys = [(route.method, route.path) for route in template.routes]
    assert len(keys) == len(set(keys))
    assert all(path.startswith("/api/v1/") for _, path in keys)


def test_every_api_event_is_on_the_credentials_api(raw: dict[str, Any]) -> None:
    # Without RestApiId, SAM puts the route on an implicit API that has no authorizer.
    for logical_id, function in serverless_functions(raw).items():
        for name, event in ((function.get("Properties") or {}).get("Events") or {}).items():
            if event["Type"] == "Api":
                assert event["Properties"].get("RestApiId") == {"Ref": "CredentialsApi"}, f"{logical_id}.{name}"


def test_every_route_but_the_healthcheck_uses_the_authorizer(template: Template) -> None:
    default = api_properties(template)["Auth"]["DefaultAuthorizer"]
    for route in template.routes:
        expected = None if route.path == HEALTHCHECK else default
        assert route.authorizer == expected, f"{route.method} {route.path}"


def test_the_authorizer_is_no_route_of_its_own(template: Template) -> None:
    assert template.functions[AUTHORIZER].event_types == ()


def test_by_default_the_authorizer_cache_is_off_and_declares_no_identity_source(template: Template) -> None:
    # With identity sources, API Gateway answers 401 itself when one is missing: no 400 for a missing
    # X-Account-ID, no operator Basic auth.
    authorizer = template.default_authorizer
    assert authorizer.ttl_seconds == 0
    assert authorizer.identity_headers == ()
    identity = api_properties(template)["Auth"]["Authorizers"][authorizer.name]["Identity"]
    assert set(identity) <= {"ReauthorizeEvery"}
    assert template.functions[AUTHORIZER].environment["AUTHORIZER_CACHE_ENABLED"] == "false"


@pytest.mark.parametrize("ttl", [1, 300, 3600])
def test_with_the_cache_on_the_cache_key_is_key_secret_and_account(ttl: int) -> None:
    template = load_template(TEMPLATE, parameter_overrides=cache_on(ttl))
    authorizer = template.default_authorizer
    assert authorizer.ttl_seconds == ttl
    assert sorted(authorizer.identity_headers) == sorted(["X-API-Key", "X-Secret-Key", "X-Account-ID"])
    # ...and the authorizer knows, so its policy covers the whole API (one cached answer, every route)
    assert template.functions[AUTHORIZER].environment["AUTHORIZER_CACHE_ENABLED"] == "true"


def test_operator_auth_is_on_by_default(template: Template) -> None:
    assert template.functions[AUTHORIZER].environment["OPERATOR_AUTH_ENABLED"] == "true"


def test_operator_auth_is_forced_off_when_the_cache_is_on(cached: Template, operator_off: Template) -> None:
    assert cached.parameters["OperatorAuthEnabled"] == "true"
    assert cached.functions[AUTHORIZER].environment["OPERATOR_AUTH_ENABLED"] == "false"
    assert operator_off.functions[AUTHORIZER].environment["OPERATOR_AUTH_ENABLED"] == "false"


# --- least privilege ----------------------------------------------------------------------------------

# What each route's code does to the table (repository/credentials.py): one function may serve several
# routes, and then needs the union. TransactWriteItems is authorised per item: Put -> PutItem, Update ->
# UpdateItem.
ROUTE_ACTIONS = {
    ("GET", "/api/v1/credentials"): {"dynamodb:GetItem", "dynamodb:Query"},
    ("POST", "/api/v1/credentials"): {"dynamodb:UpdateItem", "dynamodb:PutItem"},
    ("POST", "/api/v1/credentials/{id}/archive"): {"dynamodb:GetItem", "dynamodb:UpdateItem"},
    ("GET", "/api/v1/credentials/{id}"): {"dynamodb:GetItem"},
    ("PUT", "/api/v1/credentials/{id}"): {"dynamodb:GetItem", "dynamodb:UpdateItem"},
    ("DELETE", "/api/v1/credentials/{id}"): {"dynamodb:GetItem", "dynamodb:UpdateItem"},
}
READ_ONLY = {"dynamodb:getitem", "dynamodb:describetable"}
FORBIDDEN_ACTIONS = {
    "dynamodb:scan", "dynamodb:deleteitem", "dynamodb:batchwriteitem", "dynamodb:deletetable",
    "dynamodb:updatetable", "dynamodb:partiqldelete", "dynamodb:partiqlupdate", "dynamodb:partiqlinsert",
}
BROAD_MANAGED_POLICY = re.compile(r"FullAccess|Administrator|PowerUser|DynamoDB", re.IGNORECASE)


def expected_route_actions(template: Template) -> dict[str, set[str]]:
    expected: dict[str, set[str]] = {}
    for route in template.routes:
        if route.path == HEALTHCHECK:
            continue
        key = (route.method, route.path)
        assert key in ROUTE_ACTIONS, f"{key}: add the route's IAM actions to ROUTE_ACTIONS"
        expected.setdefault(route.function, set()).update(a.lower() for a in ROUTE_ACTIONS[key])
    return expected


def test_every_route_function_has_exactly_the_actions_it_needs(template: Template) -> None:
    expected = expected_route_actions(template)
    assert set(FIRST_ROUTES.values()) <= set(expected)
    for logical_id, needed in expected.items():
        assert actions(template, logical_id) == needed, logical_id


def test_the_healthcheck_if_any_only_reads(template: Template) -> None:
    for route in template.routes:
        if route.path == HEALTHCHECK:
            assert actions(template, route.function) <= READ_ONLY


def test_the_authorizer_reads_key_lookups_and_the_operator_parameter_only(template: Template) -> None:
    assert actions(template, AUTHORIZER) == {"dynamodb:getitem", "ssm:getparameter"}
    by_action = {a.lower(): s for s in statements(template, AUTHORIZER) for a in as_list(s["Action"])}
    assert as_list(by_action["dynamodb:getitem"]["Resource"]) == [table_arn(template)]
    parameter = template.parameters["OperatorCredentialsParameterName"]
    assert as_list(by_action["ssm:getparameter"]["Resource"]) == [
        f"arn:aws:ssm:us-east-1:123456789012:parameter{parameter}"
    ]


@pytest.mark.parametrize("variant", ["cached", "operator_off"])
def test_without_operator_auth_the_authorizer_cannot_read_ssm(variant: str, request) -> None:
    template = request.getfixturevalue(variant)
    assert actions(template, AUTHORIZER) == {"dynamodb:getitem"}


def test_no_function_has_broad_or_destructive_permissions(template: Template) -> None:
    for logical_id in template.functions:
        granted = actions(template, logical_id)
        assert not any("*" in action for action in granted), f"{logical_id}: wildcard action in {granted}"
        assert not granted & FORBIDDEN_ACTIONS, logical_id
        for statement in statements(template, logical_id):
            assert "NotAction" not in statement and "NotResource" not in statement, logical_id


def test_dynamodb_permissions_name_the_table_never_a_wildcard(template: Template) -> None:
    arns = [table_arn(template, lid) for lid in template.resources if template.resources[lid]["Type"]
            == "AWS::DynamoDB::Table"]
    allowed = set(arns) | {f"{arn}/index/*" for arn in arns}
    for logical_id in template.functions:
        for statement in statements(template, logical_id):
            if any(str(a).lower().startswith("dynamodb:") for a in as_list(statement["Action"])):
                assert set(as_list(statement["Resource"])) <= allowed, logical_id


def test_no_function_gets_access_from_policy_templates_managed_policies_or_its_own_role(template) -> None:
    # DynamoDB access is granted by inline statements only, so the tests above see all of it.
    for logical_id, resource in template.resources.items():
        if resource["Type"] != SERVERLESS_FUNCTION:
            continue
        assert "Role" not in (resource.get("Properties") or {}), f"{logical_id}: a Role bypasses Policies"
        for policy in policies(template, logical_id):
            if isinstance(policy, str):
                assert not BROAD_MANAGED_POLICY.search(policy), f"{logical_id}: managed policy {policy}"
            elif "Statement" not in policy:
                (name,) = policy
                assert not name.startswith("DynamoDB"), f"{logical_id}: SAM policy template {name}"


# --- Gateway Responses -----------------------------------------------------------------------------------

REQUIRED_RESPONSES = {
    "UNAUTHORIZED": 401,
    "ACCESS_DENIED": 403,
    "MISSING_AUTHENTICATION_TOKEN": 404,
    "THROTTLED": 429,
    "INTEGRATION_FAILURE": 502,
    "DEFAULT_4XX": None,
    "DEFAULT_5XX": None,
}


def test_the_gateway_makes_the_contract_errors(template: Template) -> None:
    responses = template.gateway_responses
    assert set(REQUIRED_RESPONSES) <= set(responses)
    for response_type, status in REQUIRED_RESPONSES.items():
        if status is not None:
            assert int(responses[response_type]["StatusCode"]) == status, response_type


def test_every_gateway_response_speaks_the_envelope(template: Template) -> None:
    for response_type, response in template.gateway_responses.items():
        headers = response["ResponseParameters"]["Headers"]
        assert headers["Content-Type"] == "'application/json'", response_type
        assert headers.get("X-Request-Id") == "context.requestId", response_type
        body = render_body(response["ResponseTemplates"]["application/json"])
        assert set(body) == {"data", "success"} and body["success"] is False, response_type
        assert isinstance(body["data"], str) and body["data"], response_type


def test_the_unauthorized_response_is_the_contract_message(template: Template) -> None:
    body = template.gateway_responses["UNAUTHORIZED"]["ResponseTemplates"]["application/json"]
    assert body == '{"data": "unauthorized request - cannot determine authentication type", "success": false}'
    assert json.loads(body)["data"] == UNAUTHORIZED_MESSAGE


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ('{"data": "$context.error.message", "success": false}', "placeholder"),
        ('{"data": $context.error.messageString, "success": false}', "placeholder"),
        ('{"data": "at ${context.requestId}: \\"x\\"", "success": false}', 'at placeholder: "x"'),
    ],
)
def test_body_templates_are_read_with_placeholders_as_strings(text: str, data: str) -> None:
    assert render_body(text) == {"data": data, "success": False}


# --- parameters ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "minimum", "maximum", "default"),
    [
        ("AuthorizerCacheTtlSeconds", 0, 3600, 0),
        ("DefaultCredentialLifetimeSeconds", 0, 7776000, 0),
        ("MaxActiveCredentialsPerAccount", 1, None, None),
        ("ThrottlingRateLimit", 1, None, None),
        ("ThrottlingBurstLimit", 1, None, None),
    ],
)
def test_numeric_parameters_are_bounded(raw: dict[str, Any], name: str, minimum, maximum, default) -> None:
    spec = raw["Parameters"][name]
    assert spec["Type"] == "Number"
    assert int(spec["MinValue"]) == minimum
    assert "MaxValue" in spec and int(spec["MaxValue"]) >= int(spec["MinValue"])
    assert int(spec["MinValue"]) <= int(spec["Default"]) <= int(spec["MaxValue"])
    if maximum is not None:
        assert int(spec["MaxValue"]) == maximum
    if default is not None:
        assert int(spec["Default"]) == default


def test_stage_throttling_comes_from_the_parameters() -> None:
    template = load_template(TEMPLATE, parameter_overrides={"ThrottlingRateLimit": 7, "ThrottlingBurstLimit": 9})
    settings = api_properties(template)["MethodSettings"]
    whole_stage = [s for s in settings if s["ResourcePath"] == "/*" and s["HttpMethod"] == "*"]
    assert len(whole_stage) == 1
    assert (int(whole_stage[0]["ThrottlingRateLimit"]), int(whole_stage[0]["ThrottlingBurstLimit"])) == (7, 9)


def test_lifetime_and_cap_reach_the_functions() -> None:
    template = load_template(
        TEMPLATE,
        parameter_overrides={"DefaultCredentialLifetimeSeconds": 3600, "MaxActiveCredentialsPerAccount": 5},
    )
    for route in template.routes:
        environment = template.functions[route.function].environment
        assert environment["DEFAULT_CREDENTIAL_LIFETIME_SECONDS"] == "3600", route.function
        assert environment["MAX_ACTIVE_CREDENTIALS_PER_ACCOUNT"] == "5", route.function
