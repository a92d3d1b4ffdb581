"""Create, list, get, archive, update and delete a credential on behalf of a principal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from credentials_service.config import settings
from credentials_service.domain import clock, scopes, secrets
from credentials_service.domain import credential as rules
from credentials_service.domain.credential import Credential
from credentials_service.domain.listing import sort_credentials
from credentials_service.domain.principal import Principal
from credentials_service.errors import ConcurrentUpdate, CredentialNotFound, InvalidStateChange
from credentials_service.repository.credentials import CredentialRepository, StaleCredential

if TYPE_CHECKING:  # only annotations: each function loads just the request models it parses itself
    from credentials_service.models.archive import ArchiveCredentialRequest
    from credentials_service.models.create import CreateCredentialRequest
    from credentials_service.models.delete import DeleteCredentialRequest
    from credentials_service.models.listing import ListCredentialsQuery
    from credentials_service.models.update import UpdateCredentialRequest

# A read-decide-write that keeps losing races gives up with a 409 rather than spinning.
_ATTEMPTS = 3


# Use-case results are NamedTuples: immutable records, and cheaper to define at cold start than frozen dataclasses.
class NewCredential(NamedTuple):
    credential: Credential
    secret: str  # shown once, never stored


class Page(NamedTuple):
    total: int
    offset: int
    limit: int
    credentials: list[Credential]


def new_credential(
    account_id: int,
    credential_id: int,
    created_by: str,
    granted: tuple[str, ...],
    expires_in_seconds: int | None,
    archived: bool = False,
) -> tuple[Credential, str]:
    """A fresh credential and its secret (the caller stores only the hash)."""
    created = clock.now()
    credential = Credential(
        account_id=account_id,
        id=credential_id,
        api_key=secrets.generate_api_key(),
        scopes=granted,
        created_by=created_by,
        date_created=created,
        archived=archived,
        archived_by=created_by if archived else None,
        expires_at=rules.expiry(expires_in_seconds, settings().default_lifetime_seconds, created),
    )
    return credential, secrets.generate_secret()


def create_credential(
    principal: Principal, request: CreateCredentialRequest, repository: CredentialRepository
) -> NewCredential:
    granted = scopes.normalise(request.scopes)
    principal.require_can_grant(granted)
    cap = settings().max_active_credentials
    archived = bool(request.archived)
    credential_id = repository.reserve_credential_id(principal.account_id, None if archived else cap)
    credential, secret = new_credential(
        principal.account_id, credential_id, request.created_by, granted, request.expires_in_seconds, archived
    )
    repository.insert(credential, secrets.hash_secret(secret), cap)
    return NewCredential(credential, secret)


def list_credentials(principal: Principal, query: ListCredentialsQuery, repository: CredentialRepository) -> Page:
    total = repository.count_active(principal.account_id)
    if query.order_by == "date_created":
        first = repository.list_active_by_date_created(
            principal.account_id, query.offset + query.limit, query.descending
        )
    else:
        first = sort_credentials(repository.list_all_active(principal.account_id), query.order_by, query.descending)
    return Page(total, query.offset, query.limit, first[query.offset : query.offset + query.limit])


def get_credential(principal: Principal, credential_id: int, repository: CredentialRepository) -> Credential:
    return _existing(principal, credential_id, repository)


def archive_credential(
    principal: Principal, credential_id: int, request: ArchiveCredentialRequest, repository: CredentialRepository
) -> None:

    def change(current: Credential) -> Credential | None:
        return None if current.archived else rules.archive(current, request.archived_by, clock.now())

    _change(principal, credential_id, change, repository)


def update_credential(
    principal: Principal, credential_id: int, request: UpdateCredentialRequest, repository: CredentialRepository
) -> Credential:

    def change(current: Credential) -> Credential:
        at = clock.now()
        if current.is_deleted:  # reached only when un-archiving: the contract's 409
            raise InvalidStateChange("a deleted credential cannot be un-archived")
        if request.archived is None or request.archived == current.archived:
            return rules.touch(current, request.modified_by, at)
        if request.archived:
            return rules.touch(rules.archive(current, request.modified_by, at), request.modified_by, at)
        return rules.unarchive(current, request.modified_by, at)

    return _change(principal, credential_id, change, repository, allow_deleted=request.archived is False)


def delete_credential(
    principal: Principal, credential_id: int, request: DeleteCredentialRequest, repository: CredentialRepository
) -> None:

    def change(current: Credential) -> Credential | None:
        # Deleting again is a 204; the item stays for audit.
        return None if current.is_deleted else rules.delete(current, request.deleted_by, clock.now())

    _change(principal, credential_id, change, repository, allow_deleted=True)


def _existing(principal: Principal, credential_id: int, repository: CredentialRepository) -> Credential:
    credential = repository.find_credential(principal.account_id, credential_id)
    if credential is None or credential.is_deleted:
        raise CredentialNotFound()
    return credential


def _change(
    principal: Principal,
    credential_id: int,
    change: Callable[[Credential], Credential | None],
    repository: CredentialRepository,
    allow_deleted: bool = False,
) -> Credential:
    """Read, decide, write if still unchanged; a lost race reads again."""
    cap = settings().max_active_credentials
    for _ in range(_ATTEMPTS):
        current = repository.find_credential(principal.account_id, credential_id)
        if current is None or (current.is_deleted and not allow_deleted):
            raise CredentialNotFound()
        after = change(current)  # may raise a rule violation (409)
        if after is None or after == current:
            return current
        try:
            repository.save_change(current, after, cap)
        except StaleCredential:
            continue
        return after
    raise ConcurrentUpdate()
