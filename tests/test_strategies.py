"""Every draw of the strategies is a valid value."""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings

from mmso_core import Instant, Interval, ManualClock, Region, resolve_zone
from mmso_core.moderation import ChatMessage, Moderator, Policy
from mmso_core.schedule import Channel, Person, Programme, Session, check
from mmso_core.testing import strategies as mst


@given(mst.instants())
def test_instants_are_utc_pendulum_values(value: Instant) -> None:
    assert value.utcoffset() == dt.timedelta(0)
    assert value.tzinfo is not None


@given(mst.zones())
def test_zones_resolve(name: str) -> None:
    assert resolve_zone(name) is not None


@given(mst.zones(russian_only=True))
def test_russian_zones_are_russian(name: str) -> None:
    assert name in mst.RUSSIAN_ZONES
    zoneinfo.ZoneInfo(name)


@given(mst.regions())
def test_regions(value: Region) -> None:
    assert value.zone in value.zones


@given(mst.intervals(min_duration=dt.timedelta(minutes=5), max_duration=dt.timedelta(hours=1)))
def test_intervals_respect_bounds(value: Interval) -> None:
    assert dt.timedelta(minutes=5) <= value.duration <= dt.timedelta(hours=1)


def test_interval_bounds_are_checked() -> None:
    with pytest.raises(ValueError, match="min_duration"):
        mst.intervals(min_duration=dt.timedelta(0))
    with pytest.raises(ValueError, match="min_sessions"):
        mst.programmes(min_sessions=3, max_sessions=2)
    with pytest.raises(ValueError, match="max_channels"):
        mst.programmes(max_channels=0)
    with pytest.raises(ValueError, match="does not fit"):
        mst.programmes(min_sessions=30, max_sessions=40, max_channels=1, max_days=1)


@given(mst.people())
def test_people(value: Person) -> None:
    assert value.id
    assert value.name.strip()
    assert list(value.availability) == sorted(value.availability)
    if value.region is not None:
        assert value.home_zone is not None


@given(mst.channels())
def test_channels(value: Channel) -> None:
    assert value.id


@given(mst.sessions())
def test_sessions(value: Session) -> None:
    assert value.ends_at > value.starts_at
    assert len(set(value.speakers)) == len(value.speakers)


@given(mst.programmes(min_sessions=2, max_sessions=10, max_channels=2, max_days=2))
def test_programmes_respect_their_bounds_and_check_clean(value: Programme) -> None:
    assert 2 <= len(value.sessions) <= 10
    assert len(value.channels) <= 2
    assert all(len(phase.days()) <= 2 for phase in value.salon.phases)
    assert check(value).violations == ()


@given(mst.programmes(min_sessions=20, max_sessions=25, max_channels=2, max_days=2))
def test_programmes_honour_min_sessions(value: Programme) -> None:
    # regression: min_sessions was not honoured when the drawn grid was small
    assert 20 <= len(value.sessions) <= 25


@given(mst.chat_logs(max_size=12))
def test_chat_logs_have_unique_ids_in_time_order(log: tuple[ChatMessage, ...]) -> None:
    assert len({m.id for m in log}) == len(log)
    assert [m.sent_at for m in log] == sorted(m.sent_at for m in log)
    assert {m.chat for m in log} <= {"chat-1", "chat-2"}
    for message in log:
        assert ChatMessage.from_dict(message.to_dict()) == message


@given(mst.policies())
def test_policies_are_valid_and_load_back(policy: Policy) -> None:
    assert len({rule.id for rule in policy.rules}) == len(policy.rules)
    assert Policy.from_dict(policy.to_dict()) == policy


@settings(max_examples=30, deadline=None)
@given(mst.policies(), mst.chat_logs(max_size=10))
def test_any_policy_decides_on_any_chat(policy: Policy, log: tuple[ChatMessage, ...]) -> None:
    clock = ManualClock(at="2000-01-01T00:00Z")
    moderator = Moderator(policy, clock=clock)
    for message in log:
        if message.sent_at > clock.now():
            clock.advance(message.sent_at - clock.now())
        moderator.submit(message)
    assert [entry.message for entry in moderator.audit()] == [m.id for m in log]


def test_chat_log_bounds_are_checked() -> None:
    with pytest.raises(ValueError, match="min_size"):
        mst.chat_logs(min_size=3, max_size=1)
