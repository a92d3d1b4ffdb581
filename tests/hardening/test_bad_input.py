"""Bad input on every endpoint: a 4xx in the envelope naming the problem, never a 5xx, nothing written.

In-process through the real authorizer and handlers; each test compares a scan of the whole table
before and after the bad requests.
"""

import json

import pytest

from tests.hardening.helpers import CREDENTIALS, assert_error, raw_request, table_items

MAX_BODY = 16 * 1024
MEGABYTE = 1024 * 1024
ID_ROUTES = {  # method, path template, a valid body
    "archive": ("POST", CREDENTIALS + "/{id}/archive", {"archivedBy": "alice"}),
    "get": ("GET", CREDENTIALS + "/{id}", None),
    "update": ("PUT", CREDENTIALS + "/{id}", {"modifiedBy": "alice"}),
    "delete": ("DELETE", CREDENTIALS + "/{id}", {"deletedBy": "alice"}),
}
BODY_ROUTES = {"create": ("POST", CREDENTIALS, {"createdBy": "alice"}),
               **{name: route for name, route in ID_ROUTES.items() if route[2] is not None}}
ACTOR = {"create": "createdBy", "archive": "archivedBy", "update": "modifiedBy", "delete": "deletedBy"}


@pytest.fixture
def target(gateway, caller) -> int:
    """A second active credential of the caller's account: what the id routes act on."""
    response = gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": "setup"})
    assert response.status == 201
    return response.body["data"]["id"]


@pytest.fixture
def unchanged(dynamodb, table_name):
    """Call at the end of a test: the table holds exactly what it held when the fixture was set up."""
    before = table_items(dynamodb, table_name)
    return lambda: table_items(dynamodb, table_name) == before


def send(gateway, caller, route, credential_id, body):
    method, path, _ = route
    return gateway.request(method, path.format(id=credential_id), caller.headers, body)


INVALID_JSON = {
    "not JSON": "nope",
    "truncated": '{"createdBy": "a"',
    "single quotes": "{'createdBy': 'a'}",
    "trailing comma": '{"createdBy": "a",}',
    "byte order mark": '\ufeff{"createdBy": "a"}',
    "deep nesting": "[" * 5000 + "]" * 5000,
    "deep nesting in a field": '{"createdBy": ' + "[" * 3000 + "]" * 3000 + "}",
    "an integer with 5000 digits": '{"createdBy": "a", "x": ' + "9" * 5000 + "}",
    "comment": '{"createdBy": "a"} // hi',
    "two documents": '{"createdBy": "a"}{"createdBy": "b"}',
}
NOT_AN_OBJECT = ["[]", "null", "123", '"createdBy"', "true", '[{"createdBy": "a"}]']


@pytest.mark.parametrize("name", list(BODY_ROUTES))
def test_invalid_json_is_a_400_naming_it(gateway, caller, target, unchanged, name):
    for label, body in INVALID_JSON.items():
        response = send(gateway, caller, BODY_ROUTES[name], target, body)
        assert_error(response, 400, "request body is not valid JSON", label)
    for body in NOT_AN_OBJECT:
        response = send(gateway, caller, BODY_ROUTES[name], target, body)
        assert_error(response, 400, "request body must be a JSON object")
    for body in ("", "   ", "{}"):  # no body at all: the required field is named
        assert_error(send(gateway, caller, BODY_ROUTES[name], target, body), 400, f"{ACTOR[name]} is required")
    assert unchanged()


def wrong_types(name: str) -> dict[str, tuple[dict, str]]:
    """Bodies with one wrong value, and the start of the message that must name it."""
    actor = ACTOR[name]
    cases = {f"{actor} {value!r}": ({actor: value}, actor)
             for value in (7, 1.5, True, None, [], ["a"], {}, {"name": "a"})}
    cases.update({f"{actor} empty": ({actor: ""}, actor), f"{actor} blank": ({actor: " \t\u3000 "}, actor),
                  f"{actor} too long": ({actor: "a" * 256}, actor),
                  f"{actor} 256 emoji": ({actor: "🔑" * 256}, actor)})
    if name == "create":
        for field, values in {
            "scopes": ("read", 1, {}, [1], [None], ["READ"], ["read", "read"], ["root"], [["read"]]),
            "expiresInSeconds": ("300", 1.5, True, [], {}, 1e300),
            "archived": ("true", 1, 0, "yes", [], {}),
        }.items():
            cases.update({f"{field} {value!r}": ({actor: "alice", field: value}, field) for value in values})
    if name == "update":
        cases.update({f"archived {value!r}": ({actor: "alice", "archived": value}, "archived")
                      for value in ("false", 0, 1, "yes", [], {})})
        cases.update({f"change {field}": ({actor: "alice", field: value}, field) for field, value in (
            ("apiKey", "s0ak_" + "A" * 24), ("apiSecret", "x"), ("plaintextSecret", "x"), ("id", 1),
            ("accountId", 2), ("scopes", ["admin"]), ("expiresAt", None))})
    return cases


