"""Figure 2: DynamoDB requests and items read per operation, counted at the botocore layer.

Every operation goes through the in-process gateway (tests.support.lambdas: the real authorizer,
then the real handler, on a moto table built from template.yaml). A before-call / after-call hook on
the functions' DynamoDB client records each request and the function that sent it, so the
authorizer's GetItem is counted apart from the handler's requests. Items read are the items a Query
scanned plus one per GetItem that found an item.

Accounts are seeded fast: the account is provisioned through the signup use case (its default
credential is the caller), then its other active credentials are written with batch_write_item,
built by the repository's own item mappers, and the account item's activeCount is set to match.

    python -m bench.request_counts [--sizes 10 100 1000] [--write]

tests/perf/test_request_counts.py runs the same scenario (accounts of 10, 100 and 1,000) in CI and fails
when a count goes over its budget.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import TEMPLATE, emit, ensure_layer_on_path, function_environment, table
from bench.warm import stdout_to_file

ensure_layer_on_path()

from tests.support.callers import Caller  # noqa: E402 - needs the layer on the path
from tests.support.dynamodb_requests import RequestCounter  # noqa: E402
from tests.support.headers import key_headers  # noqa: E402
from tests.support.lambdas import InProcessGateway  # noqa: E402

AUTHORIZER = "AuthorizerFunction"
# The bench lets accounts hold up to 10,000 active credentials (MaxActiveCredentialsPerAccount allows it),
# so that an account of 1,000 is a legal one and create still succeeds on it.
PARAMETER_OVERRIDES = {"MaxActiveCredentialsPerAccount": "10000"}
_BATCH = 25  # batch_write_item's limit


class CountingGateway(InProcessGateway):
    """The in-process gateway, telling the counter which function is running."""

    def __init__(self, template: Any, counter: RequestCounter) -> None:
        super().__init__(template)
        self.counter = counter

    def handler(self, logical_id: str) -> Callable:
        inner = super().handler(logical_id)

        def invoke(event: dict, context: Any) -> Any:
            self.counter.current = logical_id
            try:
                return inner(event, context)
            finally:
                self.counter.current = None

        return invoke


@dataclass(frozen=True)
class Row:
    operation: str
    size: int
    function: str
    requests: tuple[str, ...]
    items_read: int
    budget: str
    met: bool


def seed_account(dynamodb: Any, table_name: str, account_id: int, active: int) -> Caller:
    """An account with `active` active credentials: the signup's default one (the caller) and active - 1 more."""
    from credentials_service.domain import scopes, secrets
    from credentials_service.domain.credential import Credential
    from credentials_service.repository import items, keys
    from credentials_service.usecases.accounts import provision_account

    provisioned = provision_account(account_id, "bench").default
    assert provisioned is not None
    start = datetime(2025, 1, 1, tzinfo=UTC)
    writes = []
    for credential_id in range(2, active + 1):
        credential = Credential(
            account_id=account_id, id=credential_id, api_key=secrets.generate_api_key(),
            scopes=scopes.DEFAULT_SCOPES, created_by="seed", date_created=start + timedelta(seconds=credential_id),
        )
        writes.append(items.credential_item(credential))
        writes.append(items.key_lookup_item(credential, secrets.hash_secret(secrets.generate_secret())))
    for first in range(0, len(writes), _BATCH):
        batch = [{"PutRequest": {"Item": item}} for item in writes[first : first + _BATCH]]
        while batch:
            unprocessed = dynamodb.batch_write_item(RequestItems={table_name: batch}).get("UnprocessedItems", {})
            batch = unprocessed.get(table_name, [])
    dynamodb.update_item(
        TableName=table_name, Key=keys.account_key(account_id),
        UpdateExpression="SET activeCount = :n, nextCredentialId = :n",
        ExpressionAttributeValues={":n": {"N": str(active)}},
    )
    return Caller(account_id, provisioned.credential.api_key, provisioned.secret)


def _expect(result: Any, status: int, what: str) -> Any:
    if result.status != status:
        raise AssertionError(f"{what}: expected {status}, got {result.status} {result.body}")
    return result


