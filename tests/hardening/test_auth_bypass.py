"""Authentication bypass attempts, in-process through the real authorizer and handlers: none gets a 2xx.

Each attempt is also sent as a write (POST create), where a bypass would do the most harm, and the
rejections are shown to be indistinguishable: an unknown key and a wrong secret (and every other
credential failure) answer with the same status and the same body, after the same database work.
"""

import base64
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from credentials_service.domain import secrets
from tests.hardening.helpers import CREDENTIALS, OPERATOR_PASSWORD, OPERATOR_USER, UNAUTHORIZED, basic_headers
from tests.support.callers import Caller
from tests.support.headers import key_headers
from tests.support.lambdas import lambda_context

UNAUTHORIZED_BODY = {"data": UNAUTHORIZED, "success": False}
LONG = "A" * 8192


@dataclass(frozen=True)
class World:
    caller: Caller  # account A's default credential (read, write, execute)
    sibling: Caller  # a second credential of account A
    other: Caller  # account B's default credential
    read_only: Caller  # a credential of account A with the read scope only


def create(gateway, caller: Caller, **body) -> tuple[Caller, int]:
    response = gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "hardening", **body})
    assert response.status == 201, response.body
    data = response.body["data"]
    return Caller(caller.account_id, data["apiKey"], data["plaintextSecret"]), data["id"]


@pytest.fixture
def world(gateway, caller, new_account) -> World:
    sibling, _ = create(gateway, caller)
    read_only, _ = create(gateway, caller, scopes=["read"])
    return World(caller, sibling, new_account(), read_only)


def flip(text: str, index: int) -> str:
    """The same text with one base62 character changed."""
    replacement = "B" if text[index] == "A" else "A"
    return text[:index] + replacement + text[index + 1:]


def reforged(secret: str) -> str:
    """A different secret whose checksum is right: passes the format check, fails the hash."""
    body = flip(secret[:-6], 10)
    value, digits = zlib.crc32(body.encode("ascii")), []
    for _ in range(6):
        value, digit = divmod(value, 62)
        digits.append(secrets.BASE62[digit])
    return body + "".join(reversed(digits))


def with_(caller: Caller, **changes: str) -> dict[str, str]:
    headers = dict(caller.headers)
    for name, value in changes.items():
        headers[name.replace("_", "-")] = value
    return headers


