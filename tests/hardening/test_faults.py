"""DynamoDB faults (throttling, conflicts, failed conditions, timeouts, outages) injected at the botocore
layer: the right status in the envelope, botocore's retries at work, and no half-written state."""

import pytest

from local_runner.provision import account_created_event
from tests.hardening import faults as f
from tests.hardening.helpers import CREDENTIALS, assert_error, table_items
from tests.support.lambdas import lambda_context

TOO_MANY = "too many requests, retry later"
UNAVAILABLE = "service temporarily unavailable, retry later"
CHANGED = "the credential was changed by another request, retry"
LAST_ACTIVE = "an account must keep at least one active credential"


def total_attempts() -> int:
    """What botocore makes of the client's retry config: the first attempt plus the retries."""
    from credentials_service.repository.client import dynamodb_client

    return dynamodb_client().meta.config.retries["total_max_attempts"]


MAX_ATTEMPTS = -1  # stands for total_attempts() in the tables below


@pytest.fixture
def target(gateway, caller) -> dict:
    """A second active credential of the caller's account."""
    response = gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "setup"})
    assert response.status == 201
    return response.body["data"]


def test_retries_are_botocore_standard_mode_with_at_least_three_attempts(function_env):
    from credentials_service.repository.client import dynamodb_client

    config = dynamodb_client().meta.config
    # botocore reads Config(retries={"max_attempts": N}) as N retries: N + 1 attempts in all.
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] >= 3
    assert config.connect_timeout and config.read_timeout  # never botocore's 60 s defaults


def worst_case_seconds(config) -> float:
    """A DynamoDB that stops answering: every attempt times out. botocore's standard mode waits up to
    0.025 * 2 ** i seconds before retry i for DynamoDB's non-throttling errors."""
    retries = config.retries["total_max_attempts"] - 1
    backoff = sum(0.025 * 2**i for i in range(retries))
    return (retries + 1) * (config.connect_timeout + config.read_timeout) + backoff


def test_the_worst_case_retry_budget_fits_in_every_functions_timeout(template, function_env):
    from credentials_service.repository.client import dynamodb_client

    budget = worst_case_seconds(dynamodb_client().meta.config)
    for function in template.functions.values():
        assert budget < function.timeout, (function.logical_id, budget, function.timeout)


# Each route and the handler's own DynamoDB request to fail (never the authorizer's key lookup).
READS = {
    "list": ("GET", CREDENTIALS, None, "Query", None),
    "get": ("GET", CREDENTIALS + "/{id}", None, "GetItem", "CREDENTIAL#"),
    "archive (read)": ("POST", CREDENTIALS + "/{id}/archive", {"archivedBy": "a"}, "GetItem", "CREDENTIAL#"),
}
WRITES = {
    "create (reserve id)": ("POST", CREDENTIALS, {"createdBy": "a"}, "UpdateItem", None),
    "create": ("POST", CREDENTIALS, {"createdBy": "a"}, "TransactWriteItems", None),
    "archive": ("POST", CREDENTIALS + "/{id}/archive", {"archivedBy": "a"}, "TransactWriteItems", None),
    "update": ("PUT", CREDENTIALS + "/{id}", {"modifiedBy": "a", "archived": True}, "TransactWriteItems", None),
    "delete": ("DELETE", CREDENTIALS + "/{id}", {"deletedBy": "a"}, "TransactWriteItems", None),
}
PERSISTENT = {  # fault, status, message, attempts botocore makes
    "ProvisionedThroughputExceeded": (f.THROTTLED, 429, TOO_MANY, MAX_ATTEMPTS),
    "ThrottlingException": (f.THROTTLING, 429, TOO_MANY, MAX_ATTEMPTS),
    "RequestLimitExceeded": (f.REQUEST_LIMIT, 429, TOO_MANY, MAX_ATTEMPTS),
    "InternalServerError": (f.INTERNAL, 503, UNAVAILABLE, MAX_ATTEMPTS),
    "ServiceUnavailable": (f.UNAVAILABLE, 503, UNAVAILABLE, MAX_ATTEMPTS),
    "ReadTimeoutError": (f.READ_TIMEOUT, 503, UNAVAILABLE, MAX_ATTEMPTS),
    "ConnectTimeoutError": (f.CONNECT_TIMEOUT, 503, UNAVAILABLE, MAX_ATTEMPTS),
    "EndpointConnectionError": (f.NO_ENDPOINT, 503, UNAVAILABLE, MAX_ATTEMPTS),
}
TRANSACTION_ONLY = {
    "TransactionConflictException": (f.CONFLICT, 409, CHANGED, 1),
    "TransactionInProgressException": (f.IN_PROGRESS, 409, CHANGED, MAX_ATTEMPTS),
    "cancelled: TransactionConflict": (f.cancelled("None", "TransactionConflict", "None"), 409, CHANGED, 1),
    "cancelled: ThrottlingError": (f.cancelled("ThrottlingError", "None", "None"), 429, TOO_MANY, 1),
}


