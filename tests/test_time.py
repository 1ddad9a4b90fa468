"""Tests of the time boundary (`mmso_core._time`): DESIGN.md section 2, pitfall by pitfall.

Every pitfall measured with the pinned libraries has an example test here, and the
rules that follow from them have property tests over zoneinfo, pytz, fixed offsets
and pendulum values.
"""

import datetime as dt
import importlib
import importlib.resources
import io
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo._tzpath import find_tzfile

import attrs
import pendulum
import pytest
import pytz
from hypothesis import assume, given
from hypothesis import strategies as st

import mmso_core
from mmso_core import (
    UTC,
    AmbiguousTimeError,
    Clock,
    FixedClock,
    Instant,
    Interval,
    InvalidValueError,
    ManualClock,
    MmsoError,
    NaiveDatetimeError,
    NonexistentTimeError,
    SystemClock,
    TzinfoMisuseError,
    UnknownZoneError,
    at_local,
    countdown,
    humanize,
    in_zone,
    resolve_zone,
    to_instant,
    tz_database_version,
    zone_name,
)
from mmso_core._time import elapsed
from mmso_core.testing import strategies as mst

BERLIN = "Europe/Berlin"
MOSCOW = "Europe/Moscow"


def wall(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A naive wall time: the input the boundary must never guess a zone for."""
    return dt.datetime(year, month, day, hour, minute)  # noqa: DTZ001 - naive on purpose


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def untyped(value: object) -> Any:
    """Pass a value of the wrong type at run time without telling mypy."""
    return value


def assert_is_instant(value: object) -> None:
    assert isinstance(value, pendulum.DateTime)
    assert value.tzinfo is not None
    assert value.utcoffset() == dt.timedelta(0)


# 2026-03-29 02:30 does not exist in Berlin (02:00 -> 03:00); 2026-10-25 02:30 happens twice.
GAP = wall(2026, 3, 29, 2, 30)
FOLD = wall(2026, 10, 25, 2, 30)


# --- the pytz trap ---------------------------------------------------------------------------


def test_pytz_zone_attached_with_tzinfo_is_refused_with_advice() -> None:
    trap = dt.datetime(2020, 4, 29, 17, 20, tzinfo=pytz.timezone(MOSCOW))
    with pytest.raises(TzinfoMisuseError) as info:
        to_instant(trap, field="Session.starts_at")
    err = info.value
    assert isinstance(err, ValueError)
    assert isinstance(err, MmsoError)
    assert err.zone == MOSCOW
    assert err.value is trap
    assert err.field == "Session.starts_at"
    message = str(err)
    assert message.startswith("Session.starts_at: ")
    assert "localize" in message
    assert "at_local" in message
    assert "local mean time" in message


@pytest.mark.parametrize(
    "name", [MOSCOW, BERLIN, "America/New_York", "Asia/Kamchatka", "Australia/Lord_Howe"]
)
def test_pytz_trap_is_refused_in_every_zone(name: str) -> None:
    with pytest.raises(TzinfoMisuseError, match="localize"):
        to_instant(dt.datetime(2020, 4, 29, 12, tzinfo=pytz.timezone(name)))


def test_pytz_trap_is_refused_through_interval_and_clock_fields() -> None:
    trap = dt.datetime(2020, 4, 29, 17, 20, tzinfo=pytz.timezone(MOSCOW))
    with pytest.raises(TzinfoMisuseError, match=r"^Interval\.start: "):
        Interval(start=trap, end="2020-04-29T18:00Z")
    with pytest.raises(TzinfoMisuseError, match=r"^at: "):
        FixedClock(at=trap)


@pytest.mark.parametrize(
    ("tzinfo", "expected"),
    [
        # pytz zones whose tzinfo= value is right: UTC and static zones have one offset.
        (pytz.utc, utc(2020, 4, 29, 12)),
        (pytz.timezone("UTC"), utc(2020, 4, 29, 12)),
        (pytz.timezone("Etc/GMT+5"), utc(2020, 4, 29, 17)),
        (pytz.timezone("Etc/GMT-3"), utc(2020, 4, 29, 9)),
        # pytz fixed offsets have no zone name and are fixed by construction.
        (pytz.FixedOffset(180), utc(2020, 4, 29, 9)),
        (pytz.FixedOffset(-90), utc(2020, 4, 29, 13, 30)),
    ],
)
def test_pytz_tzinfo_without_a_trap_is_accepted(tzinfo: dt.tzinfo, expected: dt.datetime) -> None:
    value = to_instant(dt.datetime(2020, 4, 29, 12, tzinfo=tzinfo))
    assert value == expected
    assert_is_instant(value)


def test_pytz_zone_before_its_first_transition_is_its_local_mean_time() -> None:
    # Before 1880 Moscow really was on local mean time, so tzinfo= is not a trap there.
    moscow = pytz.timezone(MOSCOW)
    old = dt.datetime(1850, 6, 1, 12, tzinfo=moscow)
    assert to_instant(old) == old.astimezone(dt.UTC)
    assert moscow.localize(wall(1850, 6, 1, 12)).tzinfo is moscow


# --- pytz-localized values --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("is_dst", "expected"),
    [(True, utc(2026, 10, 25, 0, 30)), (False, utc(2026, 10, 25, 1, 30))],
)
def test_pytz_localized_value_in_a_fold_keeps_its_instant(
    is_dst: bool, expected: dt.datetime
) -> None:
    # pendulum.instance() rebuilds from wall time + zone name and loses is_dst=False;
    # to_instant goes through the offset.
    value = pytz.timezone(BERLIN).localize(FOLD, is_dst=is_dst)
    assert to_instant(value) == expected
    assert to_instant(value).isoformat() == expected.isoformat()


def test_pytz_localized_value_in_moscow() -> None:
    value = pytz.timezone(MOSCOW).localize(wall(2020, 4, 29, 17, 20))
    assert to_instant(value) == utc(2020, 4, 29, 14, 20)
    assert to_instant(value).isoformat() == "2020-04-29T14:20:00+00:00"


@pytest.mark.parametrize(
    ("is_dst", "expected"),
    [(True, utc(2026, 3, 29, 0, 30)), (False, utc(2026, 3, 29, 1, 30))],
)
def test_pytz_localized_value_in_a_gap_keeps_the_offset_it_carries(
    is_dst: bool, expected: dt.datetime
) -> None:
    value = pytz.timezone(BERLIN).localize(GAP, is_dst=is_dst)
    assert to_instant(value) == expected


# --- wall time -> instant: at_local and its policies ------------------------------------------


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("earlier", utc(2026, 3, 29, 0, 30)),
        ("later", utc(2026, 3, 29, 1, 30)),
        ("compatible", utc(2026, 3, 29, 1, 30)),
    ],
)
def test_at_local_in_a_gap(policy: mmso_core.Disambiguate, expected: dt.datetime) -> None:
    value = at_local(GAP, BERLIN, disambiguate=policy)
    assert value == expected
    assert_is_instant(value)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("earlier", utc(2026, 10, 25, 0, 30)),
        ("later", utc(2026, 10, 25, 1, 30)),
        ("compatible", utc(2026, 10, 25, 0, 30)),
    ],
)
def test_at_local_in_a_fold(policy: mmso_core.Disambiguate, expected: dt.datetime) -> None:
    value = at_local(FOLD, BERLIN, disambiguate=policy)
    assert value == expected
    assert_is_instant(value)


def test_at_local_refuses_a_gap_by_default() -> None:
    with pytest.raises(NonexistentTimeError) as info:
        at_local(GAP, BERLIN, field="Session.starts_at")
    err = info.value
    assert isinstance(err, ValueError)
    assert err.wall == GAP
    assert err.zone == BERLIN
    assert err.field == "Session.starts_at"
    assert str(err).startswith("Session.starts_at: '2026-03-29T02:30:00' does not exist")
    with pytest.raises(NonexistentTimeError):
        at_local(GAP, BERLIN, disambiguate="raise")


def test_at_local_refuses_a_fold_by_default() -> None:
    with pytest.raises(AmbiguousTimeError) as info:
        at_local(FOLD, BERLIN, field="Session.starts_at")
    err = info.value
    assert isinstance(err, ValueError)
    assert err.wall == FOLD
    assert err.zone == BERLIN
    assert "happens twice in Europe/Berlin" in str(err)
    assert "disambiguate" in str(err)
    with pytest.raises(AmbiguousTimeError):
        at_local(FOLD, BERLIN, disambiguate="raise")


@pytest.mark.parametrize("policy", ["raise", "earlier", "later", "compatible"])
def test_at_local_policies_agree_on_ordinary_times(policy: mmso_core.Disambiguate) -> None:
    value = at_local(wall(2026, 7, 1, 12), BERLIN, disambiguate=policy)
    assert value == utc(2026, 7, 1, 10)


@pytest.mark.parametrize("policy", ["", "Earlier", "latest", "strict"])
def test_at_local_refuses_an_unknown_policy(policy: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        at_local(wall(2026, 7, 1, 12), BERLIN, disambiguate=untyped(policy))
    assert info.value.field == "disambiguate"
    assert info.value.value == policy
    assert "'compatible'" in str(info.value)


def test_at_local_reads_iso_strings() -> None:
    assert at_local("2020-04-29 18:20", "Europe/Samara") == utc(2020, 4, 29, 14, 20)
    assert at_local("  2020-04-29T18:20:00  ", "Europe/Samara") == utc(2020, 4, 29, 14, 20)
    assert at_local("2026-10-25T02:30", BERLIN, disambiguate="later") == utc(2026, 10, 25, 1, 30)


@pytest.mark.parametrize("text", ["", "tomorrow", "2020-13-01 10:00", "29.04.2020 17:20"])
def test_at_local_refuses_garbage_strings(text: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        at_local(text, BERLIN, field="wall_time")
    assert info.value.field == "wall_time"
    assert info.value.value == text


def test_at_local_refuses_aware_input() -> None:
    with pytest.raises(InvalidValueError, match="already has a time zone") as info:
        at_local(utc(2020, 4, 29, 12), BERLIN)
    assert info.value.field == "wall"
    with pytest.raises(InvalidValueError, match="already has a time zone"):
        at_local("2020-04-29T17:20+03:00", MOSCOW)


@pytest.mark.parametrize("value", [dt.date(2020, 4, 29), 1588170000, None])
def test_at_local_refuses_non_datetimes(value: object) -> None:
    with pytest.raises(InvalidValueError, match="expected a naive datetime") as info:
        at_local(untyped(value), BERLIN)
    assert info.value.field == "wall"


def test_at_local_with_a_fold_aware_zone_that_has_no_name() -> None:
    # A ZoneInfo read from a file has no key: errors name it by its str().
    data = importlib.resources.files("tzdata.zoneinfo.Europe").joinpath("Berlin").read_bytes()
    zone = zoneinfo.ZoneInfo.from_file(io.BytesIO(data))
    assert at_local(FOLD, zone, disambiguate="later") == utc(2026, 10, 25, 1, 30)
    with pytest.raises(NonexistentTimeError) as info:
        at_local(GAP, zone)
    assert info.value.zone == str(zone)
    with pytest.raises(NonexistentTimeError) as aware_info:
        to_instant(GAP.replace(tzinfo=zone))
    assert aware_info.value.zone == str(zone)


# --- stdlib zoneinfo values in a gap or a fold ------------------------------------------------


@pytest.mark.parametrize("fold", [0, 1])
def test_zoneinfo_value_in_a_gap_is_never_moved(fold: int) -> None:
    value = dt.datetime(2026, 3, 29, 2, 30, tzinfo=zoneinfo.ZoneInfo(BERLIN), fold=fold)
    with pytest.raises(NonexistentTimeError) as info:
        to_instant(value, field="Session.starts_at")
    assert info.value.wall == GAP
    assert info.value.wall.fold == 0
    assert info.value.zone == BERLIN
    assert info.value.field == "Session.starts_at"


@pytest.mark.parametrize(
    ("fold", "expected"), [(0, utc(2026, 10, 25, 0, 30)), (1, utc(2026, 10, 25, 1, 30))]
)
def test_zoneinfo_value_in_a_fold_keeps_its_folds_instant(fold: int, expected: dt.datetime) -> None:
    value = dt.datetime(2026, 10, 25, 2, 30, tzinfo=zoneinfo.ZoneInfo(BERLIN), fold=fold)
    assert to_instant(value) == expected


@pytest.mark.parametrize("fold", [0, 1])
def test_zoneinfo_value_around_a_transition_is_exact(fold: int) -> None:
    # Ordinary times (the same offset under both folds) never look like a gap.
    berlin = zoneinfo.ZoneInfo(BERLIN)
    before = dt.datetime(2026, 3, 29, 1, 59, tzinfo=berlin, fold=fold)
    after = dt.datetime(2026, 3, 29, 3, 0, tzinfo=berlin, fold=fold)
    assert to_instant(before) == utc(2026, 3, 29, 0, 59)
    assert to_instant(after) == utc(2026, 3, 29, 1, 0)


# --- offsets of the salon's zones -----------------------------------------------------------


OFFSETS_2020_04_29 = [
    ("Europe/Kaliningrad", 2),
    ("Europe/Moscow", 3),
    ("Europe/Samara", 4),
    ("Europe/Volgograd", 4),
    ("Europe/Saratov", 4),
    ("Asia/Yekaterinburg", 5),
    ("Asia/Novosibirsk", 7),
    ("Asia/Vladivostok", 10),
    ("Asia/Kamchatka", 12),
]


@pytest.mark.parametrize(("name", "hours"), OFFSETS_2020_04_29)
def test_offsets_on_the_salon_day(name: str, hours: int) -> None:
    noon = at_local(wall(2020, 4, 29, 12), name)
    assert noon == utc(2020, 4, 29, 12 - hours)
    local = in_zone(noon, name)
    assert local.utcoffset() == dt.timedelta(hours=hours)
    assert (local.hour, local.minute) == (12, 0)
    assert zone_name(local.tzinfo) == name  # type: ignore[arg-type] # in_zone gives aware values


@pytest.mark.parametrize(("name", "hours"), OFFSETS_2020_04_29)
def test_in_zone_of_one_instant_everywhere(name: str, hours: int) -> None:
    local = in_zone("2020-04-29T09:00:00Z", name)
    assert local.utcoffset() == dt.timedelta(hours=hours)
    assert local.hour == 9 + hours
    assert to_instant(local) == utc(2020, 4, 29, 9)


# --- pendulum pitfalls ------------------------------------------------------------------------


def test_pendulum_datetime_built_in_a_zone_keeps_its_instant() -> None:
    # pendulum picks the later of two readings by default (fold=1) ...
    later = pendulum.datetime(2026, 10, 25, 2, 30, tz=BERLIN)
    assert to_instant(later) == utc(2026, 10, 25, 1, 30)
    # ... and the earlier with fold=0; to_instant keeps whichever the value has.
    earlier = pendulum.datetime(2026, 10, 25, 2, 30, tz=BERLIN, fold=0)
    assert to_instant(earlier) == utc(2026, 10, 25, 0, 30)
    # pendulum moves a nonexistent 02:30 to 03:30 itself; the instant of that value stays.
    moved = pendulum.datetime(2026, 3, 29, 2, 30, tz=BERLIN)
    assert to_instant(moved) == utc(2026, 3, 29, 1, 30)
    samara = pendulum.datetime(2020, 4, 29, 18, 20, tz="Europe/Samara")
    assert to_instant(samara) == utc(2020, 4, 29, 14, 20)


def test_pendulum_value_built_in_a_gap_without_normalising_is_refused() -> None:
    value = pendulum.DateTime(2026, 3, 29, 2, 30, tzinfo=pendulum.timezone(BERLIN))
    with pytest.raises(NonexistentTimeError):
        to_instant(value)


def test_pendulum_fixed_offset_value_is_exact() -> None:
    value = pendulum.datetime(2020, 4, 29, 17, 20, tz=pendulum.FixedTimezone(3 * 3600))
    assert to_instant(value) == utc(2020, 4, 29, 14, 20)


def test_instant_in_utc_is_returned_equal() -> None:
    instant = to_instant("2020-04-29T14:20:00Z")
    again = to_instant(instant)
    assert again == instant
    assert again.isoformat() == "2020-04-29T14:20:00+00:00"
    assert_is_instant(again)


@pytest.mark.parametrize("value", [wall(2020, 4, 29, 17, 20), pendulum.naive(2020, 4, 29, 17, 20)])
def test_naive_datetime_is_refused(value: dt.datetime) -> None:
    with pytest.raises(NaiveDatetimeError) as info:
        to_instant(value)
    assert isinstance(info.value, ValueError)
    assert info.value.field is None
    assert "'2020-04-29T17:20:00' has no time zone" in str(info.value)
    assert "at_local" in str(info.value)


def test_naive_datetime_error_names_the_field() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"^Session\.starts_at: naive time") as info:
        to_instant(wall(2020, 4, 29, 17, 20), field="Session.starts_at")
    assert info.value.field == "Session.starts_at"
    assert info.value.value == wall(2020, 4, 29, 17, 20)


def test_naive_datetime_with_a_zone_is_read_there() -> None:
    assert to_instant(wall(2020, 4, 29, 17, 20), MOSCOW) == utc(2020, 4, 29, 14, 20)
    assert to_instant(wall(2020, 4, 29, 17, 20), tz=pytz.timezone(MOSCOW)) == utc(
        2020, 4, 29, 14, 20
    )
    # Naive input with a zone goes through at_local with disambiguate="raise":
    # pendulum would silently move the gap and pick the later fold reading.
    with pytest.raises(NonexistentTimeError):
        to_instant(GAP, BERLIN)
    with pytest.raises(AmbiguousTimeError):
        to_instant(FOLD, BERLIN)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (GAP, NonexistentTimeError),
        (FOLD, AmbiguousTimeError),
        ("2026-03-29T02:30", NonexistentTimeError),
        ("2026-10-25 02:30", AmbiguousTimeError),
        ("2026-03-29T02:30[Europe/Berlin]", NonexistentTimeError),
    ],
)
def test_naive_input_with_a_zone_names_the_field_in_errors(
    value: dt.datetime | str, error: type[NonexistentTimeError | AmbiguousTimeError]
) -> None:
    with pytest.raises((NonexistentTimeError, AmbiguousTimeError)) as info:
        to_instant(value, BERLIN, field="Session.starts_at")
    assert type(info.value) is error
    assert info.value.field == "Session.starts_at"
    assert info.value.zone == BERLIN
    assert str(info.value).startswith("Session.starts_at: ")


@pytest.mark.parametrize(
    "text",
    [
        "2020-04-29T17:20:00+03:00",
        "2020-04-29T17:20+03:00",
        "2020-04-29 17:20:00+03:00",
        "2020-04-29T14:20:00Z",
        "2020-04-29T14:20:00+00:00",
        "2020-04-29T18:20:00+04:00",
        "  2020-04-29T17:20:00+03:00 ",
        "2020-04-29T17:20:00+03:00[Europe/Moscow]",
        "2020-04-29T17:20:00+03:00[!Europe/Moscow]",
        "2020-04-29T17:20:00+03:00[Europe/Moscow][u-ca=iso8601]",
        "2020-04-29T18:20:00+04:00[Europe/Samara]",
        "2020-04-29T17:20:00[Europe/Moscow]",
        "2020-04-29T14:20:00+00:00[UTC]",
    ],
)
def test_to_instant_of_strings(text: str) -> None:
    value = to_instant(text)
    assert value == utc(2020, 4, 29, 14, 20)
    assert_is_instant(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-25T02:30:00+02:00[Europe/Berlin]", utc(2026, 10, 25, 0, 30)),
        ("2026-10-25T02:30:00+01:00[Europe/Berlin]", utc(2026, 10, 25, 1, 30)),
    ],
)
def test_suffixed_strings_in_a_fold_keep_their_offset(text: str, expected: dt.datetime) -> None:
    assert to_instant(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2020-04-29T17:20:00+04:00[Europe/Moscow]",
        "2020-04-29T17:20:00+03:00[Europe/Samara]",
        "2026-07-01T12:00:00+01:00[Europe/Berlin]",
    ],
)
def test_inconsistent_offset_and_zone_are_refused(text: str) -> None:
    with pytest.raises(InvalidValueError, match="does not match zone") as info:
        to_instant(text, field="starts_at")
    assert info.value.field == "starts_at"
    assert info.value.value == text
    with pytest.raises(InvalidValueError) as unnamed:
        to_instant(text)
    assert unnamed.value.field == "value"


def test_suffix_with_an_unknown_zone_is_refused() -> None:
    with pytest.raises(UnknownZoneError) as info:
        to_instant("2020-04-29T17:20:00+03:00[Europe/Nowhere]", field="starts_at")
    assert info.value.zone == "Europe/Nowhere"
    assert info.value.field == "starts_at"
    with pytest.raises(UnknownZoneError):
        to_instant("2020-04-29T17:20:00[Europe/Nowhere]")


def test_naive_string_needs_a_zone() -> None:
    assert to_instant("2020-04-29T17:20", MOSCOW) == utc(2020, 4, 29, 14, 20)
    assert to_instant("2020-04-29 18:20:00", "Europe/Samara") == utc(2020, 4, 29, 14, 20)
    with pytest.raises(NaiveDatetimeError, match=r"^starts_at: ") as info:
        to_instant("2020-04-29T17:20", field="starts_at")
    assert info.value.value == wall(2020, 4, 29, 17, 20)
    with pytest.raises(NaiveDatetimeError):
        to_instant("2020-04-29")
    # A zone suffix wins over tz, as the string says where it was read.
    assert to_instant("2020-04-29T17:20[Europe/Moscow]", "Asia/Kamchatka") == utc(
        2020, 4, 29, 14, 20
    )
    with pytest.raises(NonexistentTimeError):
        to_instant("2026-03-29T02:30[Europe/Berlin]")
    with pytest.raises(AmbiguousTimeError):
        to_instant("2026-10-25T02:30", BERLIN)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "not a time",
        "2020-04-31T10:00:00+03:00",
        "2020-04-29T25:00:00+03:00",
        "29.04.2020 17:20 +0300",
        "2020-04-29T17:20:00+03:00[Europe/Moscow]junk",
        "2020-04-29T17:20:00+03:00 Europe/Moscow",
    ],
)
def test_garbage_strings_are_refused(text: str) -> None:
    with pytest.raises(InvalidValueError, match="not an ISO 8601 date-time") as info:
        to_instant(text)
    assert info.value.value == text
    assert info.value.field == "value"


@pytest.mark.parametrize(
    "value", [1588170000, 1588170000.0, dt.date(2020, 4, 29), dt.time(17, 20), None, b"2020"]
)
def test_non_datetime_types_are_refused(value: object) -> None:
    with pytest.raises(InvalidValueError, match="expected an aware datetime") as info:
        to_instant(untyped(value), field="starts_at")
    assert info.value.field == "starts_at"
    assert info.value.value == value
    assert type(value).__name__ in str(info.value)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2020, 4, 29, 17, 20, tzinfo=zoneinfo.ZoneInfo(MOSCOW)),
        dt.datetime(2020, 4, 29, 17, 20, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        pytz.timezone(MOSCOW).localize(wall(2020, 4, 29, 17, 20)),
        pendulum.datetime(2020, 4, 29, 17, 20, tz=MOSCOW),
        "2020-04-29T17:20:00+03:00",
        "2020-04-29T17:20:00+03:00[Europe/Moscow]",
    ],
)
@pytest.mark.parametrize("tz", ["Asia/Kamchatka", "Europe/Kaliningrad", dt.UTC])
def test_tz_is_ignored_for_aware_input(value: dt.datetime | str, tz: mmso_core.ZoneLike) -> None:
    assert to_instant(value, tz) == utc(2020, 4, 29, 14, 20)
    assert to_instant(value, tz) == to_instant(value)


# --- comparing, sorting and hashing on UTC ----------------------------------------------------


def test_repeated_hour_readings_are_distinct_ordered_instants() -> None:
    berlin = zoneinfo.ZoneInfo(BERLIN)
    first = dt.datetime(2026, 10, 25, 2, 30, tzinfo=berlin, fold=0)
    second = dt.datetime(2026, 10, 25, 2, 30, tzinfo=berlin, fold=1)
    # The stdlib pitfalls: same-zone comparison ignores fold, and a value in the fold
    # never equals its UTC twin (PEP 495).
    assert first == second
    assert second != second.astimezone(dt.UTC)
    a, b = to_instant(first), to_instant(second)
    assert a != b
    assert a < b
    assert b - a == dt.timedelta(hours=1)
    assert sorted([b, a]) == [a, b]
    assert len({a, b}) == 2
    assert b == to_instant(second.astimezone(dt.UTC))
    assert hash(b) == hash(to_instant(second.astimezone(dt.UTC)))
    assert {a, b} == {to_instant("2026-10-25T00:30Z"), to_instant("2026-10-25T01:30Z")}


def test_same_instant_from_every_library_is_one_set_member() -> None:
    values: list[dt.datetime | str] = [
        "2020-04-29T14:20:00Z",
        "2020-04-29T17:20:00+03:00[Europe/Moscow]",
        dt.datetime(2020, 4, 29, 18, 20, tzinfo=zoneinfo.ZoneInfo("Europe/Samara")),
        pytz.timezone("Asia/Kamchatka").localize(wall(2020, 4, 30, 2, 20)),
        pendulum.datetime(2020, 4, 29, 16, 20, tz="Europe/Kaliningrad"),
        dt.datetime(2020, 4, 29, 14, 20, tzinfo=dt.UTC),
    ]
    instants = {to_instant(value) for value in values}
    assert len(instants) == 1
    (only,) = instants
    assert only.isoformat() == "2020-04-29T14:20:00+00:00"


# --- zones ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Europe/Samarra", "Moscow", "europe/moscow", "", "+03:00", "MSK"])
def test_unknown_zone_names_are_refused_everywhere(name: str) -> None:
    with pytest.raises(UnknownZoneError) as info:
        resolve_zone(name, field="Salon.zone")
    assert isinstance(info.value, LookupError)
    assert info.value.zone == name
    assert info.value.field == "Salon.zone"
    assert str(info.value).startswith("Salon.zone: unknown time zone")
    with pytest.raises(UnknownZoneError, match="unknown time zone"):
        at_local(wall(2020, 4, 29, 12), name, field="starts_at")
    with pytest.raises(UnknownZoneError, match="unknown time zone"):
        in_zone("2020-04-29T12:00Z", name)
    with pytest.raises(UnknownZoneError, match="unknown time zone"):
        zone_name(name)
    with pytest.raises(UnknownZoneError, match="unknown time zone"):
        to_instant(wall(2020, 4, 29, 12), name)


def test_unknown_zone_error_from_at_local_names_the_field() -> None:
    with pytest.raises(UnknownZoneError) as info:
        at_local(wall(2020, 4, 29, 12), "Europe/Samarra", field="starts_at")
    assert info.value.field == "starts_at"


@pytest.mark.parametrize("value", [42, 3.0, None, object(), ["Europe/Moscow"], b"Europe/Moscow"])
def test_non_zone_objects_are_refused(value: object) -> None:
    with pytest.raises(UnknownZoneError) as info:
        resolve_zone(untyped(value), field="zone")
    assert info.value.zone is value
    with pytest.raises(UnknownZoneError):
        at_local(wall(2020, 4, 29, 12), untyped(value))
    with pytest.raises(UnknownZoneError):
        in_zone("2020-04-29T12:00Z", untyped(value))


def test_resolve_zone_of_names_and_tzinfos() -> None:
    samara = resolve_zone("Europe/Samara")
    assert isinstance(samara, pendulum.Timezone)
    assert samara.key == "Europe/Samara"
    assert resolve_zone("Europe/Samara") is samara
    stdlib = zoneinfo.ZoneInfo("Europe/Samara")
    assert resolve_zone(stdlib) is stdlib
    fixed = dt.timezone(dt.timedelta(hours=3))
    assert resolve_zone(fixed) is fixed
    # pytz zones are swapped for the zoneinfo zone of the same name (pytz ignores fold).
    swapped = resolve_zone(pytz.timezone(BERLIN))
    assert isinstance(swapped, zoneinfo.ZoneInfo)
    assert swapped.key == BERLIN
    assert at_local(FOLD, pytz.timezone(BERLIN), disambiguate="later") == utc(2026, 10, 25, 1, 30)


@pytest.mark.parametrize(
    ("zone", "offset"),
    [
        (dt.timezone(dt.timedelta(hours=3)), dt.timedelta(hours=3)),
        (dt.timezone(dt.timedelta(hours=-3, minutes=-30)), dt.timedelta(hours=-3, minutes=-30)),
        (pytz.FixedOffset(180), dt.timedelta(hours=3)),
        (pytz.FixedOffset(-210), dt.timedelta(hours=-3, minutes=-30)),
        (pendulum.FixedTimezone(3 * 3600), dt.timedelta(hours=3)),
        (dt.UTC, dt.timedelta(0)),
        (pytz.utc, dt.timedelta(0)),
    ],
)
def test_fixed_offsets_are_accepted(zone: dt.tzinfo, offset: dt.timedelta) -> None:
    resolved = resolve_zone(zone)
    assert resolved.utcoffset(None) == offset
    noon = at_local(wall(2020, 4, 29, 12), zone)
    assert noon == utc(2020, 4, 29, 12) - offset
    local = in_zone(noon, zone)
    assert local.utcoffset() == offset
    assert (local.hour, local.minute) == (12, 0)
    assert_is_instant(to_instant(local))


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Kamchatka", "Asia/Kamchatka"),
        (zoneinfo.ZoneInfo("Europe/Samara"), "Europe/Samara"),
        (pendulum.timezone("Europe/Samara"), "Europe/Samara"),
        (pytz.timezone(MOSCOW), MOSCOW),
        (pytz.utc, "UTC"),
        (dt.timezone(dt.timedelta(hours=3)), "UTC+03:00"),
        (pytz.FixedOffset(180), "UTC+03:00"),
        (pendulum.FixedTimezone(3 * 3600), "+03:00"),
    ],
)
def test_zone_name(zone: mmso_core.ZoneLike, expected: str) -> None:
    assert zone_name(zone) == expected


@attrs.frozen
class Venue:
    """Anything with a ``zone`` names its zone (the HasZone protocol)."""

    zone: str


@pytest.mark.parametrize(
    ("zone", "name"),
    [
        (mmso_core.region("RU-SAM"), "Europe/Samara"),
        (mmso_core.region("Камчатский край"), "Asia/Kamchatka"),
        (mmso_core.region(39), "Europe/Kaliningrad"),
        (Venue("Europe/Volgograd"), "Europe/Volgograd"),
    ],
)
def test_a_region_is_accepted_wherever_a_zone_is(zone: mmso_core.ZoneLike, name: str) -> None:
    assert zone_name(zone) == name
    assert resolve_zone(zone) is resolve_zone(name)
    noon = at_local(wall(2020, 4, 29, 12), zone)
    assert noon == at_local(wall(2020, 4, 29, 12), name)
    assert in_zone(noon, zone) == in_zone(noon, name)
    assert in_zone(noon, zone).hour == 12
    assert to_instant(wall(2020, 4, 29, 12), zone) == noon
    assert Interval(start=noon, end=noon + dt.timedelta(hours=1)).in_zone(zone)[0].hour == 12


def test_has_zone_with_an_unknown_zone_is_refused() -> None:
    with pytest.raises(UnknownZoneError) as info:
        resolve_zone(Venue("Mars/Olympus_Mons"), field="venue")
    assert info.value.zone == "Mars/Olympus_Mons"
    assert info.value.field == "venue"


def test_in_zone_with_a_plain_zoneinfo_gives_its_local_time() -> None:
    local = in_zone("2020-04-29T14:20:00Z", zoneinfo.ZoneInfo("Europe/Samara"))
    assert isinstance(local, pendulum.DateTime)
    assert local.isoformat() == "2020-04-29T18:20:00+04:00"
    assert to_instant(local) == utc(2020, 4, 29, 14, 20)


def test_in_zone_shows_both_fold_readings() -> None:
    first = in_zone("2026-10-25T00:30:00Z", BERLIN)
    second = in_zone("2026-10-25T01:30:00Z", BERLIN)
    assert first.isoformat() == "2026-10-25T02:30:00+02:00"
    assert second.isoformat() == "2026-10-25T02:30:00+01:00"
    assert to_instant(first) < to_instant(second)


def test_in_zone_refuses_naive_input() -> None:
    with pytest.raises(NaiveDatetimeError):
        in_zone(wall(2020, 4, 29, 12), MOSCOW)


def test_public_names_are_reexported() -> None:
    assert mmso_core.UTC is UTC
    assert UTC is pendulum.UTC
    assert Instant is pendulum.DateTime
    for name in mmso_core._time.__all__:
        assert getattr(mmso_core, name) is getattr(mmso_core._time, name)


# --- Interval ---------------------------------------------------------------------------------


def iv(start: str, end: str) -> Interval:
    return Interval(start=f"2020-04-29T{start}+03:00", end=f"2020-04-29T{end}+03:00")


def test_interval_converts_both_ends() -> None:
    interval = Interval(
        start=dt.datetime(2020, 4, 29, 18, 20, tzinfo=zoneinfo.ZoneInfo("Europe/Samara")),
        end="2020-04-29T18:50+03:00",
    )
    assert interval.start == utc(2020, 4, 29, 14, 20)
    assert interval.end == utc(2020, 4, 29, 15, 50)
    assert_is_instant(interval.start)
    assert_is_instant(interval.end)
    assert interval.duration == dt.timedelta(minutes=90)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("17:20", "18:50"), ("18:50", "19:30"), False),  # touching: half-open
        (("18:50", "19:30"), ("17:20", "18:50"), False),
        (("17:20", "18:50"), ("18:49", "19:30"), True),
        (("17:20", "18:50"), ("17:00", "17:21"), True),
        (("17:20", "18:50"), ("17:30", "18:00"), True),  # inside
        (("17:30", "18:00"), ("17:20", "18:50"), True),
        (("17:20", "18:50"), ("17:20", "18:50"), True),  # equal
        (("17:20", "18:50"), ("19:00", "20:00"), False),  # apart
        (("19:00", "20:00"), ("17:20", "18:50"), False),
    ],
)
def test_interval_overlaps_is_half_open(
    a: tuple[str, str], b: tuple[str, str], expected: bool
) -> None:
    first, second = iv(*a), iv(*b)
    assert first.overlaps(second) is expected
    assert second.overlaps(first) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2020-04-29T17:20:00+03:00", True),  # start is in
        ("2020-04-29T14:20:00Z", True),
        ("2020-04-29T18:00:00+03:00", True),
        ("2020-04-29T18:49:59.999999+03:00", True),
        ("2020-04-29T18:50:00+03:00", False),  # end is out
        ("2020-04-29T17:19:59+03:00", False),
        ("2020-04-29T20:00:00+03:00", False),
    ],
)
def test_interval_contains(moment: str, expected: bool) -> None:
    assert iv("17:20", "18:50").contains(moment) is expected


def test_interval_contains_accepts_datetimes_and_refuses_naive_ones() -> None:
    interval = iv("17:20", "18:50")
    assert interval.contains(dt.datetime(2020, 4, 29, 14, 30, tzinfo=dt.UTC))
    with pytest.raises(NaiveDatetimeError):
        interval.contains(wall(2020, 4, 29, 17, 30))


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        (("17:20", "18:50"), True),
        (("17:30", "18:00"), True),
        (("17:20", "17:21"), True),
        (("18:49", "18:50"), True),
        (("17:19", "18:00"), False),
        (("18:00", "18:51"), False),
        (("17:00", "19:00"), False),
        (("19:00", "20:00"), False),
    ],
)
def test_interval_covers(inner: tuple[str, str], expected: bool) -> None:
    assert iv("17:20", "18:50").covers(iv(*inner)) is expected


def test_interval_covers_is_not_symmetric() -> None:
    outer, inner = iv("17:00", "19:00"), iv("17:30", "18:00")
    assert outer.covers(inner)
    assert not inner.covers(outer)


def test_interval_duration_is_a_plain_timedelta() -> None:
    duration = iv("17:20", "18:50").duration
    assert type(duration) is dt.timedelta
    assert duration // dt.timedelta(minutes=15) == 6
    assert duration / dt.timedelta(minutes=30) == 3.0


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2020-04-29T17:20+03:00", "2020-04-29T18:50+03:00", dt.timedelta(minutes=90)),
        ("2020-04-29T18:50+03:00", "2020-04-29T17:20+03:00", dt.timedelta(minutes=-90)),
        ("2020-04-29T14:20Z", "2020-04-29T18:20+04:00", dt.timedelta(0)),
    ],
)
def test_elapsed_is_a_plain_difference(start: str, end: str, expected: dt.timedelta) -> None:
    value = elapsed(to_instant(start), to_instant(end))
    assert type(value) is dt.timedelta
    assert value == expected
    stdlib = elapsed(
        dt.datetime(2026, 10, 25, 2, 30, tzinfo=zoneinfo.ZoneInfo(BERLIN), fold=0),
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),
    )
    assert stdlib == dt.timedelta(hours=1)


def test_interval_duration_across_a_dst_change_is_real_time() -> None:
    night = Interval(
        start=at_local(wall(2026, 3, 29, 1, 0), BERLIN),
        end=at_local(wall(2026, 3, 29, 4, 0), BERLIN),
    )
    assert night.duration == dt.timedelta(hours=2)
    autumn = Interval(
        start=at_local(wall(2026, 10, 25, 1, 0), BERLIN),
        end=at_local(wall(2026, 10, 25, 4, 0), BERLIN),
    )
    assert autumn.duration == dt.timedelta(hours=4)


def test_interval_in_zone() -> None:
    start, end = iv("17:20", "18:50").in_zone("Europe/Samara")
    assert start.isoformat() == "2020-04-29T18:20:00+04:00"
    assert end.isoformat() == "2020-04-29T19:50:00+04:00"
    kam_start, _ = iv("17:20", "18:50").in_zone(mmso_core.region("RU-KAM"))
    assert kam_start.isoformat() == "2020-04-30T02:20:00+12:00"


def test_interval_order_equality_and_hash() -> None:
    a, b, c = iv("17:20", "18:50"), iv("17:20", "19:00"), iv("17:30", "17:40")
    assert sorted([c, b, a]) == [a, b, c]
    assert a < b < c
    assert a == Interval(start="2020-04-29T14:20Z", end="2020-04-29T15:50Z")
    assert hash(a) == hash(Interval(start="2020-04-29T14:20Z", end="2020-04-29T15:50Z"))
    assert len({a, b, c, iv("17:20", "18:50")}) == 3


def test_interval_orders_fold_readings_on_utc() -> None:
    berlin = zoneinfo.ZoneInfo(BERLIN)
    second = Interval(
        start=dt.datetime(2026, 10, 25, 2, 30, tzinfo=berlin, fold=1),
        end=dt.datetime(2026, 10, 25, 2, 45, tzinfo=berlin, fold=1),
    )
    first = Interval(
        start=dt.datetime(2026, 10, 25, 2, 30, tzinfo=berlin, fold=0),
        end=dt.datetime(2026, 10, 25, 2, 45, tzinfo=berlin, fold=0),
    )
    assert sorted([second, first]) == [first, second]
    assert not first.overlaps(second)
    assert first != second


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2020-04-29T17:20+03:00", "2020-04-29T17:20+03:00"),  # empty
        ("2020-04-29T17:20+03:00", "2020-04-29T14:20Z"),  # the same instant, written twice
        ("2020-04-29T17:20+03:00", "2020-04-29T17:19+03:00"),  # backwards
    ],
)
def test_interval_end_must_be_after_start(start: str, end: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Interval(start=start, end=end)
    assert info.value.field == "Interval.end"
    assert str(info.value).startswith("Interval.end: must be after start")
    assert info.value.value == to_instant(end).isoformat()


def test_interval_refuses_naive_ends_naming_the_field() -> None:
    with pytest.raises(NaiveDatetimeError) as start_info:
        Interval(start=wall(2020, 4, 29, 17, 20), end="2020-04-29T18:50+03:00")
    assert start_info.value.field == "Interval.start"
    with pytest.raises(NaiveDatetimeError) as end_info:
        Interval(start="2020-04-29T17:20+03:00", end="2020-04-29T18:50")
    assert end_info.value.field == "Interval.end"


def test_interval_is_frozen() -> None:
    interval = iv("17:20", "18:50")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        interval.start = to_instant("2020-04-29T14:00Z")  # type: ignore[misc] # frozen on purpose
    moved = attrs.evolve(interval, end="2020-04-29T19:00+03:00")
    assert moved.duration == dt.timedelta(minutes=100)
    with pytest.raises(InvalidValueError):
        attrs.evolve(interval, end="2020-04-29T17:00+03:00")


# --- clocks -----------------------------------------------------------------------------------


def test_system_clock_gives_an_aware_utc_instant() -> None:
    clock = SystemClock()
    now = clock.now()
    assert_is_instant(now)
    assert now.tzinfo is UTC
    # Whatever the machine's local zone, the system clock answers in UTC.
    with pendulum.test_local_timezone(pendulum.timezone("Asia/Kamchatka")):
        elsewhere = clock.now()
    assert_is_instant(elsewhere)
    assert elsewhere.tzinfo is UTC
    assert isinstance(clock, Clock)
    assert SystemClock() == clock


def test_fixed_clock() -> None:
    clock = FixedClock(at="2020-04-29T17:20+03:00")
    assert isinstance(clock, Clock)
    assert clock.now() == utc(2020, 4, 29, 14, 20)
    assert clock.now() == clock.now()
    assert clock.at == clock.now()
    assert_is_instant(clock.now())
    assert FixedClock(at=utc(2020, 4, 29, 14, 20)) == clock
    with pytest.raises(NaiveDatetimeError, match=r"^at: "):
        FixedClock(at=wall(2020, 4, 29, 14, 20))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        clock.at = to_instant("2020-04-29T15:00Z")  # type: ignore[misc] # frozen on purpose


def test_manual_clock_moves_forward_only() -> None:
    clock = ManualClock(at="2020-04-29T14:20Z")
    assert isinstance(clock, Clock)
    assert clock.now() == utc(2020, 4, 29, 14, 20)
    moved = clock.advance(dt.timedelta(minutes=15))
    assert moved == utc(2020, 4, 29, 14, 35)
    assert clock.now() == moved
    assert_is_instant(clock.now())
    assert clock.advance(dt.timedelta(0)) == moved
    with pytest.raises(InvalidValueError) as info:
        clock.advance(dt.timedelta(seconds=-1))
    assert info.value.field == "ManualClock.advance"
    assert info.value.value == dt.timedelta(seconds=-1)
    assert "never goes backwards" in str(info.value)
    assert clock.now() == moved
    assert clock.advance(dt.timedelta(days=1)) == utc(2020, 4, 30, 14, 35)


def test_manual_clock_refuses_naive_start() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"^at: "):
        ManualClock(at=wall(2020, 4, 29, 14, 20))


@pytest.mark.parametrize("value", [object(), "2020-04-29T14:20Z", pendulum.now])
def test_things_without_now_method_are_not_clocks(value: object) -> None:
    assert not isinstance(value, Clock)


def test_anything_with_now_is_a_clock() -> None:
    class Sundial:
        def now(self) -> Instant:
            return to_instant("2020-04-29T12:00Z")

    assert isinstance(Sundial(), Clock)


# --- tz database version ----------------------------------------------------------------------


def tzdata_version() -> str:
    return str(importlib.import_module("tzdata").IANA_VERSION)


def test_tz_database_version_is_the_one_zoneinfo_reads() -> None:
    version = tz_database_version()
    assert len(version) == 5
    assert version[:4].isdigit()
    assert version[4].isalpha()
    moscow = find_tzfile(MOSCOW)
    if moscow is None:  # zones come from the tzdata package
        assert version == tzdata_version()
        return
    directory = Path(moscow).parent.parent
    try:
        first_line = (directory / "tzdata.zi").read_text("utf-8").splitlines()[0]
    except OSError:
        assert version == tzdata_version()
    else:
        assert first_line.split() in (["#", "version", version], ["#version", version])


@pytest.fixture
def set_tzpath(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Replace ``zoneinfo.TZPATH`` (what tz_database_version reads) for one test."""

    def set_(*directories: Path) -> None:
        monkeypatch.setattr(zoneinfo, "TZPATH", tuple(str(d) for d in directories))

    return set_


def test_patching_tzpath_is_undone() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zoneinfo, "TZPATH", ())
        assert zoneinfo.TZPATH == ()
    assert "TZPATH" not in vars(zoneinfo)  # the module __getattr__ answers again
    assert zoneinfo.TZPATH == zoneinfo._tzpath.TZPATH


