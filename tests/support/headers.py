"""The request headers of the two auth modes, as a client sends them."""

import base64


def key_headers(api_key: str, secret: str, account_id: int | str) -> dict[str, str]:
    return {"X-API-Key": api_key, "X-Secret-Key": secret, "X-Account-ID": str(account_id)}


def basic_headers(user: str, password: str, peer: str | None = "cmd", account: int | None = None) -> dict[str, str]:
    """Operator Basic auth; `peer=None` leaves X-Peer out, `account=None` leaves X-Account-ID out."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    headers = {"Authorization": f"Basic {token}"}
    if peer is not None:
        headers["X-Peer"] = peer
    if account is not None:
        headers["X-Account-ID"] = str(account)
    return headers
