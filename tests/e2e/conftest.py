"""The local API on template.yaml, with the real authorizer, handlers and layer, on a free port.

One service for the session (moto, worker processes, HTTP server), stopped at teardown. Each test
gets its own freshly provisioned account, so tests do not see each other's credentials.
"""

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from local_runner.run import LocalService
from local_runner.template import load_template
from tests.support.callers import HttpCaller as Account

ROOT = Path(__file__).resolve().parents[2]
_account_ids = itertools.count(100)





@pytest.fixture(scope="session")
def local_api() -> Iterator[LocalService]:
    with LocalService(load_template(ROOT / "template.yaml"), port=0) as service:
        yield service


@pytest.fixture(scope="session")
def operator(local_api: LocalService) -> tuple[str, str]:
    """The operator's Basic login the runner put in (moto's) SSM, where the authorizer reads it."""
    assert local_api.operator is not None
    return local_api.operator.username, local_api.operator.password


@pytest.fixture
def new_account(local_api: LocalService) -> Callable[[], Account]:
    def provision() -> Account:
        return Account.provision(local_api, next(_account_ids), created_by="e2e")

    return provision


@pytest.fixture
def account(new_account: Callable[[], Account]) -> Account:
    return new_account()