Attempt = Callable[[World], dict[str, str]]
ATTEMPTS: dict[str, Attempt] = {
    # Absent, empty, blank
    "no headers at all": lambda w: {},
    "account header only": lambda w: {"X-Account-ID": str(w.caller.account_id)},
    "key only": lambda w: {"X-API-Key": w.caller.api_key, "X-Account-ID": str(w.caller.account_id)},
    "secret only": lambda w: {"X-Secret-Key": w.caller.secret, "X-Account-ID": str(w.caller.account_id)},
    "empty key": lambda w: with_(w.caller, X_API_Key=""),
    "empty secret": lambda w: with_(w.caller, X_Secret_Key=""),
    "empty account": lambda w: with_(w.caller, X_Account_ID=""),
    "all empty": lambda w: key_headers("", "", ""),
    "blank secret": lambda w: with_(w.caller, X_Secret_Key="   "),
    "tab secret": lambda w: with_(w.caller, X_Secret_Key="\t"),
    "blank key": lambda w: with_(w.caller, X_API_Key=" \t "),
    # Very long and non-ASCII
    "8 KB secret": lambda w: with_(w.caller, X_Secret_Key=LONG),
    "8 KB key": lambda w: with_(w.caller, X_API_Key=LONG),
    "8 KB secret with the right prefix": lambda w: with_(w.caller, X_Secret_Key=w.caller.secret + LONG),
    "8 KB account": lambda w: with_(w.caller, X_Account_ID="1" * 8192),
    "non-ASCII secret": lambda w: with_(w.caller, X_Secret_Key=w.caller.secret[:-1] + "é"),
    "homoglyph in secret": lambda w: with_(w.caller, X_Secret_Key=w.caller.secret.replace("s0sk_", "s0sк_")),
    "homoglyph in key": lambda w: with_(w.caller, X_API_Key=w.caller.api_key.replace("s0ak_", "ѕ0ak_")),
    "full-width digits in account": lambda w: with_(
        w.caller, X_Account_ID=str(w.caller.account_id).translate(str.maketrans("0123456789", "０１２３４５６７８９"))),
    "NUL in secret": lambda w: with_(w.caller, X_Secret_Key=w.caller.secret + "\x00"),
    # The secret almost right
    "secret one char short": lambda w: with_(w.caller, X_Secret_Key=w.caller.secret[:-1]),
    "secret one char long": lambda w: with_(w.caller, X_Secret_Key=w.caller.secret + "A"),
    "secret one char changed": lambda w: with_(w.caller, X_Secret_Key=flip(w.caller.secret, 20)),
    "secret re-checksummed": lambda w: with_(w.caller, X_Secret_Key=reforged(w.caller.secret)),
    "secret upper-cased": lambda w: with_(w.caller, X_Secret_Key=w.caller.secret.upper()),
    "secret without prefix": lambda w: with_(w.caller, X_Secret_Key=w.caller.secret[5:]),
    "secret's hash as secret": lambda w: with_(w.caller, X_Secret_Key=secrets.hash_secret(w.caller.secret)),
    "key as secret": lambda w: with_(w.caller, X_Secret_Key=w.caller.api_key),
    "key one char changed": lambda w: with_(w.caller, X_API_Key=flip(w.caller.api_key, 10)),
    "unknown key, well-formed secret": lambda w: with_(w.caller, X_API_Key=secrets.generate_api_key(),
                                                       X_Secret_Key=secrets.generate_secret()),
    # Mixing credentials and accounts
    "key with a sibling's secret": lambda w: with_(w.caller, X_Secret_Key=w.sibling.secret),
    "key with another account's secret": lambda w: with_(w.caller, X_Secret_Key=w.other.secret),
    "another account's id": lambda w: with_(w.caller, X_Account_ID=str(w.other.account_id)),
    "another account's key, own account id": lambda w: key_headers(w.other.api_key, w.other.secret,
                                                                   w.caller.account_id),
    "account id with a sign": lambda w: with_(w.caller, X_Account_ID=f"+{w.caller.account_id}"),
    "account id negative": lambda w: with_(w.caller, X_Account_ID=f"-{w.caller.account_id}"),
    "account id zero": lambda w: with_(w.caller, X_Account_ID="0"),
    "account id overflowing int64": lambda w: with_(w.caller, X_Account_ID=str(2**64 + w.caller.account_id)),
    "account id list": lambda w: with_(w.caller, X_Account_ID=f"{w.caller.account_id},{w.other.account_id}"),
    "legacy header with another secret": lambda w: {**w.caller.headers, "X-API-Secret": w.sibling.secret},
    "legacy header with a wrong secret": lambda w: {**w.caller.headers, "X-API-Secret": secrets.generate_secret()},
    # Other schemes
    "bearer token": lambda w: {"Authorization": f"Bearer {w.caller.secret}", "X-Account-ID": str(w.caller.account_id)},
    "basic with key and secret": lambda w: {
        "Authorization": "Basic " + base64.b64encode(f"{w.caller.api_key}:{w.caller.secret}".encode()).decode(),
        "X-Peer": "cmd", "X-Account-ID": str(w.caller.account_id)},
}

BAD_ACCOUNT_HEADER = {
    "no headers at all", "empty account", "all empty", "8 KB account", "full-width digits in account",
    "account id with a sign", "account id negative", "account id zero", "account id overflowing int64",
    "account id list",
}