def run_scenario(gateway: CountingGateway, dynamodb: Any, table_name: str, account_id: int, size: int) -> list[Row]:
    """Every operation once on an account of `size` active credentials; one row per function and operation."""
    counter = gateway.counter
    caller = seed_account(dynamodb, table_name, account_id, size)
    rows: list[Row] = []

    def call(operation: str, method: str, path: str, status: int, budget: Callable[[list[str], int], bool],
             budget_text: str, headers: dict[str, str] | None = None, body: Any = None,
             query: dict[str, str] | None = None, function: str | None = None) -> Any:
        counter.reset()
        result = _expect(gateway.request(method, path, headers or caller.headers, body, query), status, operation)
        function = function or result.invoked[-1]
        requests = counter.requests(function)
        items_read = counter.items_read(function)
        rows.append(Row(operation, size, function, tuple(requests), items_read, budget_text,
                        budget(requests, items_read)))
        return result

    def exactly(*expected: str) -> Callable[[list[str], int], bool]:
        return lambda requests, _: requests == list(expected)

    def one_transaction(requests: list[str], _: int) -> bool:
        reads = [r for r in requests if r in ("GetItem", "Query", "BatchGetItem", "Scan")]
        return requests.count("TransactWriteItems") == 1 and len(reads) <= 1 and len(requests) <= 2

    collection = "/api/v1/credentials"
    call("authorize, well-formed key and secret", "GET", collection, 200, exactly("GetItem"), "1 GetItem",
         function=AUTHORIZER)
    call("authorize, well-formed but wrong secret", "GET", collection, 401, exactly("GetItem"), "1 GetItem",
         headers=key_headers(caller.api_key, _wrong_secret(), caller.account_id), function=AUTHORIZER)
    call("authorize, malformed secret", "GET", collection, 401, exactly(), "0 requests",
         headers=key_headers(caller.api_key, "s0sk_not-a-secret", caller.account_id), function=AUTHORIZER)
    for offset, limit in list_pages(size):
        query = {"offset": str(offset), "limit": str(limit)}
        listed = call(
            f"list, default order, offset {offset} limit {limit}", "GET", collection, 200,
            lambda requests, read, o=offset, n=limit: len(requests) <= 2 and read <= o + n + 1,
            f"<= 2 requests, <= {offset + limit + 1} items", query=query,
        )
        assert listed.body["data"]["total"] == size, listed.body["data"]["total"]
    call("list, orderBy=id (reads every active credential; bounded by the cap)", "GET", collection, 200,
         lambda requests, read: len(requests) <= 2 and read <= size + 1, f"<= 2 requests, <= {size + 1} items",
         query={"orderBy": "id"})
    call("create", "POST", collection, 201, lambda requests, _: len(requests) <= 2, "<= 2 requests",
         body={"createdBy": "bench"})
    call("get", "GET", f"{collection}/2", 200, exactly("GetItem"), "1 GetItem")
    transaction = "1 TransactWriteItems + <= 1 read"
    call("update", "PUT", f"{collection}/2", 200, one_transaction, transaction, body={"modifiedBy": "bench"})
    call("archive", "POST", f"{collection}/3/archive", 204, one_transaction, transaction, body={"archivedBy": "bench"})
    call("delete", "DELETE", f"{collection}/4", 204, one_transaction, transaction, body={"deletedBy": "bench"})
    return rows


def list_pages(size: int) -> list[tuple[int, int]]:
    """(offset, limit) of the pages listed: the default page, then two pages inside the account (the
    first and one from its middle), so that reading the whole account would exceed their budgets."""
    limit = max(1, min(100, size // 5))
    return [(0, 10), (0, limit), (size // 2, limit)]


def _wrong_secret() -> str:
    from credentials_service.domain.secrets import generate_secret

    return generate_secret()  # well-formed (prefix, length, checksum), so it reaches the GetItem


def render(rows: list[Row]) -> str:
    headers = ["operation", "active credentials", "function", "DynamoDB requests", "items read", "budget", "met"]
    body = [
        [row.operation, f"{row.size:,}", row.function.removesuffix("Function"),
         ", ".join(row.requests) or "none", row.items_read, row.budget, "yes" if row.met else "**no**"]
        for row in rows
    ]
    return table(headers, body)


@contextmanager
def local_service() -> Iterator[tuple[Any, Any, str]]:
    """moto's DynamoDB on loopback, the template's table, and the functions' environment in os.environ."""
    import logging
    import uuid

    import boto3
    from moto.server import ThreadedMotoServer

    from local_runner.moto_atomic import make_moto_dynamodb_atomic
    from local_runner.template import create_table_kwargs, load_template

    make_moto_dynamodb_atomic()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    template = load_template(TEMPLATE, PARAMETER_OVERRIDES)
    table_name = f"credentials-bench-{uuid.uuid4().hex[:8]}"
    try:
        with function_environment(template, AWS_ENDPOINT_URL_DYNAMODB=endpoint, TABLE_NAME=table_name):
            logging.getLogger("werkzeug").setLevel(logging.ERROR)
            dynamodb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
            dynamodb.create_table(**create_table_kwargs(template, "CredentialsTable", table_name))
            yield template, dynamodb, table_name
    finally:
        server.stop()


def measure(sizes: list[int]) -> list[Row]:
    from credentials_service.repository.client import dynamodb_client

    with local_service() as (template, dynamodb, table_name):
        counter = RequestCounter()
        counter.attach(dynamodb_client())
        gateway = CountingGateway(template, counter)
        rows: list[Row] = []
        # The functions' log and EMF lines would bury the table. Redirected at the file-descriptor level, not by
        # changing the log level: Powertools keeps a logger's level for the whole process, and bench.warm runs next.
        with stdout_to_file():
            for number, size in enumerate(sizes):
                rows += run_scenario(gateway, dynamodb, table_name, 900_000 + number, size)
        return rows


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--write", action="store_true", help="write the section into docs/performance.md")
    args = parser.parse_args(argv)
    rows = measure(args.sizes)
    note = (
        "The authorizer's GetItem (one per request) is counted apart from each handler's requests. "
        "MaxActiveCredentialsPerAccount is 10,000 for this run, so that the account of 1,000 is legal.\n\n"
    )
    command = " ".join(["python -m bench.request_counts", *(argv if argv is not None else sys.argv[1:])])
    emit("request_counts", command, note + render(rows), args.write)
    failed = [row for row in rows if not row.met]
    if failed:
        raise SystemExit(f"{len(failed)} operations over their request budget")
    return rows


if __name__ == "__main__":
    main()