def make_tz_dir(base: Path, zi: str | None, *, moscow: bool = True) -> Path:
    base.mkdir()
    if moscow:
        (base / "Europe").mkdir()
        (base / "Europe" / "Moscow").write_bytes(b"TZif")
    if zi is not None:
        (base / "tzdata.zi").write_text(zi, encoding="utf-8")
    return base


def test_tz_database_version_reads_the_first_directory_with_zones(
    set_tzpath: Callable[..., None], tmp_path: Path
) -> None:
    empty = make_tz_dir(tmp_path / "empty", "# version 1999a\n", moscow=False)
    system = make_tz_dir(tmp_path / "system", "# version 2099z\nR x 1 2 - Ja 1 0 0 -\n")
    other = make_tz_dir(tmp_path / "other", "# version 2000b\n")
    set_tzpath(empty, system, other)
    assert tz_database_version() == "2099z"


def test_tz_database_version_falls_back_to_tzdata_without_a_search_path(
    set_tzpath: Callable[..., None],
) -> None:
    set_tzpath()
    assert zoneinfo.TZPATH == ()
    assert tz_database_version() == tzdata_version()


@pytest.mark.parametrize("zi", [None, "", "# tzdb data for a test\n", "version 2099z\n"])
def test_tz_database_version_falls_back_to_tzdata_without_a_version_line(
    set_tzpath: Callable[..., None], tmp_path: Path, zi: str | None
) -> None:
    set_tzpath(make_tz_dir(tmp_path / "zones", zi))
    assert tz_database_version() == tzdata_version()


