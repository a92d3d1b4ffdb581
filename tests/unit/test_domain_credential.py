"""A credential's lifetime and state changes."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from credentials_service.domain import credential as rules
from credentials_service.domain.credential import Credential
from credentials_service.errors import InvalidStateChange

NOW = datetime(2026, 1, 3, 5, 20, tzinfo=UTC)
NINETY_DAYS = 90 * 24 * 3600


@pytest.fixture
def active() -> Credential:
    return Credential(account_id=7, id=3, api_key="s0ak_" + "A" * 24, scopes=("read",), created_by="user",
                      date_created=NOW - timedelta(days=1))


@pytest.mark.parametrize(
    ("requested", "seconds"),
    [(300, 300), (3600, 3600), (299, 300), (0, 300), (-5, 300), (NINETY_DAYS, NINETY_DAYS),
     (NINETY_DAYS + 1, NINETY_DAYS), (10**12, NINETY_DAYS)],
)
def test_requested_lifetimes_are_clamped_to_five_minutes_and_ninety_days(requested: int, seconds: int) -> None:
    assert rules.expiry(requested, 0, NOW) == NOW + timedelta(seconds=seconds)


def test_without_a_request_the_default_lifetime_applies_and_0_means_never() -> None:
    assert rules.expiry(None, 0, NOW) is None
    assert rules.expiry(None, 86400, NOW) == NOW + timedelta(days=1)
    assert rules.expiry(None, 60, NOW) == NOW + timedelta(seconds=300)  # the default is clamped too
    # an explicit request wins over the default
    assert rules.expiry(600, 86400, NOW) == NOW + timedelta(seconds=600)


def test_expiry_is_inclusive_of_its_instant(active: Credential) -> None:
    expiring = replace(active, expires_at=NOW)
    assert expiring.is_expired(NOW)
    assert not expiring.is_expired(NOW - timedelta(milliseconds=1))
    assert not active.is_expired(NOW)  # no expiry: never


def test_archive_records_who_and_when_and_leaves_the_original(active: Credential) -> None:
    archived = rules.archive(active, "alice", NOW)
    assert (archived.archived, archived.archived_by, archived.date_modified) == (True, "alice", NOW)
    assert not archived.is_active and not archived.is_deleted
    assert active.archived is False and active.is_active


def test_unarchive_makes_an_archived_credential_active_again(active: Credential) -> None:
    restored = rules.unarchive(rules.archive(active, "alice", NOW), "bob", NOW)
    assert restored.is_active and restored.archived_by is None
    assert (restored.modified_by, restored.date_modified) == ("bob", NOW)


def test_a_deleted_credential_cannot_be_unarchived(active: Credential) -> None:
    deleted = rules.delete(rules.archive(active, "alice", NOW), "carol", NOW)
    with pytest.raises(InvalidStateChange, match="deleted"):
        rules.unarchive(deleted, "bob", NOW)


def test_an_expired_credential_cannot_be_unarchived(active: Credential) -> None:
    expired = rules.archive(replace(active, expires_at=NOW - timedelta(seconds=1)), "alice", NOW)
    with pytest.raises(InvalidStateChange, match="expired"):
        rules.unarchive(expired, "bob", NOW)
    # one that expires later can be
    later = rules.archive(replace(active, expires_at=NOW + timedelta(hours=1)), "alice", NOW)
    assert rules.unarchive(later, "bob", NOW).is_active


def test_delete_is_a_soft_delete(active: Credential) -> None:
    deleted = rules.delete(active, "carol", NOW)
    assert deleted.is_deleted and not deleted.is_active
    assert (deleted.deleted_by, deleted.date_deleted) == ("carol", NOW)
    assert deleted.api_key == active.api_key and deleted.id == active.id  # kept for audit


def test_touch_records_the_modifier_only(active: Credential) -> None:
    touched = rules.touch(active, "dave", NOW)
    assert (touched.modified_by, touched.date_modified) == ("dave", NOW)
    assert replace(touched, modified_by=None, date_modified=None) == active