@pytest.mark.parametrize("name", list(BODY_ROUTES))
def test_wrong_types_and_values_are_a_400_naming_the_field(gateway, caller, target, unchanged, name):
    for label, (body, field) in wrong_types(name).items():
        response = send(gateway, caller, BODY_ROUTES[name], target, body)
        assert_error(response, 400, case=label)
        assert response.body["data"].startswith(field), (label, response.body)
    assert unchanged()


@pytest.mark.parametrize("name", list(BODY_ROUTES))
def test_huge_bodies_are_a_413(gateway, caller, target, unchanged, name):
    actor = ACTOR[name]
    bodies = {
        "1 MB field": json.dumps({actor: "a" * MEGABYTE}),
        "1 MB of garbage": "\x00" * MEGABYTE,
        "1 MB of unknown fields": json.dumps({actor: "alice", **{f"f{i}": "x" * 100 for i in range(10_000)}}),
        "one byte too many": json.dumps({actor: "alice", "pad": "x" * MAX_BODY})[: MAX_BODY + 1],
        "16 KB in 4-byte characters": json.dumps({actor: "alice", "pad": "🔑" * (MAX_BODY // 4)}, ensure_ascii=False),
    }
    for label, body in bodies.items():
        response = send(gateway, caller, BODY_ROUTES[name], target, body)
        assert_error(response, 413, f"request body must be at most {MAX_BODY} bytes", label)
    assert unchanged()


def test_unknown_fields_are_ignored_and_never_stored(gateway, caller, dynamodb, table_name):
    forged = {
        "createdBy": "alice", "id": 7777, "accountId": caller.account_id + 1, "apiKey": "s0ak_" + "F" * 24,
        "plaintextSecret": "s0sk_" + "F" * 49, "secretHash": "0" * 64, "pk": "ACCOUNT#1", "sk": "ACCOUNT",
        "activeCount": 0, "status": "active", "dateDeleted": "2020-01-01T00:00:00Z", "__proto__": {"admin": True},
    }
    response = gateway.request("POST", CREDENTIALS, caller.headers, forged)
    assert response.status == 201, response.body
    created = response.body["data"]
    assert created["id"] == 2 and created["accountId"] == caller.account_id
    assert created["apiKey"] != forged["apiKey"] and created["plaintextSecret"] != forged["plaintextSecret"]
    assert created["dateDeleted"] is None and created["scopes"] == ["read", "write", "execute"]
    stored = json.dumps(table_items(dynamodb, table_name))
    for value in ("7777", forged["apiKey"], forged["plaintextSecret"], "__proto__", "ACCOUNT#1\""):
        assert value not in stored
    for route, body in (("archive", {"archivedBy": "alice", "deletedBy": "x", "archived": False}),
                        ("delete", {"deletedBy": "alice", "archivedBy": "x", "id": 1})):
        assert send(gateway, caller, ID_ROUTES[route], created["id"], body).status == 204
    assert gateway.request("GET", CREDENTIALS, caller.headers).body["data"]["total"] == 1


BAD_IDS = ["0", "-1", "-0", "+1", "1.0", "1e3", "0x10", "abc", " 1", "1 ", "１", "٣", "%00", "1%2F2",
           str(2**63), str(2**64 + 2), "9" * 400, "NaN", "null", "true"]


def test_bad_ids_are_a_400_on_every_id_route(gateway, caller, target, unchanged):
    for name, route in ID_ROUTES.items():
        for credential_id in BAD_IDS:
            response = send(gateway, caller, route, credential_id, route[2])
            assert_error(response, 400, "credential id must be a positive integer", (name, credential_id))
        # The largest valid id is a plain 404.
        assert_error(send(gateway, caller, route, str(2**63 - 1), route[2]), 404, "credential not found")
    assert unchanged()


BAD_QUERIES = {
    "limit": ["-1", "101", "1e2", "1.5", "ten", "0x10", "٣", "99999999999999999999", str(2**63), "1 0"],
    "offset": ["-1", "1000001", "1.5", "x", "99999999999999999999"],
    "orderBy": ["password", "secretHash", "id;DROP TABLE", "date_created ", "__class__", "\u0000"],
    "orderByDirection": ["up", "ascending", "1", "asc;desc"],
}


def test_bad_list_parameters_are_a_400_naming_the_parameter(gateway, caller, unchanged):
    for parameter, values in BAD_QUERIES.items():
        for value in values:
            response = gateway.request("GET", CREDENTIALS, caller.headers, query={parameter: value})
            if (parameter, value) == ("orderBy", "date_created "):  # surrounding blanks are forgiven
                assert response.status == 200
                continue
            assert_error(response, 400)
            assert response.body["data"].startswith(parameter), (parameter, value, response.body)
    assert unchanged()


UNICODE_REFUSED = {  # display spoofing and control bytes in an audit field
    "NUL inside": "a\u0000b",
    "newline inside": "alice\nadmin",
    "right-to-left override": "\u202eevil\u202c",
    "left-to-right isolate": "\u2066admin\u2069",
}
UNICODE_ACCEPTED = {
    "right-to-left mark": "\u200fadmin",
    "emoji": "🔑 alice 👩‍💻",
    "255 emoji": "🔑" * 255,
    "combining marks": "a\u0301\u0302\u0303",
    "non-BMP": "\U0001d49c\U00010348",
    "escape sequence text": "\\u0000",
}
LONE_SURROGATES = ['"\\ud800"', '"a\\udc00b"', '"\\ud83d"', '"\\udd11\\ud83d"']


def test_unicode_in_created_by_round_trips_or_is_a_400(gateway, caller, dynamodb, table_name):
    for label, value in UNICODE_ACCEPTED.items():
        created = gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": value})
        assert created.status == 201, (label, created.body)
        assert created.body["data"]["createdBy"] == value, label
        fetched = gateway.request("GET", f"{CREDENTIALS}/{created.body['data']['id']}", caller.headers)
        assert fetched.status == 200 and fetched.body["data"]["createdBy"] == value, label
    before = table_items(dynamodb, table_name)
    for label, value in UNICODE_REFUSED.items():
        response = gateway.request("POST", CREDENTIALS, caller.headers, {"createdBy": value})
        assert_error(response, 400)
        assert response.body["data"] == "createdBy: must not contain control characters", (label, response.body)
    for escaped in LONE_SURROGATES:
        response = gateway.request("POST", CREDENTIALS, caller.headers, '{"createdBy": ' + escaped + "}")
        assert_error(response, 400)
        assert response.body["data"].startswith("createdBy"), (escaped, response.body)
    assert table_items(dynamodb, table_name) == before


@pytest.mark.parametrize("name", ["archive", "update", "delete"])
def test_lone_surrogates_in_the_other_actor_fields_are_a_400(gateway, caller, target, unchanged, name):
    for escaped in LONE_SURROGATES:
        response = send(gateway, caller, BODY_ROUTES[name], target, '{"' + ACTOR[name] + '": ' + escaped + "}")
        assert_error(response, 400)
        assert response.body["data"].startswith(ACTOR[name]), response.body
    assert unchanged()


# --- over HTTP: what only a real server sees ---------------------------------------------------------


@pytest.mark.e2e
def test_huge_and_undecodable_bodies_over_http(http_account, local_api):
    headers = list(http_account.headers.items()) + [("Content-Type", "application/json")]
    routes = [("POST", CREDENTIALS), ("POST", f"{CREDENTIALS}/1/archive"), ("PUT", f"{CREDENTIALS}/1"),
              ("DELETE", f"{CREDENTIALS}/1")]
    for method, path in routes:
        response = raw_request(http_account.base_url, method, path, headers, b"{" + b" " * MEGABYTE + b"}")
        assert response.status == 413, (method, path, response.body)
        assert response.json() == {"data": f"request body must be at most {MAX_BODY} bytes", "success": False}
    # Past API Gateway's 10 MB the gateway itself refuses, in the envelope too.
    response = raw_request(http_account.base_url, "POST", CREDENTIALS, headers, b"x" * (10 * MEGABYTE + 1))
    assert response.status == 413 and response.json()["success"] is False
    for body in (b'{"createdBy": "\xff\xfe"}', b'{"createdBy": "\xed\xa0\x80"}', b"\xff" * 100):
        response = raw_request(http_account.base_url, "POST", CREDENTIALS, headers, body)
        assert response.status < 500 and response.json()["success"] is (response.status == 201)
    page = raw_request(http_account.base_url, "GET", CREDENTIALS + "?limit=100", list(http_account.headers.items()))
    assert page.status == 200