# --- known bugs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2020-04-29T14:20:00Z[Europe/Moscow]", "2020-04-29T14:20:00-00:00[Europe/Moscow]"]
)
def test_z_with_a_zone_suffix_is_accepted(text: str) -> None:
    # regression: "Z" with a zone was compared as offset 0 against the zone's offset
    assert to_instant(text) == utc(2020, 4, 29, 14, 20)


def test_suffix_with_tags_only_is_accepted() -> None:
    # regression: a suffix of tags only was left in the text and refused
    assert to_instant("2020-04-29T17:20:00+03:00[u-ca=iso8601]") == utc(2020, 4, 29, 14, 20)


@pytest.mark.parametrize(
    "call",
    [
        lambda: to_instant("0001-01-01T00:00:00+03:00"),
        lambda: to_instant(
            dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(-dt.timedelta(hours=3)))
        ),
        lambda: at_local(wall(1, 1, 1), MOSCOW),
        lambda: Interval(start="0001-01-01T00:00+03:00", end="2020-01-01T00:00Z"),
    ],
)
def test_out_of_range_instants_raise_a_library_error(call: Callable[[], object]) -> None:
    # regression: these escaped as a bare OverflowError
    with pytest.raises(MmsoError) as info:
        call()
    assert isinstance(info.value, ValueError)


