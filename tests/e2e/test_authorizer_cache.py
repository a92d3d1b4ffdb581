"""With AuthorizerCacheTtlSeconds > 0, API Gateway's side of the trade-off in the README, for real."""

import itertools
from collections.abc import Iterator

import pytest
import requests

from local_runner.run import LocalService
from local_runner.template import load_template
from tests.e2e.conftest import ROOT
from tests.support.deployments import cache_on
from tests.support.headers import key_headers

pytestmark = pytest.mark.e2e
TIMEOUT = 30
_account_ids = itertools.count(1)


@pytest.fixture(scope="module")
def cached_api() -> Iterator[LocalService]:
    template = load_template(ROOT / "template.yaml", cache_on(300))
    with LocalService(template, port=0, pool_size=2) as service:
        yield service


@pytest.fixture
def caller(cached_api: LocalService) -> dict[str, str]:
    account = cached_api.provision(next(_account_ids))
    return key_headers(account.api_key, account.secret, account.account_id)


def test_a_missing_identity_header_is_the_gateways_401(cached_api, caller):
    for missing in caller:
        headers = {name: value for name, value in caller.items() if name != missing}
        response = requests.get(f"{cached_api.base_url}/api/v1/credentials", headers=headers, timeout=TIMEOUT)
        assert response.status_code == 401
        assert response.json()["data"] == "unauthorized request - cannot determine authentication type"


def test_a_cached_policy_covers_every_route(cached_api, caller):
    base = f"{cached_api.base_url}/api/v1/credentials"
    assert requests.get(base, headers=caller, timeout=TIMEOUT).status_code == 200
    created = requests.post(base, json={"createdBy": "cache"}, headers=caller, timeout=TIMEOUT)
    assert created.status_code == 201  # the cached Allow from the GET also covers POST
    archived = requests.post(f"{base}/{created.json()['data']['id']}/archive", json={"archivedBy": "cache"},
                             headers=caller, timeout=TIMEOUT)
    assert archived.status_code == 204
