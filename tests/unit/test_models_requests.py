"""Request bodies and the list query: each 400 message names the field the client got wrong."""

import pytest

from credentials_service.errors import InvalidRequest, PayloadTooLarge
from credentials_service.http.errors import status_of
from credentials_service.models.archive import ArchiveCredentialRequest
from credentials_service.models.create import CreateCredentialRequest
from credentials_service.models.delete import DeleteCredentialRequest
from credentials_service.models.listing import ORDER_BY_FIELDS, ListCredentialsQuery
from credentials_service.models.update import UpdateCredentialRequest
from credentials_service.models.validation import MAX_BODY_BYTES, parse_body, validate


def refused(model, data) -> str:
    with pytest.raises(InvalidRequest) as refusal:
        validate(model, data)
    assert status_of(refusal.value) == 400
    return refusal.value.message


# --- create --------------------------------------------------------------------------------------------


def test_a_minimal_create_body_leaves_the_options_unset() -> None:
    request = validate(CreateCredentialRequest, {"createdBy": "user123", "somethingNew": 1})
    assert request.created_by == "user123"
    assert (request.scopes, request.expires_in_seconds, request.archived) == (None, None, None)


def test_a_full_create_body_is_read_from_camel_case() -> None:
    body = {"createdBy": "u", "scopes": ["read", "admin"], "expiresInSeconds": 600, "archived": True}
    request = validate(CreateCredentialRequest, body)
    assert (request.scopes, request.expires_in_seconds, request.archived) == (["read", "admin"], 600, True)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "createdBy is required"),
        ({"createdBy": ""}, "createdBy must not be empty"),
        ({"createdBy": "x" * 256}, "createdBy must be at most 255 characters"),
        ({"createdBy": 42}, "createdBy must be a string"),
        ({"createdBy": None}, "createdBy must be a string"),
        ({"createdBy": "u", "expiresInSeconds": "300"}, "expiresInSeconds must be an integer"),
        ({"createdBy": "u", "expiresInSeconds": 300.5}, "expiresInSeconds must be an integer"),
        ({"createdBy": "u", "expiresInSeconds": True}, "expiresInSeconds must be an integer"),
        ({"createdBy": "u", "archived": "true"}, "archived must be a boolean"),
        ({"createdBy": "u", "scopes": "read"}, "scopes must be a list of strings"),
    ],
)
def test_create_refusals_name_the_field(body: dict, message: str) -> None:
    assert refused(CreateCredentialRequest, body) == message


def test_created_by_may_be_255_characters_but_not_blank() -> None:
    assert validate(CreateCredentialRequest, {"createdBy": "x" * 255}).created_by == "x" * 255
    assert refused(CreateCredentialRequest, {"createdBy": "   "}).startswith("createdBy")


@pytest.mark.parametrize(
    ("scopes", "mentions"),
    [(["read", "owner"], "unknown scope 'owner'"), (["read", "write", "read"], "duplicate scope 'read'"),
     (["read", 7], "scopes.1")],
)
def test_unknown_or_duplicate_scopes_are_refused(scopes: list, mentions: str) -> None:
    message = refused(CreateCredentialRequest, {"createdBy": "u", "scopes": scopes})
    assert message.startswith("scopes") and mentions in message


@pytest.mark.parametrize("scopes", [None, []])
def test_absent_scopes_are_accepted(scopes) -> None:
    assert validate(CreateCredentialRequest, {"createdBy": "u", "scopes": scopes}).scopes == scopes


# --- raw bodies ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"createdBy": ', "request body is not valid JSON"),
        ("[1]", "request body must be a JSON object"),
        ("null", "request body must be a JSON object"),
        ("", "createdBy is required"),
        (None, "createdBy is required"),
    ],
)
def test_raw_bodies_that_are_not_an_object_are_refused(raw, message: str) -> None:
    with pytest.raises(InvalidRequest, match=f"^{message}$"):
        parse_body(CreateCredentialRequest, raw)


def test_an_oversized_body_is_refused_before_parsing() -> None:
    with pytest.raises(PayloadTooLarge) as refusal:
        parse_body(CreateCredentialRequest, '{"createdBy": "' + "a" * MAX_BODY_BYTES + '"}')
    assert status_of(refusal.value) == 413


# --- archive, delete, update --------------------------------------------------------------------------------


def test_archive_and_delete_need_who() -> None:
    assert refused(ArchiveCredentialRequest, {}) == "archivedBy is required"
    assert refused(DeleteCredentialRequest, {"archivedBy": "u"}) == "deletedBy is required"
    assert validate(ArchiveCredentialRequest, {"archivedBy": "u"}).archived_by == "u"


def test_update_without_archived_leaves_it_unchanged() -> None:
    assert validate(UpdateCredentialRequest, {"modifiedBy": "u"}).archived is None
    assert validate(UpdateCredentialRequest, {"modifiedBy": "u", "archived": False}).archived is False
    assert refused(UpdateCredentialRequest, {"archived": True}) == "modifiedBy is required"
    assert refused(UpdateCredentialRequest, {"modifiedBy": "u", "archived": "no"}) == "archived must be a boolean"


@pytest.mark.parametrize("field", ["apiKey", "apiSecret", "scopes", "accountId"])
def test_update_refuses_to_change_anything_but_archived(field: str) -> None:
    message = refused(UpdateCredentialRequest, {"modifiedBy": "u", "archived": True, field: "x"})
    assert message.startswith(field)


# --- the list query ------------------------------------------------------------------------------------------


def query(**params: str) -> ListCredentialsQuery:
    return ListCredentialsQuery.from_query(params)


def test_the_list_defaults() -> None:
    assert query() == ListCredentialsQuery(limit=10, offset=0, order_by="date_created", descending=True)


@pytest.mark.parametrize(("given", "limit"), [("0", 10), ("", 10), ("1", 1), ("100", 100), (" 25 ", 25)])
def test_limit_zero_means_the_default(given: str, limit: int) -> None:
    assert query(limit=given).limit == limit


@pytest.mark.parametrize("given", ["101", "-1", "abc", "1.5", "1e2", "\u0661"])
def test_a_bad_limit_is_refused_by_name(given: str) -> None:
    with pytest.raises(InvalidRequest, match="^limit must be an integer between 1 and 100$"):
        query(limit=given)


@pytest.mark.parametrize("given", ["-1", "x", "1000001"])
def test_a_bad_offset_is_refused_by_name(given: str) -> None:
    with pytest.raises(InvalidRequest, match="^offset must be an integer"):
        query(offset=given)


def test_an_offset_is_read() -> None:
    assert query(offset="30").offset == 30


@pytest.mark.parametrize("order_by", ORDER_BY_FIELDS)
def test_every_order_by_is_accepted(order_by: str) -> None:
    assert query(orderBy=order_by).order_by == order_by


def test_an_unknown_order_by_is_refused_by_name() -> None:
    with pytest.raises(InvalidRequest, match="^orderBy must be one of: id, date_created"):
        query(orderBy="name")


@pytest.mark.parametrize(("direction", "descending"), [("asc", False), ("ASC", False), ("Asc", False),
                                                       ("desc", True), ("DESC", True), ("dEsC", True)])
def test_the_direction_is_case_insensitive(direction: str, descending: bool) -> None:
    assert query(orderByDirection=direction).descending is descending


def test_an_unknown_direction_is_refused_by_name() -> None:
    with pytest.raises(InvalidRequest, match="^orderByDirection must be asc or desc$"):
        query(orderByDirection="sideways")
