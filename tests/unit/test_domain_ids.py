"""Ids (X-Account-ID, path ids, signup events): positive int64 written in plain ASCII digits."""

import pytest

from credentials_service.domain.ids import MAX_ID, parse_id


@pytest.mark.parametrize("text", ["1", "42", "007", str(MAX_ID)])
def test_positive_int64_ids_are_read(text: str) -> None:
    assert parse_id(text) == int(text)


@pytest.mark.parametrize("text", ["", "0", "-1", "+1", " 1", "1.0", "1e3", "٣", str(MAX_ID + 1), "9" * 400])
def test_anything_else_is_no_id(text: str) -> None:
    assert parse_id(text) is None
