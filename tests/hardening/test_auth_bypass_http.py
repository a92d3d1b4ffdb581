"""Authentication bypass attempts over real HTTP, where header handling matters: repeated headers,
header-name case, raw non-ASCII bytes, very long values. Through the local API (template.yaml's
routes, authorizer and Gateway Responses) with the real functions in their own processes."""

import pytest

from credentials_service.domain import secrets
from tests.hardening.helpers import CREDENTIALS, OPERATOR_PASSWORD, UNAUTHORIZED, basic_headers, raw_request

pytestmark = pytest.mark.e2e
ROUTES = [("GET", CREDENTIALS), ("POST", CREDENTIALS), ("POST", f"{CREDENTIALS}/1/archive"),
          ("GET", f"{CREDENTIALS}/1"), ("PUT", f"{CREDENTIALS}/1"), ("DELETE", f"{CREDENTIALS}/1")]
VOLATILE_HEADERS = {"date", "x-request-id", "x-amzn-requestid"}


def send(account, headers, method="GET", path=CREDENTIALS, body=b'{"createdBy": "intruder"}'):
    return raw_request(account.base_url, method, path, headers, body if method != "GET" else None)


def pairs(account, **overrides):
    """The account's headers as (name, value) pairs, so that a test may repeat a name."""
    values = {**account.headers, **{name.replace("_", "-"): value for name, value in overrides.items()}}
    return list(values.items())


def assert_never_authenticated(account, attempts):
    """Every attempt, on a read and on a write, is refused in the envelope (400 or 401)."""
    for name, headers in attempts.items():
        for method in ("GET", "POST"):
            response = send(account, headers, method)
            assert not 200 <= response.status < 300, (name, method, response.body)
            assert_refused(response, (400, 401))


def assert_refused(response, statuses=(401,)):
    assert response.status in statuses, (response.status, response.body)
    assert response.header("Content-Type").startswith("application/json")
    body = response.json()
    assert body["success"] is False and isinstance(body["data"], str)
    if response.status == 401:
        assert body["data"] == UNAUTHORIZED


def test_the_account_works_over_http(http_account):
    assert send(http_account, pairs(http_account)).status == 200
    lower = [(name.lower(), value) for name, value in pairs(http_account)]
    assert send(http_account, lower).status == 200


def test_repeated_headers_never_authenticate(http_account, new_http_account):
    other = new_http_account()
    a, wrong = http_account, secrets.generate_secret()
    attempts = {
        "key twice": pairs(a) + [("X-API-Key", other.api_key)],
        "key twice, other first": [("X-API-Key", other.api_key)] + pairs(a),
        "secret twice, right last": [("X-Secret-Key", wrong)] + pairs(a),
        "secret twice, right first": pairs(a) + [("X-Secret-Key", wrong)],
        "account twice": pairs(a) + [("X-Account-ID", str(other.account_id))],
        "account twice, other first": [("X-Account-ID", str(other.account_id))] + pairs(a),
        "other's key, own account last": pairs(other) + [("X-Account-ID", str(a.account_id))],
        "legacy secret disagreeing": pairs(a) + [("X-API-Secret", other.secret)],
        "key by two name cases": pairs(a) + [("x-api-key", other.api_key)],
        "secret by two name cases": pairs(a) + [("x-secret-key", wrong)],
        "account by two name cases": pairs(other) + [("x-account-id", str(a.account_id))],
        "ACCOUNT by two name cases": pairs(a) + [("X-ACCOUNT-ID", str(other.account_id))],
    }
    assert_never_authenticated(a, attempts)


def test_non_ascii_long_and_control_character_values_are_refused(http_account):
    a = http_account
    long_value = "A" * 8192
    attempts = {
        "UTF-8 bytes in secret": pairs(a, X_Secret_Key=(a.secret[:-2] + "é").encode("utf-8")),
        "UTF-8 bytes in key": pairs(a, X_API_Key=("s0ak_" + "ü" * 24).encode("utf-8")),
        "latin-1 byte in secret": pairs(a, X_Secret_Key=a.secret[:-1].encode() + b"\xe9"),
        "emoji in account": pairs(a, X_Account_ID="🔑".encode()),
        "NUL in secret": pairs(a, X_Secret_Key=a.secret + "\x00"),
        "8 KB secret": pairs(a, X_Secret_Key=long_value),
        "8 KB key": pairs(a, X_API_Key=long_value),
        "8 KB secret after the real one": pairs(a, X_Secret_Key=a.secret + long_value),
        "empty values": pairs(a, X_API_Key="", X_Secret_Key=""),
        "blank secret": pairs(a, X_Secret_Key="   "),
    }
    assert_never_authenticated(a, attempts)


def test_no_credentials_on_any_route_is_refused(http_account):
    for method, path in ROUTES:
        for headers in ([], [("X-Account-ID", str(http_account.account_id))]):
            response = send(http_account, headers, method, path)
            assert_refused(response, (400, 401))


def test_failures_are_indistinguishable_over_http(http_account, new_http_account):
    """Same status, same body, same headers (but the request id and date) for every credential failure."""
    a, other = http_account, new_http_account()
    failures = {
        "unknown key": pairs(a, X_API_Key=secrets.generate_api_key()),
        "wrong secret": pairs(a, X_Secret_Key=secrets.generate_secret()),
        "malformed secret": pairs(a, X_Secret_Key="s0sk_x"),
        "other account's key": pairs(other, X_Account_ID=str(a.account_id)),
        "no credentials": [("X-Account-ID", str(a.account_id))],
        "8 KB secret": pairs(a, X_Secret_Key="A" * 8192),
    }
    seen = set()
    for name, headers in failures.items():
        response = send(a, headers)
        shape = (response.status, response.body,
                 tuple(sorted((k.lower(), v) for k, v in response.headers if k.lower() not in VOLATILE_HEADERS)))
        seen.add(shape)
        assert response.status == 401, (name, response.body)
    assert len(seen) == 1, seen


def test_operator_basic_over_http(http_account):
    a = http_account.account_id
    assert send(http_account, list(basic_headers(account=a).items())).status == 200
    for headers in (basic_headers(password="wrong", account=a), basic_headers(peer=None, account=a),
                    basic_headers(password="", account=a), basic_headers(password=OPERATOR_PASSWORD + " ", account=a)):
        response = send(http_account, list(headers.items()), "POST")
        assert_refused(response)
    wrong = basic_headers(password="x")["Authorization"]
    repeated = list(basic_headers(account=a).items()) + [("Authorization", wrong)]
    assert_refused(send(http_account, repeated, "POST"))
    peers = list(basic_headers(account=a, peer="client").items()) + [("X-Peer", "cmd")]
    assert_refused(send(http_account, peers, "POST"))


@pytest.mark.parametrize("method", ["HEAD", "TRACE", "QUERY"])
def test_an_undeclared_method_is_a_gateway_4xx_in_the_envelope(http_account, method):
    response = send(http_account, pairs(http_account), method)
    assert 400 <= response.status < 500
    assert response.header("Content-Type").startswith("application/json")
    if method != "HEAD":
        assert response.json() == {"data": "route not found", "success": False}
