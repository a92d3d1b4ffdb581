"""Accounts, credentials and key lookups in the single table.

Every change that touches more than one item is one TransactWriteItems whose conditions enforce
the rules (unique ids and keys, the per-account cap, the last-active rule), so concurrent
requests can never leave the items disagreeing.
"""

from typing import Any

from credentials_service.config import settings
from credentials_service.domain.clock import to_rfc3339
from credentials_service.domain.credential import Credential
from credentials_service.domain.key_lookup import KeyLookup
from credentials_service.errors import (
    ConcurrentUpdate,
    CredentialLimitReached,
    LastActiveCredential,
)
from credentials_service.repository import items, keys
from credentials_service.repository.client import dynamodb_client
from credentials_service.repository.errors import ConditionFailed, TransactionCancelled, dynamodb_errors


class StaleCredential(Exception):
    """The credential changed between our read and our write: read again and decide again."""


class AlreadyProvisioned(Exception):
    """The account already received its default credential (a repeated signup event)."""


_ONE = {"N": "1"}


class CredentialRepository:
    def __init__(self, client: Any = None, table_name: str | None = None) -> None:
        self._client = client or dynamodb_client()
        self._table = table_name or settings().table_name

    # --- reads -----------------------------------------------------------------------------

    def find_key_lookup(self, api_key: str) -> KeyLookup | None:
        """The authorizer's one strongly consistent read."""
        with dynamodb_errors():
            response = self._client.get_item(
                TableName=self._table, Key=keys.key_lookup_key(api_key), ConsistentRead=True
            )
        item = response.get("Item")
        return items.key_lookup_from_item(api_key, item) if item else None

    def find_credential(self, account_id: int, credential_id: int) -> Credential | None:
        with dynamodb_errors():
            response = self._client.get_item(
                TableName=self._table, Key=keys.credential_key(account_id, credential_id), ConsistentRead=True
            )
        item = response.get("Item")
        return items.credential_from_item(item) if item else None

    def count_active(self, account_id: int) -> int:
        with dynamodb_errors():
            response = self._client.get_item(
                TableName=self._table,
                Key=keys.account_key(account_id),
                ConsistentRead=True,
                ProjectionExpression="activeCount",
            )
        return int(response.get("Item", {}).get("activeCount", {"N": "0"})["N"])

    def list_active_by_date_created(self, account_id: int, count: int, descending: bool) -> list[Credential]:
        """The first `count` active credentials in creation order, reading about `count` items."""
        return self._query_active(account_id, descending, stop_after=count)

    def list_all_active(self, account_id: int) -> list[Credential]:
        """Every active credential (bounded by the per-account cap), for the other orders."""
        return self._query_active(account_id, descending=False, stop_after=None)

    def _query_active(self, account_id: int, descending: bool, stop_after: int | None) -> list[Credential]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.ACTIVE_INDEX,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.account_pk(account_id)}},
            "ScanIndexForward": not descending,
            "ConsistentRead": True,
        }
        found: list[Credential] = []
        while True:
            if stop_after is not None:
                request["Limit"] = stop_after - len(found)
            with dynamodb_errors():
                response = self._client.query(**request)
            found.extend(items.credential_from_item(item) for item in response.get("Items", []))
            if "LastEvaluatedKey" not in response or (stop_after is not None and len(found) >= stop_after):
                return found
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # --- writes ----------------------------------------------------------------------------

    def reserve_credential_id(self, account_id: int, max_active: int | None) -> int:
        """Next id of the account (ids are never reused). Fails fast when the account is full.

        Creates the account item if needed, so an operator can act on any account id.
        """
        request: dict[str, Any] = {
            "TableName": self._table,
            "Key": keys.account_key(account_id),
            "UpdateExpression": "ADD nextCredentialId :one SET accountId = if_not_exists(accountId, :account)",
            "ExpressionAttributeValues": {":one": _ONE, ":account": {"N": str(account_id)}},
            "ReturnValues": "UPDATED_NEW",
        }
        if max_active is not None:
            request["ConditionExpression"] = "attribute_not_exists(activeCount) OR activeCount < :cap"
            request["ExpressionAttributeValues"][":cap"] = {"N": str(max_active)}
        try:
            with dynamodb_errors():
                response = self._client.update_item(**request)
        except ConditionFailed:
            raise CredentialLimitReached(max_active or 0) from None
        return int(response["Attributes"]["nextCredentialId"]["N"])

    def insert(self, credential: Credential, secret_hash: str, max_active: int) -> None:
        """Credential, key lookup and the account's active count, in one transaction."""
        writes = [
            self._put_new(items.credential_item(credential)),
            self._put_new(items.key_lookup_item(credential, secret_hash)),
        ]
        if credential.is_active:
            writes.append(self._count_change(credential.account_id, +1, max_active))
        try:
            self._transact(writes)
        except TransactionCancelled as cancelled:
            if len(writes) > 2 and cancelled.failed(2):
                raise CredentialLimitReached(max_active) from None
            raise ConcurrentUpdate() from None  # a key collision: 2^-143, but never silently

    def provision(self, credential: Credential, secret_hash: str, created_by: str) -> None:
        """The account's first credential; a second delivery of the same signup raises AlreadyProvisioned."""
        account = {
            "Update": {
                "TableName": self._table,
                "Key": keys.account_key(credential.account_id),
                "UpdateExpression": "SET provisionedAt = :now, provisionedBy = :by, accountId = :account "
                "ADD activeCount :one",
                "ConditionExpression": "attribute_not_exists(provisionedAt)",
                "ExpressionAttributeValues": {
                    ":now": {"S": to_rfc3339(credential.date_created)},
                    ":by": {"S": created_by},
                    ":account": {"N": str(credential.account_id)},
                    ":one": _ONE,
                },
            }
        }
        writes = [
            account,
            self._put_new(items.credential_item(credential)),
            self._put_new(items.key_lookup_item(credential, secret_hash)),
        ]
        try:
            self._transact(writes)
        except TransactionCancelled as cancelled:
            if cancelled.failed(0):
                raise AlreadyProvisioned() from None
            raise ConcurrentUpdate() from None

    def is_provisioned(self, account_id: int) -> bool:
        with dynamodb_errors():
            response = self._client.get_item(
                TableName=self._table,
                Key=keys.account_key(account_id),
                ConsistentRead=True,
                ProjectionExpression="provisionedAt",
            )
        return "provisionedAt" in response.get("Item", {})

    def save_change(self, before: Credential, after: Credential, max_active: int) -> None:
        """Write a state change of one credential, if it is still in the state `before` we read.

        Raises StaleCredential when it is not, LastActiveCredential or CredentialLimitReached when
        the account's active count forbids the change.
        """
        writes = [self._update_credential(before, after)]
        if items.lookup_status(after) != items.lookup_status(before):
            writes.append(self._update_lookup_status(after))
        delta = int(after.is_active) - int(before.is_active)
        if delta:
            writes.append(self._count_change(after.account_id, delta, max_active))
        try:
            self._transact(writes)
        except TransactionCancelled as cancelled:
            if cancelled.failed(0):
                raise StaleCredential() from None
            if delta < 0:
                raise LastActiveCredential() from None
            raise CredentialLimitReached(max_active) from None

    # --- building blocks -------------------------------------------------------------------

    def _transact(self, writes: list[dict[str, Any]]) -> None:
        with dynamodb_errors():
            self._client.transact_write_items(TransactItems=writes)

    def _put_new(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"Put": {"TableName": self._table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}

    def _count_change(self, account_id: int, delta: int, max_active: int) -> dict[str, Any]:
        if delta > 0:
            condition, bound = "attribute_not_exists(activeCount) OR activeCount < :bound", max_active
        else:
            condition, bound = "activeCount > :bound", 1  # the last-active rule: never below one
        return {
            "Update": {
                "TableName": self._table,
                "Key": keys.account_key(account_id),
                "UpdateExpression": "ADD activeCount :delta",
                "ConditionExpression": condition,
                "ExpressionAttributeValues": {":delta": {"N": str(delta)}, ":bound": {"N": str(bound)}},
            }
        }

    def _update_credential(self, before: Credential, after: Credential) -> dict[str, Any]:
        sets, removes = [], []
        names: dict[str, str] = {"#archived": "archived"}
        values: dict[str, Any] = {":beforeArchived": {"BOOL": before.archived}}
        for position, (name, value) in enumerate(items.credential_attributes(after).items()):
            names[f"#a{position}"] = name
            if value is None:
                removes.append(f"#a{position}")
            else:
                sets.append(f"#a{position} = :v{position}")
                values[f":v{position}"] = value
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        return {
            "Update": {
                "TableName": self._table,
                "Key": keys.credential_key(after.account_id, after.id),
                "UpdateExpression": expression,
                # Optimistic: still there, still in the state we read.
                "ConditionExpression": "attribute_exists(pk) AND #archived = :beforeArchived"
                + (" AND attribute_exists(#deleted)" if before.is_deleted else " AND attribute_not_exists(#deleted)"),
                "ExpressionAttributeNames": {**names, "#deleted": "dateDeleted"},
                "ExpressionAttributeValues": values,
            }
        }

    def _update_lookup_status(self, after: Credential) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": keys.key_lookup_key(after.api_key),
                "UpdateExpression": "SET #status = :status",
                "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":status": {"S": items.lookup_status(after)}},
            }
        }