class _NoOffset(dt.tzinfo):
    """A tzinfo whose utcoffset is None: by Python's definition the datetime is naive."""

    def utcoffset(self, _value: dt.datetime | None) -> None:
        return None

    def dst(self, _value: dt.datetime | None) -> None:
        return None

    def tzname(self, _value: dt.datetime | None) -> None:
        return None


def test_datetime_with_a_none_offset_is_naive() -> None:
    value = dt.datetime(2020, 4, 29, 17, 20, tzinfo=_NoOffset())
    with pytest.raises(NaiveDatetimeError):
        to_instant(value)


def test_datetime_with_a_none_offset_is_read_in_the_named_zone() -> None:
    # regression: at_local refused it as "already has a time zone"
    value = dt.datetime(2020, 4, 29, 17, 20, tzinfo=_NoOffset())
    assert to_instant(value, MOSCOW) == utc(2020, 4, 29, 14, 20)


# --- properties -------------------------------------------------------------------------------


# Years 2..9998 keep every instant inside datetime's range after conversion to UTC.
SAFE_MIN = wall(2, 1, 1)
SAFE_MAX = wall(9998, 12, 31)
PYTZ_ZONES = [
    MOSCOW,
    BERLIN,
    "America/New_York",
    "Asia/Kamchatka",
    "Australia/Lord_Howe",
    "Europe/Volgograd",
    "Europe/Dublin",
    "Asia/Kolkata",
    "UTC",
]
POLICIES: list[mmso_core.Disambiguate] = ["earlier", "later", "compatible"]


