"""Provision an account and its default credential as a signup does: the template's EventBridge-triggered
function (the signup function) is invoked with an AccountCreated event; its result carries the
credential and its one-time secret."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from local_runner.runtime import LambdaRuntime
from local_runner.template import PSEUDO_PARAMETERS, Template


class ProvisioningError(RuntimeError):
    pass


@dataclass(frozen=True)
class ProvisionedAccount:
    account_id: int
    api_key: str
    secret: str


def account_created_event(account_id: int, created_by: str) -> dict[str, Any]:
    """An EventBridge AccountCreated event, envelope included, as the signup flow publishes it."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "AccountCreated",
        "source": "scheduler0.accounts",
        "account": PSEUDO_PARAMETERS["AWS::AccountId"],
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": PSEUDO_PARAMETERS["AWS::Region"],
        "resources": [],
        "detail": {"accountId": account_id, "createdBy": created_by},
    }


def provision_account(template: Template, runtime: LambdaRuntime, account_id: int,
                      created_by: str = "local-runner") -> ProvisionedAccount:
    signup = template.functions_with_event("EventBridgeRule")
    if not signup:
        raise ProvisioningError("the template has no EventBridge-triggered signup function")
    invocation = runtime.invoke(signup[0].logical_id, account_created_event(account_id, created_by))
    if not invocation.ok:
        error = invocation.error or {}
        raise ProvisioningError(f"provisioning account {account_id} failed: "
                                f"{error.get('errorType')}: {error.get('errorMessage')}")
    credential = (invocation.result or {}).get("credential")
    if not credential:
        raise ProvisioningError(f"provisioning account {account_id} returned no new credential "
                                "(was the account provisioned before?)")
    return ProvisionedAccount(account_id, credential["apiKey"], credential["plaintextSecret"])
