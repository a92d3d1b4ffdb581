"""The IAM policy and context a REQUEST authorizer returns to API Gateway."""

from typing import Any

from credentials_service.auth.outcome import Outcome


def whole_api(method_arn: str) -> str:
    """arn:...:{api}/{stage}/{METHOD}/{path} -> arn:...:{api}/{stage}/* (needed when results are cached,
    since one cached policy then answers for every route)."""
    arn_prefix, _, api_path = method_arn.partition(":execute-api:")
    region_account_api, *rest = api_path.split("/")
    stage = rest[0] if rest else "*"
    return f"{arn_prefix}:execute-api:{region_account_api}/{stage}/*"


def allow(result: Outcome, method_arn: str, cache_enabled: bool) -> dict[str, Any]:
    principal = result.principal
    context: dict[str, str] = {}
    if principal is not None:
        context = {
            "principal": principal.kind,
            "accountId": str(principal.account_id),
            "credentialId": "" if principal.credential_id is None else str(principal.credential_id),
            "scopes": ",".join(principal.scopes),
        }
        principal_id = f"{principal.kind}:{principal.account_id}:{principal.credential_id or ''}"
    else:
        context = {"rejectStatus": str(result.reject_status), "rejectMessage": result.reject_message or ""}
        principal_id = "rejected"
    return {
        "principalId": principal_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Allow",
                    "Resource": whole_api(method_arn) if cache_enabled else method_arn,
                }
            ],
        },
        "context": context,
    }