def assert_same_instant(instant: dt.datetime, value: dt.datetime) -> None:
    assert_is_instant(instant)
    assert instant == value.astimezone(dt.UTC)
    assert instant.timestamp() == value.timestamp()


@given(st.datetimes(SAFE_MIN, SAFE_MAX, timezones=st.timezones(), allow_imaginary=False))
def test_property_zoneinfo_values_keep_their_instant(value: dt.datetime) -> None:
    assert_same_instant(to_instant(value), value)
    assert_same_instant(to_instant(value.isoformat()), value)


@given(
    st.datetimes(wall(1850, 1, 1), wall(2100, 1, 1)),
    st.sampled_from(PYTZ_ZONES),
    st.booleans(),
)
def test_property_pytz_localized_values_keep_their_instant(
    naive: dt.datetime, name: str, is_dst: bool
) -> None:
    tz = pytz.timezone(name)
    value = tz.localize(naive, is_dst=is_dst)
    assume(tz.normalize(value).replace(tzinfo=None) == naive)  # skip walls in a gap
    assert_same_instant(to_instant(value), value)


@given(
    st.datetimes(wall(1950, 1, 1), wall(2100, 1, 1)),
    st.sampled_from([name for name in PYTZ_ZONES if name != "UTC"]),
)
def test_property_pytz_trap_is_always_refused(naive: dt.datetime, name: str) -> None:
    with pytest.raises(TzinfoMisuseError):
        to_instant(naive.replace(tzinfo=pytz.timezone(name)))


