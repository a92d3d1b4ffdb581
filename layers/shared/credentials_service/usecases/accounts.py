"""Signup provisioning: an account's record and its default credential, exactly once."""

from typing import NamedTuple

from credentials_service.domain import scopes, secrets
from credentials_service.repository.credentials import AlreadyProvisioned, CredentialRepository
from credentials_service.usecases.credentials import NewCredential, new_credential


class Provisioned(NamedTuple):
    account_id: int
    default: NewCredential | None  # None: an earlier delivery of the same event already did it


def provision_account(account_id: int, created_by: str, repository: CredentialRepository | None = None) -> Provisioned:
    repository = repository or CredentialRepository()
    if repository.is_provisioned(account_id):
        return Provisioned(account_id, None)
    credential_id = repository.reserve_credential_id(account_id, None)
    credential, secret = new_credential(account_id, credential_id, created_by, scopes.DEFAULT_SCOPES, None)
    try:
        repository.provision(credential, secrets.hash_secret(secret), created_by)
    except AlreadyProvisioned:  # a concurrent delivery won the race
        return Provisioned(account_id, None)
    return Provisioned(account_id, NewCredential(credential, secret))
