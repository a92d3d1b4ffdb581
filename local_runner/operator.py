"""The self-hosting operator's Basic credentials, locally: a fresh password in moto's SSM, printed once.

The authorizer reads them exactly as in AWS (Powertools Parameters, the parameter named by the
template); only the place the SecureString lives differs.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from local_runner.dynamodb import LocalDynamoDB
from local_runner.template import Template

USERNAME = "operator"


@dataclass(frozen=True)
class OperatorLogin:
    username: str
    password: str


def seed_operator(template: Template, dynamodb: LocalDynamoDB) -> OperatorLogin | None:
    """None when the template switches operator auth off, or when SSM is not moto's (we never write to AWS)."""
    environment = next(
        (fn.environment for fn in template.functions.values() if "OPERATOR_CREDENTIALS_PARAMETER" in fn.environment),
        {},
    )
    if environment.get("OPERATOR_AUTH_ENABLED") != "true" or not dynamodb.is_moto:
        return None
    login = OperatorLogin(USERNAME, secrets.token_urlsafe(18))
    dynamodb.client("ssm").put_parameter(Name=environment["OPERATOR_CREDENTIALS_PARAMETER"], Type="SecureString",
                                         Value=f"{login.username}:{login.password}", Overwrite=True)
    return login