@given(
    st.datetimes(SAFE_MIN, SAFE_MAX),
    st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1),
)
def test_property_fixed_offsets_keep_their_instant(naive: dt.datetime, minutes: int) -> None:
    for tz in (
        dt.timezone(dt.timedelta(minutes=minutes)),
        pytz.FixedOffset(minutes),
        pendulum.FixedTimezone(minutes * 60),
    ):
        value = naive.replace(tzinfo=tz)
        assert_same_instant(to_instant(value), value)
        assert_same_instant(to_instant(naive, tz), value)


@given(
    st.datetimes(
        wall(1900, 1, 1), wall(2100, 1, 1), timezones=st.timezones(), allow_imaginary=False
    )
)
def test_property_pendulum_instances_keep_their_instant(value: dt.datetime) -> None:
    # pendulum.instance() may itself move the value; whatever it holds is kept.
    moved = pendulum.instance(value)
    assert_same_instant(to_instant(moved), moved)


@given(st.datetimes(wall(1900, 1, 1), wall(2100, 1, 1)), mst.zones())
def test_property_pendulum_datetimes_keep_their_instant(naive: dt.datetime, name: str) -> None:
    value = pendulum.datetime(
        naive.year,
        naive.month,
        naive.day,
        naive.hour,
        naive.minute,
        naive.second,
        naive.microsecond,
        tz=name,
    )
    assert_same_instant(to_instant(value), value)


