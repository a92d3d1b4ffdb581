"""Map domain objects to DynamoDB items and back (low-level attribute values, no resource layer)."""

from typing import Any

from credentials_service.domain import key_lookup as lookup_states
from credentials_service.domain.clock import from_rfc3339, to_rfc3339
from credentials_service.domain.credential import Credential
from credentials_service.domain.key_lookup import KeyLookup
from credentials_service.repository import keys

# Optional credential fields: attribute name -> domain field. Absent attribute means None.
_OPTIONAL_TEXT = {"modifiedBy": "modified_by", "archivedBy": "archived_by", "deletedBy": "deleted_by"}
_OPTIONAL_TIME = {"expiresAt": "expires_at", "dateModified": "date_modified", "dateDeleted": "date_deleted"}


def _text(item: dict, name: str) -> str | None:
    value = item.get(name)
    return value["S"] if value else None


def _scopes_attribute(scopes: tuple[str, ...]) -> dict[str, Any]:
    return {"L": [{"S": scope} for scope in scopes]}


def _scopes_from(item: dict[str, Any]) -> tuple[str, ...]:
    return tuple(scope["S"] for scope in item["scopes"]["L"])


def credential_attributes(credential: Credential) -> dict[str, Any]:
    """Every attribute of a credential item except its key, None for those to remove."""
    created = to_rfc3339(credential.date_created)
    attributes: dict[str, Any] = {
        "accountId": {"N": str(credential.account_id)},
        "credentialId": {"N": str(credential.id)},
        "apiKey": {"S": credential.api_key},
        "scopes": _scopes_attribute(credential.scopes),
        "createdBy": {"S": credential.created_by},
        "dateCreated": {"S": created},
        "archived": {"BOOL": credential.archived},
        # Only active credentials are in the index that serves the default list order.
        "activeSortKey": {"S": keys.active_sort_key(created, credential.id)} if credential.is_active else None,
    }
    for name, field in _OPTIONAL_TEXT.items():
        value = getattr(credential, field)
        attributes[name] = {"S": value} if value is not None else None
    for name, field in _OPTIONAL_TIME.items():
        value = getattr(credential, field)
        attributes[name] = {"S": to_rfc3339(value)} if value is not None else None
    return attributes


def credential_item(credential: Credential) -> dict[str, Any]:
    item = keys.credential_key(credential.account_id, credential.id)
    item.update({name: value for name, value in credential_attributes(credential).items() if value is not None})
    return item


def credential_from_item(item: dict[str, Any]) -> Credential:
    optional = {field: _text(item, name) for name, field in _OPTIONAL_TEXT.items()}
    optional.update({field: from_rfc3339(_text(item, name)) for name, field in _OPTIONAL_TIME.items()})
    return Credential(
        account_id=int(item["accountId"]["N"]),
        id=int(item["credentialId"]["N"]),
        api_key=item["apiKey"]["S"],
        scopes=_scopes_from(item),
        created_by=item["createdBy"]["S"],
        date_created=from_rfc3339(item["dateCreated"]["S"]),
        archived=item["archived"]["BOOL"],
        **optional,
    )


def lookup_status(credential: Credential) -> str:
    if credential.is_deleted:
        return lookup_states.DELETED
    return lookup_states.ARCHIVED if credential.archived else lookup_states.ACTIVE


def key_lookup_item(credential: Credential, secret_hash: str) -> dict[str, Any]:
    item = keys.key_lookup_key(credential.api_key)
    item.update(
        {
            "accountId": {"N": str(credential.account_id)},
            "credentialId": {"N": str(credential.id)},
            "secretHash": {"S": secret_hash},
            "scopes": _scopes_attribute(credential.scopes),
            "status": {"S": lookup_status(credential)},
        }
    )
    if credential.expires_at is not None:
        item["expiresAt"] = {"S": to_rfc3339(credential.expires_at)}
    return item


def key_lookup_from_item(api_key: str, item: dict[str, Any]) -> KeyLookup:
    return KeyLookup(
        api_key=api_key,
        account_id=int(item["accountId"]["N"]),
        credential_id=int(item["credentialId"]["N"]),
        secret_hash=item["secretHash"]["S"],
        scopes=_scopes_from(item),
        status=item["status"]["S"],
        expires_at=from_rfc3339(_text(item, "expiresAt")),
    )
