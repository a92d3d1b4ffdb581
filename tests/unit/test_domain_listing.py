"""Every orderBy the API accepts sorts in memory: nulls last ascending, first descending, ties on id."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from credentials_service.domain.credential import Credential
from credentials_service.domain.listing import sort_credentials
from credentials_service.models.listing import ORDER_BY_FIELDS

T0 = datetime(2026, 1, 1, tzinfo=UTC)
LOW_HIGH = {
    "date_created": (T0, T0 + timedelta(days=1)),
    "date_modified": (T0, T0 + timedelta(days=1)),
    "expires_at": (T0, T0 + timedelta(days=1)),
    "created_by": ("alice", "bob"),
    "modified_by": ("alice", "bob"),
    "deleted_by": ("alice", "bob"),
}
NEVER_NULL = {"date_created", "created_by"}


def credential(credential_id: int, **fields) -> Credential:
    base = Credential(account_id=1, id=credential_id, api_key=f"s0ak_{credential_id:024d}", scopes=("read",),
                      created_by="zed", date_created=T0)
    return replace(base, **fields)


def ids(credentials: list[Credential]) -> list[int]:
    return [c.id for c in credentials]


def test_every_api_order_is_sortable() -> None:
    assert set(ORDER_BY_FIELDS) == set(LOW_HIGH) | {"id"}


def test_order_by_id() -> None:
    shuffled = [credential(i) for i in (3, 1, 4, 2)]
    assert ids(sort_credentials(shuffled, "id", descending=False)) == [1, 2, 3, 4]
    assert ids(sort_credentials(shuffled, "id", descending=True)) == [4, 3, 2, 1]


@pytest.mark.parametrize("field", sorted(LOW_HIGH))
def test_order_by_field_with_nulls_and_ties(field: str) -> None:
    # Given id 1 high, ids 2 and 4 tied low, id 3 without a value (for fields that can be null)
    low, high = LOW_HIGH[field]
    values = {1: high, 2: low, 4: low} | ({} if field in NEVER_NULL else {3: None})
    given = [credential(i, **{field: value}) for i, value in sorted(values.items(), reverse=True)]
    # Then ascending puts nulls last and descending first, and ties follow id in the same direction
    with_null = field not in NEVER_NULL
    assert ids(sort_credentials(given, field, descending=False)) == [2, 4, 1] + ([3] if with_null else [])
    assert ids(sort_credentials(given, field, descending=True)) == ([3] if with_null else []) + [1, 4, 2]


def test_sorting_leaves_the_input_alone() -> None:
    given = [credential(2), credential(1)]
    sort_credentials(given, "id", descending=False)
    assert ids(given) == [2, 1]
