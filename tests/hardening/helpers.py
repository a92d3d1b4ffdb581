"""Helpers the hardening suites share (imported as tests.hardening.helpers)."""

import hashlib
import http.client
import itertools
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tests.support.callers import HttpCaller as HttpAccount  # noqa: F401 - the suites import it from here
from tests.support.headers import basic_headers as _basic_headers

UNAUTHORIZED = "unauthorized request - cannot determine authentication type"
CREDENTIALS = "/api/v1/credentials"
OPERATOR_PARAMETER = "/scheduler0/hardening/operator"
OPERATOR_USER, OPERATOR_PASSWORD = "hardening-operator", "Tr0ub4dor&3-hardening-only"
_http_account_ids = itertools.count(7_000_001)  # accounts of the session's local API


def next_http_account_id() -> int:
    return next(_http_account_ids)


def basic_headers(user: str = OPERATOR_USER, password: str = OPERATOR_PASSWORD, peer: str | None = "cmd",
                  account: int | None = None) -> dict[str, str]:
    return _basic_headers(user, password, peer, account)





def table_items(dynamodb: Any, table_name: str) -> list[dict[str, Any]]:
    """Every item of the table, sorted by key: compare before and after to prove nothing was written."""
    items: list[dict[str, Any]] = []
    request: dict[str, Any] = {"TableName": table_name, "ConsistentRead": True}
    while True:
        page = dynamodb.scan(**request)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda item: (item["pk"]["S"], item["sk"]["S"]))
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def account_state(dynamodb: Any, table_name: str, account_id: int) -> dict[str, Any]:
    """What the rules are about: the maintained count, and the credentials and key lookups as stored."""
    items = table_items(dynamodb, table_name)
    pk = f"ACCOUNT#{account_id}"
    account = next((item for item in items if item["pk"]["S"] == pk and item["sk"]["S"] == "ACCOUNT"), {})
    credentials = [item for item in items if item["pk"]["S"] == pk and item["sk"]["S"].startswith("CREDENTIAL#")]
    active = [c for c in credentials if not c["archived"]["BOOL"] and "dateDeleted" not in c]
    keys = {c["apiKey"]["S"] for c in credentials}
    lookups = {item["pk"]["S"][len("APIKEY#"):]: item for item in items
               if item["pk"]["S"].startswith("APIKEY#") and item["pk"]["S"][len("APIKEY#"):] in keys}
    return {
        "activeCount": int(account.get("activeCount", {"N": "0"})["N"]),
        "credentials": len(credentials),
        "active": len(active),
        "activeLookups": sum(1 for item in lookups.values() if item["status"]["S"] == "active"),
        "lookups": len(lookups),
    }


def assert_error(response: Any, status: int | tuple[int, ...], message: str | None = None, case: Any = None) -> None:
    """An in-process HttpResult in the contract's error envelope; `case` labels a failure."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status in statuses, (case, response.status, response.body)
    assert isinstance(response.body, dict) and set(response.body) == {"data", "success"}, (case, response.body)
    assert response.body["success"] is False and isinstance(response.body["data"], str) and response.body["data"]
    if message is not None:
        assert response.body["data"] == message, (case, response.body)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class RawResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return values[-1] if values else None


def raw_request(base_url: str, method: str, path: str, headers: list[tuple[str, str | bytes]],
                body: bytes | None = None, timeout: float = 30) -> RawResponse:
    """One HTTP request with headers exactly as given: repeated names, any case, raw bytes."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return RawResponse(response.status, response.getheaders(), response.read())
    finally:
        connection.close()
