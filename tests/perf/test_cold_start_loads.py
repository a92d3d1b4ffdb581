"""What each function's cold start loads and builds (figure 1 of docs/performance.md), as budgets.

Deterministic: a fresh interpreter imports the handler module the way the cold-start bench does and
reports the modules it loaded and the pydantic models it built; no timing. These are the choices that
keep the ratios under their goals (the Tracer's X-Ray SDK alone is ~90 ms, each pydantic model 1-3 ms,
the event handler ~25 ms): a change that brings one back fails here before it shows in `make bench`.
"""

import json
import subprocess
import sys

import pytest

from bench.common import FAKE_AWS_ENV, LAYER_DIR, ROOT, load_template

_REPORT = """
import json, sys
sys.path[:0] = [{code_dir!r}, {layer_dir!r}]
import {module}
modules = sorted(sys.modules)

def built(model):
    for sub in model.__subclasses__():
        yield sub
        yield from built(sub)

models = []
if "pydantic.main" in sys.modules:
    from pydantic import BaseModel
    models = sorted({{m.__name__ for m in built(BaseModel) if m.__module__.startswith("credentials_service")}})
print(json.dumps({{"modules": modules, "models": models}}))
"""

# The pydantic models each function builds at init: only those its own route parses or returns.
MODELS = {
    "AuthorizerFunction": [],
    "HealthcheckFunction": [],
    "ListCredentialsFunction": ["CredentialPage", "CredentialView", "ResponseView"],
    "GetCredentialFunction": ["CredentialView", "ResponseView"],
    "CreateCredentialFunction": [
        "CreateCredentialRequest", "CreatedCredentialView", "CredentialView", "RequestBody", "ResponseView",
    ],
    "ArchiveCredentialFunction": ["ArchiveCredentialRequest", "RequestBody"],
    "UpdateCredentialFunction": ["CredentialView", "RequestBody", "ResponseView", "UpdateCredentialRequest"],
    "DeleteCredentialFunction": ["DeleteCredentialRequest", "RequestBody"],
    "ProvisionAccountFunction": [
        "AccountCreatedDetail", "AccountCreatedEvent", "CreateCredentialRequest", "CreatedCredentialView",
        "CredentialView", "ProvisionedAccountView", "RequestBody", "ResponseView",
    ],
}

_TEMPLATE = load_template()


def cold_start(logical_id: str) -> dict:
    function = _TEMPLATE.functions[logical_id]
    code = _REPORT.format(
        code_dir=str(ROOT / function.code_uri.relative_to(ROOT)),
        layer_dir=str(LAYER_DIR),
        module=function.handler.rsplit(".", 1)[0],
    )
    env = {**FAKE_AWS_ENV, **function.environment, "HOME": str(ROOT / ".no-home")}
    done = subprocess.run([sys.executable, "-I", "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def loaded(report: dict, package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in report["modules"])


def test_every_function_in_the_template_has_a_model_budget() -> None:
    assert sorted(_TEMPLATE.functions) == sorted(MODELS)


@pytest.mark.parametrize("logical_id", sorted(MODELS))
def test_a_cold_start_builds_only_the_models_of_its_own_route(logical_id: str) -> None:
    # Given a fresh interpreter, when it imports the handler, then no other route's model was built.
    # (pydantic itself is imported by every function; the authorizer's and healthcheck's build nothing.)
    assert cold_start(logical_id)["models"] == MODELS[logical_id]


@pytest.mark.parametrize("logical_id", sorted(MODELS))
def test_no_function_loads_the_x_ray_sdk_or_pydantic_plugins(logical_id: str) -> None:
    report = cold_start(logical_id)
    assert not loaded(report, "aws_xray_sdk"), "Powertools Tracer is back: ~90 ms of X-Ray SDK import"
    assert _TEMPLATE.functions[logical_id].environment.get("PYDANTIC_DISABLE_PLUGINS") == "__all__"


def test_the_authorizer_loads_neither_pydantic_nor_the_event_handler() -> None:
    # Its goal is 1.2 times a bare DynamoDB client: pydantic and the event handler are ~75 ms of imports.
    report = cold_start("AuthorizerFunction")
    assert not loaded(report, "pydantic")
    assert not loaded(report, "aws_lambda_powertools.event_handler")


def test_the_healthcheck_loads_no_aws_sdk_client() -> None:
    assert not loaded(cold_start("HealthcheckFunction"), "boto3")