@pytest.mark.parametrize("fault_name", list(PERSISTENT) + list(TRANSACTION_ONLY))
def test_a_persistent_fault_is_the_right_status_after_retries_and_writes_nothing(
        gateway, caller, target, faults, dynamodb, table_name, fault_name):
    fault, status, message, attempts = {**PERSISTENT, **TRANSACTION_ONLY}[fault_name]
    routes = {**WRITES} if fault_name in TRANSACTION_ONLY else {**READS, **WRITES}
    routes = {name: route for name, route in routes.items()
              if fault_name not in TRANSACTION_ONLY or route[3] == "TransactWriteItems"}
    before = table_items(dynamodb, table_name)
    for name, (method, path, body, operation, where) in routes.items():
        faults.clear()
        faults.inject(operation, fault, where=where)
        response = gateway.request(method, path.format(id=target["id"]), caller.headers, body)
        assert_error(response, status, message, case=name)
        assert response.headers.get("Content-Type") == "application/json"
        expected = total_attempts() if attempts == MAX_ATTEMPTS else attempts
        assert faults.faulted.count(operation) == expected, (name, faults.sent)
        assert len(faults.sleeps) == expected - 1, (name, faults.sleeps)
    faults.clear()
    after = table_items(dynamodb, table_name)
    assert without_id_counter(after) == without_id_counter(before)


def without_id_counter(items: list[dict]) -> list[dict]:
    """Ids reserved by creates that then failed are skipped, never reused: the one allowed difference
    (and an account item holding nothing but that counter, left by a signup that failed after it)."""
    kept = []
    for item in items:
        item = {k: v for k, v in item.items() if k != "nextCredentialId"}
        if item["sk"]["S"] == "ACCOUNT" and set(item) <= {"pk", "sk", "accountId"}:
            continue
        kept.append(item)
    return kept


@pytest.mark.parametrize("fault", [f.THROTTLED, f.INTERNAL, f.READ_TIMEOUT, f.CONNECT_TIMEOUT],
                         ids=["throttled", "internal", "read timeout", "connect timeout"])
def test_a_transient_fault_is_absorbed_by_one_retry(gateway, caller, target, faults, fault):
    for name, (method, path, body, operation, where) in {**READS, **WRITES}.items():
        if name in ("archive", "update", "delete", "archive (read)"):
            continue  # they would archive the target; create and reads are enough to show the retry
        faults.clear()
        faults.inject(operation, fault, times=1, where=where)
        response = gateway.request(method, path.format(id=target["id"]), caller.headers, body)
        assert 200 <= response.status < 300, (name, response.body)
        assert faults.faulted == [operation] and len(faults.sleeps) == 1, (name, faults.sent)
    faults.clear()
    faults.inject("TransactWriteItems", fault, times=1)
    archived = gateway.request("POST", f"{CREDENTIALS}/{target['id']}/archive", caller.headers, {"archivedBy": "a"})
    assert archived.status == 204 and faults.attempts("TransactWriteItems") == 2


# --- the authorizer's key lookup -------------------------------------------------------------------


@pytest.mark.parametrize(("fault", "status", "message"), [
    (f.THROTTLED, 429, TOO_MANY), (f.INTERNAL, 503, UNAVAILABLE), (f.READ_TIMEOUT, 503, UNAVAILABLE),
    (f.NO_ENDPOINT, 503, UNAVAILABLE)], ids=["throttled", "internal", "read timeout", "no endpoint"])
def test_a_failing_key_lookup_is_429_or_503_never_an_allow(gateway, caller, faults, fault, status, message):
    faults.inject("GetItem", fault, where="APIKEY#")
    for method, path, body in (("GET", CREDENTIALS, None), ("POST", CREDENTIALS, {"createdBy": "a"}),
                               ("DELETE", f"{CREDENTIALS}/1", {"deletedBy": "a"})):
        faults.sent.clear()
        response = gateway.request(method, path, caller.headers, body)
        assert_error(response, status, message)
        # The handler did nothing: the only requests were the authorizer's attempts at the lookup.
        assert faults.sent == ["GetItem"] * total_attempts()


