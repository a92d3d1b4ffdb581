"""The template as written (raw) and resolved with the parameter combinations that change its shape."""

from pathlib import Path
from typing import Any

import pytest

from local_runner.cfn_yaml import load_cfn_yaml
from local_runner.template import Template, load_template
from tests.support.deployments import cache_on

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"


@pytest.fixture(scope="session")
def raw() -> dict[str, Any]:
    """template.yaml as written: intrinsic functions unresolved (long form)."""
    return load_cfn_yaml(TEMPLATE)


@pytest.fixture(scope="session")
def cached() -> Template:
    """A deployment that turns the authorizer result cache on."""
    return load_template(TEMPLATE, parameter_overrides=cache_on(300))


@pytest.fixture(scope="session")
def operator_off() -> Template:
    return load_template(TEMPLATE, parameter_overrides={"OperatorAuthEnabled": "false"})