def test_no_bypass_attempt_gets_a_2xx(gateway, world):
    """Every attempt, as a read and as a write asking for admin; one world (and table) for all, for speed."""
    answers = {}
    for name, attempt in ATTEMPTS.items():
        for method, body in (("GET", None), ("POST", {"createdBy": "intruder", "scopes": ["admin"]})):
            response = gateway.request(method, CREDENTIALS, attempt(world), body)
            answers[f"{method} {name}"] = (response.status, response.body)
    succeeded = {name: answer for name, answer in answers.items() if not 400 <= answer[0] < 500}
    assert succeeded == {}
    assert all(body["success"] is False and body["data"] for _, body in answers.values())
    # Only a missing or invalid account header is a 400; every credential problem is the one 401.
    for name, (status, body) in answers.items():
        if name.split(" ", 1)[1] in BAD_ACCOUNT_HEADER:
            assert status == 400 and body["data"] in ("x-account-id header is required",
                                                      "invalid x-account-id header"), (name, body)
        else:
            assert (status, body) == (401, UNAUTHORIZED_BODY), (name, status, body)


def test_the_attempts_fail_for_the_right_reason(gateway, world):
    """The same requests succeed once the one thing wrong with them is put right."""
    assert gateway.request("GET", CREDENTIALS, world.caller.headers).status == 200
    lower = {name.lower(): value for name, value in world.caller.headers.items()}
    upper = {name.upper(): value for name, value in world.caller.headers.items()}
    assert gateway.request("GET", CREDENTIALS, lower).status == 200
    assert gateway.request("GET", CREDENTIALS, upper).status == 200
    padded = with_(world.caller, X_Secret_Key=f"  {world.caller.secret} ")
    assert gateway.request("GET", CREDENTIALS, padded).status == 200


# --- repeated headers and header-name case variants, at the authorizer's own event -------------------


def decide(gateway, multi: dict[str, list[str]]) -> str:
    """What the authorizer makes of these (possibly repeated) headers: "allow", "401" or the reject status."""
    event = {
        "type": "REQUEST",
        "methodArn": "arn:aws:execute-api:us-east-1:123456789012:api/prod/POST/api/v1/credentials",
        "httpMethod": "POST",
        "headers": {name: values[-1] for name, values in multi.items()},  # API Gateway: the last value
        "multiValueHeaders": multi,
        "requestContext": {"requestId": "hardening"},
    }
    try:
        decision = gateway.handler("AuthorizerFunction")(event, lambda_context("AuthorizerFunction"))
    except Exception as error:
        if str(error) == "Unauthorized":
            return "401"
        raise
    context = decision["context"]
    return context.get("rejectStatus") or "allow"


REPEATED: dict[str, Callable[[World], dict[str, list[str]]]] = {
    "key twice: own then sibling's": lambda w: {"X-API-Key": [w.caller.api_key, w.sibling.api_key],
                                                "X-Secret-Key": [w.caller.secret],
                                                "X-Account-ID": [str(w.caller.account_id)]},
    "secret twice: wrong then right": lambda w: {"X-API-Key": [w.caller.api_key],
                                                 "X-Secret-Key": [secrets.generate_secret(), w.caller.secret],
                                                 "X-Account-ID": [str(w.caller.account_id)]},
    "secret twice: right then wrong": lambda w: {"X-API-Key": [w.caller.api_key],
                                                 "X-Secret-Key": [w.caller.secret, secrets.generate_secret()],
                                                 "X-Account-ID": [str(w.caller.account_id)]},
    "secret twice: right then empty": lambda w: {"X-API-Key": [w.caller.api_key],
                                                 "X-Secret-Key": [w.caller.secret, "x"],
                                                 "X-Account-ID": [str(w.caller.account_id)]},
    "account twice: own then other": lambda w: {"X-API-Key": [w.other.api_key], "X-Secret-Key": [w.other.secret],
                                                "X-Account-ID": [str(w.other.account_id), str(w.caller.account_id)]},
    "account twice: other then own": lambda w: {"X-API-Key": [w.caller.api_key], "X-Secret-Key": [w.caller.secret],
                                                "X-Account-ID": [str(w.other.account_id), str(w.caller.account_id)]},
    "key by two name cases": lambda w: {"X-API-Key": [w.caller.api_key], "x-api-key": [w.sibling.api_key],
                                        "X-Secret-Key": [w.sibling.secret],
                                        "X-Account-ID": [str(w.caller.account_id)]},
    "secret by two name cases": lambda w: {"X-API-Key": [w.caller.api_key], "X-SECRET-KEY": [w.caller.secret],
                                           "x-secret-key": [w.sibling.secret],
                                           "X-Account-ID": [str(w.caller.account_id)]},
    "account by two name cases": lambda w: {"X-API-Key": [w.caller.api_key], "X-Secret-Key": [w.caller.secret],
                                            "X-Account-ID": [str(w.other.account_id)],
                                            "x-account-id": [str(w.caller.account_id)]},
    "secret and legacy secret disagree": lambda w: {"X-API-Key": [w.caller.api_key],
                                                    "X-Secret-Key": [w.caller.secret],
                                                    "X-API-Secret": [w.sibling.secret],
                                                    "X-Account-ID": [str(w.caller.account_id)]},
}