def test_with_the_authorizer_cache_on_a_failing_lookup_fails_the_authorizer(gateway, caller, faults, monkeypatch):
    """A cached Allow would outlive the outage: the authorizer must fail instead (a 5xx gateway response)."""
    from credentials_service.config import settings

    monkeypatch.setenv("AUTHORIZER_CACHE_ENABLED", "true")
    settings.cache_clear()
    faults.inject("GetItem", f.INTERNAL, where="APIKEY#")
    authorizer = gateway.handler("AuthorizerFunction")
    event = {"type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:1:api/prod/GET/api/v1/credentials",
             "headers": caller.headers, "requestContext": {"requestId": "r"}}
    with pytest.raises(Exception) as raised:
        authorizer(event, lambda_context("AuthorizerFunction"))
    assert str(raised.value) != "Unauthorized"


# --- failed conditions: what each means --------------------------------------------------------------


def test_failed_conditions_mean_what_the_rules_say(gateway, caller, target, faults, dynamodb, table_name):
    from credentials_service.config import settings

    cap = settings().max_active_credentials
    archive = f"{CREDENTIALS}/{target['id']}/archive"
    before = without_id_counter(table_items(dynamodb, table_name))

    faults.inject("UpdateItem", f.CONDITION_FAILED)  # the id reservation's cap check
    assert_error(gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "a"}), 409,
                 f"an account may hold at most {cap} active credentials")
    faults.clear()
    faults.inject("TransactWriteItems", f.cancelled("None", "None", "ConditionalCheckFailed"))
    assert_error(gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "a"}), 409,
                 f"an account may hold at most {cap} active credentials")
    faults.clear()
    faults.inject("TransactWriteItems", f.cancelled("None", "None", "ConditionalCheckFailed"))
    assert_error(gateway.request("POST", archive, caller.headers, {"archivedBy": "a"}), 409, LAST_ACTIVE)
    faults.clear()
    faults.inject("TransactWriteItems", f.cancelled("None", "ConditionalCheckFailed", "None"))
    assert_error(gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "a"}), 409, CHANGED)
    # The credential changed under us every time: read again, decide again, three times, then 409.
    faults.clear()
    faults.inject("TransactWriteItems", f.cancelled("ConditionalCheckFailed", "None", "None"))
    assert_error(gateway.request("POST", archive, caller.headers, {"archivedBy": "a"}), 409, CHANGED)
    assert faults.attempts("TransactWriteItems") == 3
    assert faults.sent.count("GetItem") == 1 + 3  # the key lookup, then one read per decision
    faults.clear()
    assert without_id_counter(table_items(dynamodb, table_name)) == before
    # Changed once: the second decision goes through.
    faults.inject("TransactWriteItems", f.cancelled("ConditionalCheckFailed", "None", "None"), times=1)
    assert gateway.request("POST", archive, caller.headers, {"archivedBy": "a"}).status == 204
    assert faults.attempts("TransactWriteItems") == 2


def test_a_dynamodb_validation_error_is_a_500_that_shows_nothing(gateway, caller, faults):
    faults.inject("TransactWriteItems", f.VALIDATION)
    response = gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "a"})
    assert_error(response, 500, "internal server error")
    assert "s0sk_" not in str(response.body) and "secretHash" not in str(response.body)


# --- no half-written state -----------------------------------------------------------------------------


def provision(gateway, account_id: int):
    event = account_created_event(account_id, "signup")
    return gateway.handler("ProvisionAccountFunction")(event, lambda_context("ProvisionAccountFunction"))


