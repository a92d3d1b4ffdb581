"""What SAM itself makes of template.yaml. Both tests are optional and skip unless their tool is present:

- the translation needs `aws-sam-translator` (a dev dependency, so it runs in `make test`);
- `sam build` needs SAM_CLI=/path/to/sam (installed in its own venv), python3.13 on PATH and access to
  the package index. It takes about 15 s: `SAM_CLI=/tmp/samvenv/bin/sam pytest tests/template/test_sam.py`.
"""

import copy
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from local_runner.cfn_yaml import load_cfn_yaml
from local_runner.template import load_template
from tests.support.deployments import cache_on

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
KEY_HEADERS = "method.request.header.X-API-Key, method.request.header.X-Secret-Key, method.request.header.X-Account-ID"


UNCACHED = {"Authorizer": "CredentialsAuthorizer", "AuthorizerCacheTtlSeconds": 0}
CACHED = {**cache_on(300), "AuthorizerCacheTtlSeconds": 300}


def translate(parameters: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The SAM transform, as CloudFormation runs it at deploy time with these parameter values."""
    transform = pytest.importorskip("samtranslator.translator.transform").transform
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    doc = copy.deepcopy(load_cfn_yaml(TEMPLATE))
    for resource in doc["Resources"].values():  # what `sam package` does to local folders
        for uri in ("CodeUri", "ContentUri"):
            if uri in resource.get("Properties", {}):
                resource["Properties"][uri] = "s3://bucket/artifact.zip"

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    return transform(doc, parameters, NoManagedPolicies())


@pytest.mark.parametrize(
    ("parameters", "identity_source"), [(UNCACHED, None), (CACHED, KEY_HEADERS)], ids=["default", "cache on"]
)
def test_sam_translates_the_authorizer_and_routes(parameters, identity_source, monkeypatch) -> None:
    output = translate(parameters, monkeypatch)
    (api,) = [r for r in output["Resources"].values() if r["Type"] == "AWS::ApiGateway::RestApi"]
    body = api["Properties"]["Body"]
    chosen = parameters["Authorizer"]
    authorizer = body["securityDefinitions"][chosen]["x-amazon-apigateway-authorizer"]
    assert authorizer["type"] == "request"
    assert authorizer["authorizerResultTtlInSeconds"] == parameters["AuthorizerCacheTtlSeconds"]
    assert authorizer.get("identitySource") == identity_source
    # every operation but the healthcheck is behind the chosen authorizer
    for path, operations in body["paths"].items():
        for method, operation in operations.items():
            expected = [{"NONE": []}] if path == "/api/v1/healthcheck" else [{chosen: []}]
            assert operation.get("security") == expected, f"{method} {path}"
    assert {"UNAUTHORIZED", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(body["x-amazon-apigateway-gateway-responses"])


@pytest.mark.skipif(not os.environ.get("SAM_CLI"), reason="set SAM_CLI=/path/to/sam to run sam build")
def test_sam_build_builds_the_layer_for_arm64(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(TEMPLATE, source)
    for folder in ("functions", "layers"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [os.environ["SAM_CLI"], "build", "--template", "template.yaml", "--build-dir", str(tmp_path / "build")],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    layer = tmp_path / "build" / "SharedLayer" / "python"
    for package in ("credentials_service", "aws_lambda_powertools", "pydantic"):
        assert (layer / package).is_dir(), package
    assert list(layer.glob("pydantic_core/*cpython-313-aarch64-linux-gnu.so")), "pydantic_core is not built for arm64"
    for function in load_template(TEMPLATE).functions.values():
        assert (tmp_path / "build" / function.logical_id / f"{function.handler.split('.')[0]}.py").is_file()