def exists(naive: dt.datetime, name: str) -> bool:
    """Whether a wall time exists in a zone, judged by the stdlib alone."""
    zone = zoneinfo.ZoneInfo(name)
    return naive.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == (
        naive
    )


@given(st.datetimes(SAFE_MIN, SAFE_MAX), mst.zones())
def test_property_at_local_round_trips(naive: dt.datetime, name: str) -> None:
    instant = at_local(naive, name, disambiguate="compatible")
    assert_is_instant(instant)
    if exists(naive, name):
        local = in_zone(instant, name)
        assert local.replace(tzinfo=None) == naive
        assert local.fold == 0  # the first occurrence of a repeated time


@given(st.datetimes(SAFE_MIN, SAFE_MAX), mst.zones())
def test_property_policies_are_consistent(naive: dt.datetime, name: str) -> None:
    earlier, later, compatible = (at_local(naive, name, disambiguate=p) for p in POLICIES)
    assert earlier <= later
    assert compatible in (earlier, later)
    try:
        strict = at_local(naive, name)
    except AmbiguousTimeError:
        assert earlier < later
        assert compatible == earlier
        assert in_zone(earlier, name).replace(tzinfo=None) == naive
        assert in_zone(later, name).replace(tzinfo=None) == naive
    except NonexistentTimeError:
        assert earlier < later
        assert compatible == later
        assert not exists(naive, name)
    else:
        assert strict == earlier == later == compatible
        assert in_zone(strict, name).replace(tzinfo=None) == naive