def test_repeated_or_case_split_headers_never_authenticate(gateway, world):
    decisions = {name: decide(gateway, attempt(world)) for name, attempt in REPEATED.items()}
    assert {name: decision for name, decision in decisions.items() if decision not in ("401", "400")} == {}


def test_repeating_the_same_value_is_harmless(gateway, world):
    headers = {name: [value, value] for name, value in world.caller.headers.items()}
    assert decide(gateway, headers) == "allow"


# --- revoked, expired, scopes -----------------------------------------------------------------------


def test_archived_deleted_and_expired_credentials_are_refused(gateway, caller, expire):
    archived, archived_id = create(gateway, caller)
    deleted, deleted_id = create(gateway, caller)
    expired, expired_id = create(gateway, caller, expiresInSeconds=300)
    assert gateway.request("POST", f"{CREDENTIALS}/{archived_id}/archive", caller.headers,
                           {"archivedBy": "a"}).status == 204
    assert gateway.request("DELETE", f"{CREDENTIALS}/{deleted_id}", caller.headers, {"deletedBy": "a"}).status == 204
    expire(caller.account_id, expired_id, expired.api_key)

    for revoked in (archived, deleted):
        for method, body in (("GET", None), ("POST", {"createdBy": "x"})):
            response = gateway.request(method, CREDENTIALS, revoked.headers, body)
            assert (response.status, response.body) == (401, UNAUTHORIZED_BODY)
    response = gateway.request("POST", CREDENTIALS, expired.headers, {"createdBy": "x"})
    assert (response.status, response.body) == (401, {"data": "credential expired", "success": False})
    # Deleted stays deleted: un-archiving it through update cannot bring it back.
    revived = gateway.request("PUT", f"{CREDENTIALS}/{deleted_id}", caller.headers,
                              {"modifiedBy": "a", "archived": False})
    assert revived.status in (404, 409)
    assert gateway.request("GET", CREDENTIALS, deleted.headers).status == 401


def test_scopes_cannot_be_escalated(gateway, world):
    refused = gateway.request("POST", CREDENTIALS, world.read_only.headers, {"createdBy": "x"})
    assert (refused.status, refused.body["data"]) == (403, "credential missing required scope: write")
    for scopes in (["admin"], ["read", "admin"]):
        response = gateway.request("POST", CREDENTIALS, world.caller.headers, {"createdBy": "x", "scopes": scopes})
        assert response.status == 403, response.body
    archive = gateway.request("POST", f"{CREDENTIALS}/1/archive", world.read_only.headers, {"archivedBy": "x"})
    assert archive.status == 403


# --- operator Basic auth ----------------------------------------------------------------------------

