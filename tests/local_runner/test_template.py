"""template.yaml resolved for local use: everything the runner serves comes from the template."""

from pathlib import Path

import pytest

from local_runner.cfn_yaml import load_cfn_yaml
from local_runner.template import Route, TemplateError, create_table_kwargs, load_template
from tests.support.deployments import cache_on

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"


def test_routes_come_from_the_functions_api_events():
    template = load_template(TEMPLATE)
    raw = load_cfn_yaml(TEMPLATE)["Resources"]
    expected = {
        (event["Properties"]["Method"].upper(), event["Properties"]["Path"], logical_id)
        for logical_id, resource in raw.items()
        for event in (resource.get("Properties", {}).get("Events") or {}).values()
        if event["Type"] == "Api"
    }
    assert expected  # the template has routes at all
    assert {(r.method, r.path, r.function) for r in template.routes} == expected
    assert all(r.authorizer == "CredentialsAuthorizer" for r in template.routes if "credentials" in r.path)


def test_functions_have_their_code_layer_and_resolved_environment():
    template = load_template(TEMPLATE)
    for function in template.functions.values():
        assert (function.code_uri / f"{function.handler.split('.')[0]}.py").is_file()
        assert function.layer_dirs == (ROOT / "layers" / "shared",)
        assert function.environment["TABLE_NAME"] == "CredentialsTable"  # !Ref of the table
        assert function.environment["MAX_ACTIVE_CREDENTIALS_PER_ACCOUNT"] == "100"  # !Ref of a Number, a string
        assert all(isinstance(value, str) for value in function.environment.values())


def test_identity_sources_are_empty_by_default_and_the_three_headers_with_the_cache_on():
    default = load_template(TEMPLATE).default_authorizer
    assert default.name == "CredentialsAuthorizer"
    assert default.function == "AuthorizerFunction"
    assert (default.identity_headers, default.ttl_seconds) == ((), 0)

    cached = load_template(TEMPLATE, cache_on(300))
    authorizer = cached.default_authorizer
    assert authorizer.name == "CachedCredentialsAuthorizer"
    assert all(route.authorizer == authorizer.name for route in cached.routes if "credentials" in route.path)
    assert authorizer.identity_headers == ("X-API-Key", "X-Secret-Key", "X-Account-ID")
    assert authorizer.ttl_seconds == 300
    environment = cached.functions["AuthorizerFunction"].environment
    assert environment["AUTHORIZER_CACHE_ENABLED"] == "true"
    assert environment["OPERATOR_AUTH_ENABLED"] == "false"  # Fn::And with Fn::Not of the cache condition


def test_gateway_responses_and_stage_come_from_the_api():
    template = load_template(TEMPLATE, {"StageName": "dev"})
    assert template.stage == "dev"
    assert template.gateway_responses["MISSING_AUTHENTICATION_TOKEN"]["StatusCode"] == 404
    assert "DEFAULT_4XX" in template.gateway_responses


def test_create_table_kwargs_is_the_tables_own_definition():
    template = load_template(TEMPLATE)
    props = load_cfn_yaml(TEMPLATE)["Resources"]["CredentialsTable"]["Properties"]
    kwargs = create_table_kwargs(template, "CredentialsTable", "my-table")
    assert kwargs["TableName"] == "my-table"
    assert kwargs["KeySchema"] == props["KeySchema"]
    assert kwargs["AttributeDefinitions"] == props["AttributeDefinitions"]
    assert kwargs["BillingMode"] == props["BillingMode"]
    assert kwargs["LocalSecondaryIndexes"] == props["LocalSecondaryIndexes"]
    assert create_table_kwargs(template, "CredentialsTable")["TableName"] == "CredentialsTable"


def test_a_local_table_name_flows_into_every_ref():
    template = load_template(TEMPLATE, resource_names={"CredentialsTable": "local-creds"})
    assert {fn.environment["TABLE_NAME"] for fn in template.functions.values()} == {"local-creds"}
    assert create_table_kwargs(template, "CredentialsTable")["TableName"] == "local-creds"


def test_new_functions_and_routes_in_the_template_just_work(tmp_path: Path):
    extra = """
  HealthcheckFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/healthcheck/
      Handler: app.lambda_handler
      Events:
        Healthcheck:
          Type: Api
          Properties:
            RestApiId: !Ref CredentialsApi
            Path: /api/v1/healthcheck
            Method: GET
            Auth:
              Authorizer: NONE
  CredentialFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/credential/
      Handler: app.lambda_handler
      Events:
        Get: {Type: Api, Properties: {RestApiId: !Ref CredentialsApi, Path: "/api/v1/credentials/{id}", Method: GET}}
        Put: {Type: Api, Properties: {RestApiId: !Ref CredentialsApi, Path: "/api/v1/credentials/{id}", Method: PUT}}
  ProvisionAccountFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/provision_account/
      Handler: app.lambda_handler
      Events:
        AccountCreated:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [scheduler0.accounts], detail-type: [AccountCreated]}

Outputs:"""
    text = TEMPLATE.read_text(encoding="utf-8").replace("\nOutputs:", extra, 1)
    (tmp_path / "template.yaml").write_text(text, encoding="utf-8")
    template = load_template(tmp_path / "template.yaml")

    assert Route("GET", "/api/v1/healthcheck", "HealthcheckFunction", None) in template.routes
    assert Route("PUT", "/api/v1/credentials/{id}", "CredentialFunction", "CredentialsAuthorizer") in template.routes
    assert [fn.logical_id for fn in template.functions_with_event("EventBridgeRule")] == ["ProvisionAccountFunction"]
    assert template.functions["ProvisionAccountFunction"].environment["TABLE_NAME"] == "CredentialsTable"


def test_the_stub_template_resolves_sub_getatt_globals_and_any_routes(stub_project: Path):
    template = load_template(stub_project / "template.yaml")
    echo = template.functions["EchoFunction"]
    assert echo.environment["WHO"] == "echo"  # the function's own value beats Globals
    assert echo.environment["GREETING"] == "hello from us-east-1 in aws"
    assert echo.environment["TABLE_ARN"] == "arn:aws:dynamodb:us-east-1:123456789012:table/StubTable"
    assert echo.layer_dirs == (stub_project / "layer",)
    assert template.functions["BrokenFunction"].timeout == 2
    assert Route("ANY", "/things/{proxy+}", "EchoFunction", "StubAuthorizer") in template.routes
    assert Route("GET", "/health", "EchoFunction", None) in template.routes
    assert template.stage == "dev"


@pytest.mark.parametrize("overrides, message", [
    ({"NoSuchParameter": "1"}, "unknown parameter"),
    ({"LogLevel": "LOUD"}, "is not one of"),
])
def test_bad_parameter_overrides_are_refused(overrides, message):
    with pytest.raises(TemplateError, match=message):
        load_template(TEMPLATE, overrides)