def flows(gateway, caller):
    """Each change, as a callable returning its status, and the DynamoDB requests it makes in order."""

    def new_target() -> str:
        response = gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "setup"})
        assert response.status == 201
        return f"{CREDENTIALS}/{response.body['data']['id']}"

    archived, updated, deleted = new_target(), new_target(), new_target()
    return {
        "create": (lambda: gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "a"}).status,
                   [("UpdateItem", None), ("TransactWriteItems", None)]),
        "create archived": (lambda: gateway.request("POST", CREDENTIALS, caller.headers,
                                                    {"createdBy": "a", "archived": True}).status,
                            [("UpdateItem", None), ("TransactWriteItems", None)]),
        "archive": (lambda: gateway.request("POST", archived + "/archive", caller.headers,
                                            {"archivedBy": "a"}).status,
                    [("GetItem", "CREDENTIAL#"), ("TransactWriteItems", None)]),
        "update (archive)": (lambda: gateway.request("PUT", updated, caller.headers,
                                                     {"modifiedBy": "a", "archived": True}).status,
                             [("GetItem", "CREDENTIAL#"), ("TransactWriteItems", None)]),
        "update (un-archive)": (lambda: gateway.request("PUT", archived, caller.headers,
                                                        {"modifiedBy": "a", "archived": False}).status,
                                [("GetItem", "CREDENTIAL#"), ("TransactWriteItems", None)]),
        "delete": (lambda: gateway.request("DELETE", deleted, caller.headers, {"deletedBy": "a"}).status,
                   [("GetItem", "CREDENTIAL#"), ("TransactWriteItems", None)]),
        "signup": (lambda: provision(gateway, 424242),
                   [("GetItem", None), ("UpdateItem", None), ("TransactWriteItems", None)]),
    }


@pytest.mark.parametrize("fault", [f.INTERNAL, f.READ_TIMEOUT, f.cancelled("None", "TransactionConflict", "None")],
                         ids=["internal error", "timeout", "transaction conflict"])
def test_failing_any_step_of_any_change_leaves_nothing_half_written(gateway, caller, faults, dynamodb,
                                                                    table_name, fault):
    changes = flows(gateway, caller)
    total = gateway.request("GET", CREDENTIALS, caller.headers).body["data"]["total"]
    for name, (run, steps) in changes.items():
        for operation, where in steps:
            if operation != "TransactWriteItems" and fault not in (f.INTERNAL, f.READ_TIMEOUT):
                continue  # a cancellation only comes from a transaction
            before = without_id_counter(table_items(dynamodb, table_name))
            faults.clear()
            faults.inject(operation, fault, where=where)
            if name == "signup":
                with pytest.raises(Exception):  # noqa: B017 - the delivery fails, EventBridge retries it
                    run()
            else:
                status = run()
                assert status in (409, 503), (name, operation, status)
            faults.clear()
            assert without_id_counter(table_items(dynamodb, table_name)) == before, (name, operation)
    # Nothing was half-written: the target still authenticates and counts, and a signup retried succeeds.
    listing = gateway.request("GET", CREDENTIALS, caller.headers).body["data"]
    assert listing["total"] == total
    retried = provision(gateway, 424242)
    assert retried["provisioned"] is True and retried["credential"]["id"] >= 1


def transaction_keys(writes: list[dict]) -> set[tuple[str, str]]:
    keys = set()
    for write in writes:
        for action in write["TransactItems"]:
            (kind, body), = action.items()
            key = body.get("Key") or {name: body["Item"][name] for name in ("pk", "sk")}
            keys.add((key["pk"]["S"], key["sk"]["S"]))
    return keys


def test_every_multi_item_change_is_one_transaction(gateway, caller, dynamodb, table_name):
    """On success, every item a change touches is in its one TransactWriteItems; the only other write
    is the id reservation, which touches nothing but the account's id counter."""
    from credentials_service.repository.client import dynamodb_client

    writes: dict[str, list[dict]] = {}

    def record(params, model, **_):
        if model.name in ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"):
            writes.setdefault(model.name, []).append(params)

    dynamodb_client().meta.events.register("before-parameter-build.dynamodb", record)
    for name, (run, _) in flows(gateway, caller).items():
        before = {(i["pk"]["S"], i["sk"]["S"]): i for i in table_items(dynamodb, table_name)}
        writes.clear()
        result = run()
        assert result in (200, 201, 204) or (isinstance(result, dict) and result["provisioned"]), (name, result)
        after = {(i["pk"]["S"], i["sk"]["S"]): i for i in table_items(dynamodb, table_name)}
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        assert set(writes) <= {"UpdateItem", "TransactWriteItems"}, (name, writes.keys())
        assert len(writes["TransactWriteItems"]) == 1, name
        in_transaction = transaction_keys(writes["TransactWriteItems"])
        outside = changed - in_transaction
        for key in outside:  # only the id reservation may change an item outside the transaction
            old, new = before.get(key, {}), after[key]
            differing = {attr for attr in old.keys() | new.keys() if old.get(attr) != new.get(attr)}
            assert key[1] == "ACCOUNT" and differing <= {"nextCredentialId", "accountId"}, (name, key, differing)
        assert len(writes.get("UpdateItem", [])) == (1 if name.startswith(("create", "signup")) else 0), name
        assert len(changed) >= 2, (name, changed)  # these are multi-item changes indeed