OPERATOR_ATTEMPTS = {
    "wrong password": lambda a: basic_headers(password="wrong", account=a),
    "password with a suffix": lambda a: basic_headers(password=OPERATOR_PASSWORD + "x", account=a),
    "password prefix": lambda a: basic_headers(password=OPERATOR_PASSWORD[:-1], account=a),
    "empty password": lambda a: basic_headers(password="", account=a),
    "wrong user": lambda a: basic_headers(user="admin", account=a),
    "user in another case": lambda a: basic_headers(user=OPERATOR_USER.upper(), account=a),
    "empty user": lambda a: basic_headers(user="", account=a),
    "missing X-Peer": lambda a: basic_headers(peer=None, account=a),
    "empty X-Peer": lambda a: basic_headers(peer="", account=a),
    "other X-Peer": lambda a: basic_headers(peer="client", account=a),
    "X-Peer list": lambda a: basic_headers(peer="cmd,peer", account=a),
    "no colon": lambda a: {**basic_headers(account=a),
                           "Authorization": "Basic " + base64.b64encode(OPERATOR_USER.encode()).decode()},
    "not base64": lambda a: {**basic_headers(account=a), "Authorization": "Basic !!!"},
    "empty token": lambda a: {**basic_headers(account=a), "Authorization": "Basic "},
    "8 KB token": lambda a: {**basic_headers(account=a), "Authorization": "Basic " + LONG},
    "password as bearer": lambda a: {**basic_headers(account=a), "Authorization": f"Bearer {OPERATOR_PASSWORD}"},
}


def test_bad_operator_basic_auth_never_gets_a_2xx(gateway, caller, operator_configured):
    answers = {}
    for name, attempt in OPERATOR_ATTEMPTS.items():
        for method, body in (("GET", None), ("POST", {"createdBy": "intruder", "scopes": ["admin"]})):
            response = gateway.request(method, CREDENTIALS, attempt(caller.account_id), body)
            answers[f"{method} {name}"] = (response.status, response.body)
    assert {name: answer for name, answer in answers.items() if answer != (401, UNAUTHORIZED_BODY)} == {}


def test_the_operator_attempts_fail_for_the_right_reason(gateway, caller, operator_configured):
    assert gateway.request("GET", CREDENTIALS, basic_headers(account=caller.account_id)).status == 200
    assert gateway.request("GET", CREDENTIALS, basic_headers(peer="PEER", account=caller.account_id)).status == 200


def test_operator_without_account_header_is_a_400(gateway, operator_configured):
    response = gateway.request("POST", CREDENTIALS, basic_headers(), {"createdBy": "x"})
    assert (response.status, response.body["data"]) == (400, "x-account-id header is required")


def test_operator_mode_switched_off_refuses_the_right_password(gateway, caller, operator_configured, monkeypatch):
    from credentials_service.config import settings

    monkeypatch.setenv("OPERATOR_AUTH_ENABLED", "false")
    settings.cache_clear()
    for method, body in (("GET", None), ("POST", {"createdBy": "x"})):
        response = gateway.request(method, CREDENTIALS, basic_headers(account=caller.account_id), body)
        assert (response.status, response.body) == (401, UNAUTHORIZED_BODY)


@pytest.mark.parametrize("configured", ["no-colon", f"{OPERATOR_USER}:", f":{OPERATOR_PASSWORD}", ""])
def test_a_malformed_operator_configuration_lets_nobody_in(gateway, caller, aws, function_env, monkeypatch,
                                                            configured):
    import boto3
    from aws_lambda_powertools.utilities import parameters

    name = "/scheduler0/hardening/malformed-operator"
    from credentials_service.config import settings

    monkeypatch.setenv("OPERATOR_CREDENTIALS_PARAMETER", name)
    settings.cache_clear()
    ssm = boto3.client("ssm", endpoint_url=aws, region_name="us-east-1")
    ssm.put_parameter(Name=name, Value=configured or " ", Type="SecureString", Overwrite=True)
    parameters.clear_caches()
    user, _, password = configured.partition(":")
    for headers in (basic_headers(user=user, password=password, account=caller.account_id),
                    basic_headers(user=configured, password="", account=caller.account_id),
                    basic_headers(user="", password="", account=caller.account_id)):
        response = gateway.request("GET", CREDENTIALS, headers)
        assert (response.status, response.body) == (401, UNAUTHORIZED_BODY)
    parameters.clear_caches()


