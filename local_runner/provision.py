"""Provision an account and its default credential through the real code path, as a signup does.

If the template has a function triggered by an EventBridge rule (the signup function), it is invoked
with an AccountCreated event; otherwise the layer's provisioning use case is called inside a
function's environment. Either way the result carries the credential and its one-time secret.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from local_runner.runtime import LambdaRuntime
from local_runner.template import PSEUDO_PARAMETERS, Template

PROVISION_USE_CASE = "credentials_service.usecases.accounts.provision_account"


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
    if signup:
        invocation = runtime.invoke(signup[0].logical_id, account_created_event(account_id, created_by))
    else:
        invocation = runtime.call(_a_function(template), PROVISION_USE_CASE,
                                  account_id=account_id, created_by=created_by)
    if not invocation.ok:
        error = invocation.error or {}
        raise ProvisioningError(f"provisioning account {account_id} failed: "
                                f"{error.get('errorType')}: {error.get('errorMessage')}")
    api_key = _find(invocation.result, "apiKey", "api_key")
    # The signup function returns the contract's plaintextSecret; the use case a NewCredential's secret.
    secret = _find(invocation.result, "plaintextSecret", "plaintext_secret", "secret")
    if not api_key or not secret:
        raise ProvisioningError(f"provisioning account {account_id} returned no new credential "
                                "(was the account provisioned before?)")
    return ProvisionedAccount(account_id, api_key, secret)


def _a_function(template: Template) -> str:
    """Any function but the authorizer: they all share the Globals environment (TABLE_NAME, ...)."""
    authorizers = {authorizer.function for authorizer in template.authorizers.values()}
    candidates = sorted(fn for fn in template.functions if fn not in authorizers)
    if not candidates:
        raise ProvisioningError("the template has no function to provision an account with")
    return candidates[0]


def _find(value: Any, *keys: str) -> Any:
    """The first of these keys anywhere in the result (it may nest the credential)."""
    if isinstance(value, dict):
        for key in keys:
            if value.get(key):
                return value[key]
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _find(item, *keys)
            if found:
                return found
    return None
