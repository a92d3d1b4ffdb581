"""Settings from the function's environment (set by template.yaml)."""

import os
from dataclasses import dataclass
from functools import cache

DEFAULT_MAX_ACTIVE_CREDENTIALS = 100


@dataclass(frozen=True, slots=True)
class Settings:
    table_name: str
    default_lifetime_seconds: int  # 0: credentials without expiresInSeconds never expire
    max_active_credentials: int
    authorizer_cache_enabled: bool
    operator_auth_enabled: bool
    operator_credentials_parameter: str


def _flag(name: str) -> bool:
    return os.environ.get(name, "false").strip().lower() == "true"


@cache
def settings() -> Settings:
    return Settings(
        table_name=os.environ.get("TABLE_NAME", "credentials"),
        default_lifetime_seconds=int(os.environ.get("DEFAULT_CREDENTIAL_LIFETIME_SECONDS", "0")),
        max_active_credentials=int(
            os.environ.get("MAX_ACTIVE_CREDENTIALS_PER_ACCOUNT", str(DEFAULT_MAX_ACTIVE_CREDENTIALS))
        ),
        authorizer_cache_enabled=_flag("AUTHORIZER_CACHE_ENABLED"),
        operator_auth_enabled=_flag("OPERATOR_AUTH_ENABLED"),
        operator_credentials_parameter=os.environ.get("OPERATOR_CREDENTIALS_PARAMETER", ""),
    )