# --- no database read for malformed secrets; failures indistinguishable ------------------------------

MALFORMED_SECRETS = {
    "empty": lambda c: "",
    "short": lambda c: c.secret[:-1],
    "long": lambda c: c.secret + "A",
    "bad checksum": lambda c: flip(c.secret, 30),
    "no prefix": lambda c: "x" * len(c.secret),
    "non-base62": lambda c: c.secret[:10] + "-" + c.secret[11:],
    "non-ASCII": lambda c: c.secret[:10] + "é" + c.secret[11:],
    "8 KB": lambda c: LONG,
    "the key": lambda c: c.api_key,
}


def test_malformed_secrets_and_keys_are_refused_without_a_database_read(gateway, caller, dynamodb_calls):
    gateway.handler("AuthorizerFunction")  # the cold start (and its imports) outside the count
    dynamodb_calls.reset()
    for name, secret in MALFORMED_SECRETS.items():
        response = gateway.request("GET", CREDENTIALS, with_(caller, X_Secret_Key=secret(caller)))
        assert (response.status, response.body) == (401, UNAUTHORIZED_BODY), name
    for key in ("", caller.api_key[:-1], caller.api_key + "A", "s0sk_" + caller.api_key[5:], LONG):
        response = gateway.request("GET", CREDENTIALS, with_(caller, X_API_Key=key))
        assert (response.status, response.body) == (401, UNAUTHORIZED_BODY), key
    assert dynamodb_calls.requests() == []


def test_an_unknown_key_and_a_wrong_secret_are_indistinguishable(gateway, world, dynamodb_calls, expire):
    gateway.handler("AuthorizerFunction")
    archived, archived_id = create(gateway, world.caller)
    assert gateway.request("POST", f"{CREDENTIALS}/{archived_id}/archive", world.caller.headers,
                           {"archivedBy": "a"}).status == 204
    # Only the right secret, for the right account, may learn that a key has expired.
    expired, expired_id = create(gateway, world.caller)
    expire(world.caller.account_id, expired_id, expired.api_key)
    failures = {
        "unknown key": with_(world.caller, X_API_Key=secrets.generate_api_key()),
        "wrong secret": with_(world.caller, X_Secret_Key=secrets.generate_secret()),
        "re-checksummed secret": with_(world.caller, X_Secret_Key=reforged(world.caller.secret)),
        "sibling's secret": with_(world.caller, X_Secret_Key=world.sibling.secret),
        "other account": with_(world.other, X_Account_ID=str(world.caller.account_id)),
        "archived": archived.headers,
        "expired, wrong secret": with_(expired, X_Secret_Key=secrets.generate_secret()),
        "expired, other account": with_(expired, X_Account_ID=str(world.other.account_id)),
        "malformed secret": with_(world.caller, X_Secret_Key="s0sk_"),
        "no credentials": {"X-Account-ID": str(world.caller.account_id)},
    }
    answers, reads = {}, {}
    for name, headers in failures.items():
        dynamodb_calls.reset()
        response = gateway.request("GET", CREDENTIALS, headers)
        answers[name] = (response.status, response.body)
        reads[name] = dynamodb_calls.requests()
    assert all(answer == (401, UNAUTHORIZED_BODY) for answer in answers.values()), answers
    # Same work for every well-formed attempt: one GetItem, whether the key exists or not.
    well_formed = {name: ops for name, ops in reads.items() if name not in ("malformed secret", "no credentials")}
    assert all(ops == ["GetItem"] for ops in well_formed.values()), well_formed
