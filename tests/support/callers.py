"""Who a test calls as: an account's credential, in-process or over HTTP."""

from dataclasses import dataclass

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
class HttpCaller:
    """The same, against a local API at base_url."""

    base_url: str
    account_id: int
    api_key: str
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return key_headers(self.api_key, self.secret, self.account_id)

    def with_key(self, api_key: str, secret: str) -> "HttpCaller":
        return HttpCaller(self.base_url, self.account_id, api_key, secret)
