"""A small stub project (template, layer, handlers) in a temp dir, to test the runner on its own.

Every stub function's module is called `app`, as in the real project, so isolation between
functions is tested for real.
"""

import textwrap
from pathlib import Path

import pytest

STUB_TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Parameters:
  StageName: {Type: String, Default: dev}
  CacheTtl: {Type: Number, Default: 0}
Conditions:
  CacheOn: !Not [!Equals [!Ref CacheTtl, 0]]
Globals:
  Function:
    Runtime: python3.13
    Timeout: 5
    Layers: [!Ref StubLayer]
    Environment:
      Variables:
        TABLE_NAME: !Ref StubTable
        TABLE_ARN: !GetAtt StubTable.Arn
        GREETING: !Sub "hello from ${AWS::Region} in ${AWS::Partition}"
        WHO: global
Resources:
  StubTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
  StubLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layer/}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref StageName
      Auth:
        DefaultAuthorizer: StubAuthorizer
        Authorizers:
          StubAuthorizer:
            FunctionPayloadType: REQUEST
            FunctionArn: !GetAtt AuthorizerFunction.Arn
            Identity:
              ReauthorizeEvery: !Ref CacheTtl
              Headers: !If [CacheOn, [X-API-Key], !Ref AWS::NoValue]
      GatewayResponses:
        UNAUTHORIZED:
          StatusCode: 401
          ResponseParameters:
            Headers: {Content-Type: "'application/json'", X-Request-Id: context.requestId}
          ResponseTemplates:
            application/json: '{"data": "unauthorized", "success": false}'
        MISSING_AUTHENTICATION_TOKEN:
          StatusCode: 404
          ResponseTemplates:
            application/json: '{"data": "route not found", "success": false}'
        INTEGRATION_FAILURE:
          StatusCode: 502
          ResponseTemplates:
            application/json: '{"data": "integration failure", "success": false}'
        DEFAULT_4XX:
          ResponseParameters:
            Headers: {X-Who: context.authorizer.principalId}
          ResponseTemplates:
            application/json: '{"data": "$context.error.message", "success": false}'
        DEFAULT_5XX:
          ResponseTemplates:
            application/json: '{"data": "$context.error.message", "id": "$context.requestId"}'
  AuthorizerFunction:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: functions/authorizer/, Handler: app.handler}
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/echo/
      Handler: app.handler
      Environment: {Variables: {WHO: echo}}
      Events:
        GetItem: {Type: Api, Properties: {RestApiId: !Ref Api, Path: "/items/{id}", Method: get}}
        Things: {Type: Api, Properties: {RestApiId: !Ref Api, Path: "/things/{proxy+}", Method: ANY}}
        Health:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /health, Method: GET, Auth: {Authorizer: NONE}}
  OtherFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/other/
      Handler: app.handler
      Environment: {Variables: {WHO: other}}
      Events:
        Create: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items, Method: POST}}
        Literal: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items/special, Method: PUT}}
  BrokenFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/broken/
      Handler: app.handler
      Timeout: 2
      Events:
        Boom: {Type: Api, Properties: {RestApiId: !Ref Api, Path: "/broken/{how}", Method: GET}}
  SignupFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/signup/
      Handler: app.handler
      Events:
        AccountCreated:
          Type: EventBridgeRule
          Properties: {Pattern: {source: [scheduler0.accounts], detail-type: [AccountCreated]}}
"""

AUTHORIZER = '''
def handler(event, context):
    key = event["headers"].get("X-API-Key", "")
    arn = event["methodArn"]
    if key == "boom":
        raise ValueError("authorizer bug")
    if key == "bad-output":
        return {"hello": "world"}
    if key not in ("good", "deny", "narrow", "wildcard"):
        raise Exception("Unauthorized")
    effect = "Deny" if key == "deny" else "Allow"
    resource = {"narrow": arn.rsplit("/", 1)[0] + "/other", "wildcard": arn.split("/")[0] + "/*/GET/*"}.get(key, arn)
    return {
        "principalId": "user-" + key,
        "policyDocument": {"Version": "2012-10-17",
                           "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}]},
        "context": {"accountId": 7, "admin": True, "name": "stub", "nothing": None},
    }
'''

ECHO = '''
import json, os, sys
import shared_helper  # from the layer

def handler(event, context):
    info = {
        "event": event, "who": os.environ["WHO"], "table": os.environ["TABLE_NAME"],
        "table_arn": os.environ["TABLE_ARN"], "greeting": os.environ["GREETING"], "module": __file__,
        "layer": shared_helper.NAME, "function_name": context.function_name,
        "remaining": context.get_remaining_time_in_millis(), "request_id": context.aws_request_id,
        "dynamodb": os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"), "sys_path": sys.path,
        "other_loaded": "other_only" in sys.modules,
    }
    return {"statusCode": 200, "headers": {"X-Echo": "1"}, "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
            "body": json.dumps(info)}
'''

OTHER = '''
import json, os
import other_only  # only this function's folder has it

def handler(event, context):
    return {"statusCode": 201, "body": json.dumps({"who": os.environ["WHO"], "body": event["body"]})}
'''

BROKEN = '''
import os, time

def handler(event, context):
    how = event["pathParameters"]["how"]
    if how == "rendezvous":  # wait (bounded) until a second invocation arrives: proves they overlap
        folder = event["queryStringParameters"]["dir"]
        open(os.path.join(folder, str(os.getpid())), "w").close()
        deadline = time.time() + 1.5
        while len(os.listdir(folder)) < 2 and time.time() < deadline:
            time.sleep(0.02)
        return {"statusCode": 200, "body": str(len(os.listdir(folder)))}
    if how == "raise":
        raise RuntimeError("handler bug")
    if how == "slow":
        time.sleep(30)
    if how == "malformed":
        return {"statusCode": 200, "bogus": True}
    if how == "not-json":
        return {"statusCode": 200, "body": object()}
    return {"statusCode": 200, "body": "fine"}
'''

SIGNUP = '''
def handler(event, context):
    detail = event["detail"]
    # The signup function's result (models.events.ProvisionedAccountView): the credential holds its secret.
    return {"accountId": detail["accountId"], "provisioned": True,
            "credential": {"apiKey": "key-%d" % detail["accountId"],
                           "plaintextSecret": "secret-" + detail["createdBy"]}}
'''


@pytest.fixture(scope="session")
def stub_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stub_project")
    files = {
        "template.yaml": STUB_TEMPLATE,
        "layer/shared_helper.py": "NAME = 'stub layer'\n",
        "functions/authorizer/app.py": AUTHORIZER,
        "functions/echo/app.py": ECHO,
        "functions/other/app.py": OTHER,
        "functions/other/other_only.py": "",
        "functions/broken/app.py": BROKEN,
        "functions/signup/app.py": SIGNUP,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root
