"""DynamoDB requests and items read per operation (figure 2 of docs/performance.md), as budgets.

Deterministic: counted at the botocore layer on a moto table, no timing. `make bench` runs the same
scenario (bench/request_counts.py) with an account of 1,000 active credentials too.
"""

import itertools

import pytest

from bench import cost
from bench.request_counts import (
    PARAMETER_OVERRIDES,
    CountingGateway,
    list_pages,
    render,
    run_scenario,
)
from local_runner.template import load_template
from tests.support.dynamodb_requests import RequestCounter

_account_ids = itertools.count(700_000)


@pytest.fixture
def counting_gateway(template, table_name, monkeypatch) -> CountingGateway:
    """The in-process gateway with a counter on the functions' DynamoDB client; accounts may hold 10,000."""
    from credentials_service.repository.client import dynamodb_client

    resolved = load_template(template.path, PARAMETER_OVERRIDES)
    for function in resolved.functions.values():
        for name, value in function.environment.items():
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("TABLE_NAME", table_name)
    counter = RequestCounter()
    counter.attach(dynamodb_client())
    return CountingGateway(resolved, counter)


@pytest.mark.parametrize("size", [10, 100, 1000])
def test_every_operation_stays_within_its_request_budget(counting_gateway, dynamodb, table_name, size):
    rows = run_scenario(counting_gateway, dynamodb, table_name, next(_account_ids), size)

    over = [row for row in rows if not row.met]
    assert not over, "over budget:\n" + render(over)
    by_operation = {row.operation: row for row in rows}
    assert by_operation["authorize, well-formed key and secret"].requests == ("GetItem",)
    assert by_operation["authorize, malformed secret"].requests == ()
    default_page = by_operation["list, default order, offset 0 limit 10"]
    assert default_page.requests == ("GetItem", "Query")  # the maintained count, then one page
    assert default_page.items_read <= 0 + 10 + 1
    for offset, limit in list_pages(size)[1:]:  # pages inside the account: reading all of it fails these
        page = by_operation[f"list, default order, offset {offset} limit {limit}"]
        assert page.requests == ("GetItem", "Query")
        assert page.items_read <= offset + limit + 1 < size
    assert len(by_operation["create"].requests) <= 2
    # The cost figure prices exactly these requests.
    assert by_operation["authorize, well-formed key and secret"].requests == cost.REQUESTS["authorizer"]
    assert default_page.requests == cost.REQUESTS["list"]
    assert by_operation["create"].requests == cost.REQUESTS["create"]
    assert by_operation["get"].requests == ("GetItem",)
    for operation in ("update", "archive", "delete"):
        assert by_operation[operation].requests.count("TransactWriteItems") == 1
        assert len(by_operation[operation].requests) <= 2

