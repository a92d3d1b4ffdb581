"""Fixtures of the contract-coverage gap tests (tests/contract/test_gaps.py).

In-process: the shared fixtures of tests/support/in_process.py (real authorizer and handlers on a fresh moto table
built from template.yaml) and the hardening suite's operator. Over HTTP: the local API
(`local_runner`, template.yaml's routes, authorizer and Gateway Responses), one for the session with
the default parameters and one with the authorizer cache on (TTL 1 s), each started only if used.
"""

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from local_runner.run import LocalService
from local_runner.template import load_template
from tests.hardening.conftest import operator_configured  # noqa: F401 - fixture, re-used as it is
from tests.hardening.helpers import HttpAccount
from tests.support.deployments import cache_on

ROOT = Path(__file__).resolve().parents[2]
CACHE_TTL_SECONDS = 1
_http_account_ids = itertools.count(8_100_001)


@pytest.fixture(scope="session")
def contract_api() -> Iterator[LocalService]:
    """The local API with template.yaml's defaults; the runner seeds an operator login in its SSM."""
    template = load_template(ROOT / "template.yaml", resource_names={"CredentialsTable": "contract-credentials"})
    with LocalService(template, port=0, pool_size=2) as service:
        yield service


@pytest.fixture(scope="session")
def cached_contract_api() -> Iterator[LocalService]:
    """The local API of a deployment that turns the authorizer cache on (AuthorizerCacheTtlSeconds > 0)."""
    template = load_template(ROOT / "template.yaml", cache_on(CACHE_TTL_SECONDS),
                             resource_names={"CredentialsTable": "contract-cached-credentials"})
    with LocalService(template, port=0, pool_size=2) as service:
        yield service


def _provisioner(service: LocalService) -> Callable[[], HttpAccount]:
    def provision() -> HttpAccount:
        return HttpAccount.provision(service, next(_http_account_ids), created_by="contract")

    return provision


@pytest.fixture
def new_http_account(contract_api: LocalService) -> Callable[[], HttpAccount]:
    """A freshly signed-up account (through the signup function) of the local API."""
    return _provisioner(contract_api)


@pytest.fixture
def http_account(new_http_account: Callable[[], HttpAccount]) -> HttpAccount:
    return new_http_account()


@pytest.fixture
def cached_http_account(cached_contract_api: LocalService) -> HttpAccount:
    return _provisioner(cached_contract_api)()
