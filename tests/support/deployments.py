"""Template parameters of the deployments tests stand up besides the default one."""


def cache_on(ttl_seconds: int = 300) -> dict[str, str]:
    """The authorizer result cache on: the cached authorizer and its TTL (a template rule ties the two)."""
    return {"Authorizer": "CachedCredentialsAuthorizer", "AuthorizerCacheTtlSeconds": str(ttl_seconds)}
