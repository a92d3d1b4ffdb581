"""Who a test calls as: an account's credential, in-process or over HTTP."""

from dataclasses import dataclass, field, replace
from typing import Any

from tests.support.headers import key_headers


@dataclass(frozen=True)
class Caller:
    account_id: int
    api_key: str
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return key_headers(self.api_key, self.secret, self.account_id)


@dataclass(frozen=True)
class HttpCaller(Caller):
    """The same, against a local API at base_url."""

    base_url: str = field(kw_only=True)

    @classmethod
    def provision(cls, service: Any, account_id: int, created_by: str) -> "HttpCaller":
        """A new account on a running local service (through its signup function), as its default credential."""
        provisioned = service.provision(account_id, created_by=created_by)
        return cls(provisioned.account_id, provisioned.api_key, provisioned.secret, base_url=service.base_url)

    def with_key(self, api_key: str, secret: str) -> "HttpCaller":
        return replace(self, api_key=api_key, secret=secret)