@given(st.datetimes(SAFE_MIN, SAFE_MAX, timezones=st.timezones(), allow_imaginary=False))
def test_property_in_zone_and_back(value: dt.datetime) -> None:
    instant = to_instant(value)
    local = in_zone(instant, value.tzinfo)  # type: ignore[arg-type] # drawn aware
    assert local.utcoffset() == value.utcoffset()
    assert to_instant(local) == instant


@given(
    st.datetimes(SAFE_MIN, SAFE_MAX, timezones=st.timezones(), allow_imaginary=False),
    st.timedeltas(min_value=dt.timedelta(microseconds=1), max_value=dt.timedelta(days=30)),
)
def test_property_interval_is_half_open(start: dt.datetime, length: dt.timedelta) -> None:
    assume(start.astimezone(dt.UTC).replace(tzinfo=None) <= SAFE_MAX)
    interval = Interval(start=start, end=to_instant(start) + length)
    assert interval.duration == length
    assert interval.contains(start)
    assert not interval.contains(interval.end)
    after = Interval(start=interval.end, end=interval.end + length)
    assert not interval.overlaps(after)
    assert interval.covers(interval)


def test_suffix_with_a_zone_and_tags() -> None:
    text = "2020-04-29T17:20:00+03:00[Europe/Moscow][u-ca=iso8601]"
    assert to_instant(text) == utc(2020, 4, 29, 14, 20)
    with pytest.raises(InvalidValueError, match="does not match zone"):
        to_instant("2020-04-29T17:20:00+04:00[u-ca=iso8601][Europe/Moscow]")


class _PlusFive(dt.tzinfo):
    """A tzinfo of another library (neither zoneinfo, pytz nor a fixed offset)."""

    def utcoffset(self, _value: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(hours=5)

    def dst(self, _value: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)

    def tzname(self, _value: dt.datetime | None) -> str:
        return "+05"


def test_in_zone_keeps_named_zones_and_offsets() -> None:
    moment = "2020-04-29T14:20:00Z"
    # regression: a plain ZoneInfo came back as a bare fixed offset
    named = in_zone(moment, zoneinfo.ZoneInfo("Europe/Samara"))
    assert isinstance(named.tzinfo, pendulum.Timezone)
    assert named.tzinfo.name == "Europe/Samara"
    fixed = in_zone(moment, dt.timezone(dt.timedelta(hours=3)))
    assert (fixed.hour, fixed.utcoffset()) == (17, dt.timedelta(hours=3))
    other = in_zone(moment, _PlusFive())
    assert (other.hour, other.utcoffset()) == (19, dt.timedelta(hours=5))
    source = importlib.resources.files("tzdata.zoneinfo").joinpath("Europe/Samara")
    with source.open("rb") as handle:
        custom = zoneinfo.ZoneInfo.from_file(handle, key="Custom/Samara")
    shown = in_zone(moment, custom)
    assert (shown.hour, shown.utcoffset()) == (18, dt.timedelta(hours=4))


@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "right/UTC"])
def test_names_that_are_not_zones_are_refused(name: str) -> None:
    # regression: "localtime" read the host's /etc/localtime
    with pytest.raises(UnknownZoneError):
        resolve_zone(name)


def test_russian_countdown_takes_the_accusative() -> None:
    assert countdown("2020-04-29T17:19+03:00", "2020-04-29T17:20+03:00", "ru") == "через 1 минуту"
    assert countdown("2020-04-29T16:59+03:00", "2020-04-29T17:20+03:00", "ru") == "через 21 минуту"
    assert countdown("2020-04-22T17:20+03:00", "2020-04-29T17:20+03:00", "ru") == "через 1 неделю"
    assert countdown("2020-04-29T17:21+03:00", "2020-04-29T17:20+03:00", "ru") == "1 минуту назад"
    assert countdown("2020-04-29T17:18+03:00", "2020-04-29T17:20+03:00", "ru") == "через 2 минуты"
    assert countdown("2020-04-29T17:19+03:00", "2020-04-29T17:20+03:00") == "in 1 minute"
    with pytest.raises(InvalidValueError, match="locale"):
        countdown("2020-04-29T17:19+03:00", "2020-04-29T17:20+03:00", "de")
    with pytest.raises(InvalidValueError, match="locale"):
        humanize("2020-04-29T17:19+03:00", "2020-04-29T17:20+03:00", "fr")


def test_in_zone_and_clock_refuse_bad_values() -> None:
    with pytest.raises(InvalidValueError, match="outside the range"):
        in_zone("9999-12-31T23:00Z", "Asia/Kamchatka")
    with pytest.raises(InvalidValueError, match=r"ManualClock\.advance"):
        ManualClock(at="2020-04-29T14:20Z").advance(5)  # type: ignore[arg-type] # wrong on purpose
