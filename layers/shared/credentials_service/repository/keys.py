"""Primary keys of the three item types (see docs/data-model.md)."""

ACTIVE_INDEX = "ActiveCredentialsByDateCreated"


def account_pk(account_id: int) -> str:
    return f"ACCOUNT#{account_id}"


def account_key(account_id: int) -> dict:
    return {"pk": {"S": account_pk(account_id)}, "sk": {"S": "ACCOUNT"}}


def credential_key(account_id: int, credential_id: int) -> dict:
    # Zero-padded so that the sort key orders like the integer id.
    return {"pk": {"S": account_pk(account_id)}, "sk": {"S": f"CREDENTIAL#{credential_id:012d}"}}


def key_lookup_key(api_key: str) -> dict:
    return {"pk": {"S": f"APIKEY#{api_key}"}, "sk": {"S": "APIKEY"}}


def active_sort_key(date_created: str, credential_id: int) -> str:
    return f"{date_created}#{credential_id:012d}"
