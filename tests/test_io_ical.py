"""mmso_core.io.ical: four iCalendar parsers read every instant of the export right."""

import contextlib
import datetime as _dt
import functools
import importlib.util
import subprocess
import sys
import unittest.mock
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
import icalendar
import ics  # type: ignore[import-untyped] # ics ships no type hints
import pytest
import recurring_ical_events  # type: ignore[import-untyped] # no type hints
import vobject  # type: ignore[import-untyped] # no stubs in the environment
from hypothesis import given
from hypothesis import strategies as st

from mmso_core import (
    FixedClock,
    Interval,
    InvalidValueError,
    MissingExtraError,
    NaiveDatetimeError,
    UnknownIdError,
    UnknownZoneError,
    at_local,
    region,
    to_instant,
)
from mmso_core.exhibition import Itinerary, Visitor, plan_route, suggest_route
from mmso_core.io.ical import PRODID, to_ical
from mmso_core.samples import exhibition_2020, mmso_2020
from mmso_core.schedule import Channel, Person, Programme, Salon, Session
from mmso_core.testing import strategies as mst

STAMP = "2020-04-20T09:00:00Z"
Span = tuple[_dt.datetime, _dt.datetime]


# --- the four parsers, each giving UID -> (start, end) in UTC -------------------------


def _utc(value: object) -> _dt.datetime:
    assert isinstance(value, _dt.datetime), value
    assert value.utcoffset() is not None, f"{value!r} is floating"
    return value.astimezone(_dt.UTC)


def by_icalendar(text: str) -> dict[str, Span]:
    calendar = icalendar.Calendar.from_ical(text)
    return {
        str(e["UID"]): (_utc(e.decoded("DTSTART")), _utc(e.decoded("DTEND")))
        for e in calendar.walk("VEVENT")
    }


def _vobject_calendar(text: str) -> Any:
    # vobject keeps the first VTIMEZONE it reads for a TZID in a process-wide registry
    # and uses it for every later calendar naming that TZID. Our VTIMEZONEs cover only
    # the days of their events, so each calendar is read with an empty registry.
    registry = vars(vobject.icalendar)["__tzidMap"]
    saved = dict(registry)
    registry.clear()
    registry["UTC"] = saved["UTC"]
    try:
        return vobject.readOne(text)
    finally:
        registry.clear()
        registry.update(saved)


def by_vobject(text: str) -> dict[str, Span]:
    calendar = _vobject_calendar(text)
    events = getattr(calendar, "vevent_list", [])
    return {e.uid.value: (_utc(e.dtstart.value), _utc(e.dtend.value)) for e in events}


def _ics_calendar(text: str) -> Any:
    # ics 0.7.3 parses each line with TatSu, which calls colorama.init() every time;
    # when stdout is not a terminal (pytest, CI) each call wraps sys.stdout once more
    # until writing to it overflows the stack. Parse with the colour set-up switched off.
    quiet = (
        unittest.mock.patch("tatsu.color.init", return_value=None)
        if importlib.util.find_spec("tatsu.color") is not None
        else contextlib.nullcontext()
    )
    with quiet:
        return ics.Calendar(text)


def by_ics(text: str) -> dict[str, Span]:
    return {
        e.uid: (_utc(e.begin.datetime), _utc(e.end.datetime)) for e in _ics_calendar(text).events
    }


def by_recurring_ical_events(text: str) -> dict[str, Span]:
    calendar = icalendar.Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar).between(
        _dt.datetime(1900, 1, 1, tzinfo=_dt.UTC), _dt.datetime(2200, 1, 1, tzinfo=_dt.UTC)
    )
    return {str(e["UID"]): (_utc(e["DTSTART"].dt), _utc(e["DTEND"].dt)) for e in events}


PARSERS = (by_icalendar, by_vobject, by_ics, by_recurring_ical_events)


def summaries(text: str) -> dict[str, str]:
    return {
        str(e["UID"]): str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")
    }


def expected_spans(programme: Programme, ids: list[str] | None = None) -> Counter[tuple[Any, ...]]:
    chosen = programme.ordered if ids is None else [programme.session(i) for i in ids]
    return Counter((s.title, s.starts_at, s.ends_at) for s in chosen)


def negative_dst(zone: str | None, spans: Iterable[Span]) -> bool:
    """Whether the zone's clocks are behind its standard time ("negative DST") near a span.

    ics reads TZID times with ``dateutil.tz.gettz``, whose ``tzfile`` puts the repeated
    hour at the end of a negative-DST period one hour late (Europe/Dublin in October,
    Africa/Casablanca after Ramadan): wall times in the hour after it come out an hour
    early. See ``test_ics_misreads_the_hour_after_a_negative_dst_fold``.
    """
    if zone is None:
        return False
    tz = zoneinfo.ZoneInfo(zone)
    day = _dt.timedelta(days=1)
    for start, end in spans:
        at = start - day
        while at <= end + day:
            dst = at.astimezone(tz).dst()
            if dst is not None and dst < _dt.timedelta(0):
                return True
            at += _dt.timedelta(hours=1)
    return False


def assert_agrees(
    text: str, expected: Counter[tuple[Any, ...]], *, zone: str | None = None
) -> dict[str, Span]:
    """Every parser finds the same events, at the instants the programme has.

    ``zone``: the calendar's zone, to leave ics out where dateutil misreads it.
    """
    titles = summaries(text)
    found = by_icalendar(text)
    assert len(titles) == sum(expected.values()), "UIDs must be unique"
    assert Counter((titles[uid], *span) for uid, span in found.items()) == expected
    for parser in PARSERS[1:]:
        if parser is by_ics and negative_dst(zone, found.values()):
            continue
        assert parser(text) == found, parser.__name__
    return found


def categories(event: Any) -> list[str]:
    return [str(c) for c in event["CATEGORIES"].cats]


def events(text: str) -> list[Any]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


# --- programmes built by hand ------------------------------------------------------------


def small_programme(zone: str, spans: list[tuple[str, str]], *, salon: str = "Salon") -> Programme:
    """One channel, one moderator, a session per (start, end) pair of ISO strings."""
    return Programme(
        salon=Salon(name=salon, zone=zone),
        people=[Person(id="m", name="Moderator One", organisation="School 1")],
        channels=[Channel(id="ch", name="Main hall", url="https://example.org/live/ch")],
        sessions=[
            Session(
                id=f"s{n}",
                title=f"Session {n}",
                format="lecture",
                starts_at=start,
                ends_at=end,
                channel="ch",
                moderator="m",
            )
            for n, (start, end) in enumerate(spans)
        ],
    )


def shifted(programme: Programme, delta: _dt.timedelta) -> Programme:
    """The same programme ``delta`` later (relays keep their originals' times)."""
    return attrs.evolve(
        programme,
        sessions=[
            attrs.evolve(
                s,
                starts_at=s.starts_at + delta,
                ends_at=s.ends_at + delta,
                recording_available_at=None,
            )
            for s in programme.sessions
        ],
    )


# --- the sample ------------------------------------------------------------------------


@pytest.mark.parametrize("zone", [None, "Europe/Moscow", "Asia/Kamchatka", "America/New_York"])
def test_the_whole_sample_reads_the_same_in_four_parsers(zone: str | None) -> None:
    programme = mmso_2020()
    text = to_ical(programme, stamp=STAMP, zone=zone)
    found = assert_agrees(text, expected_spans(programme))
    assert len(found) == len(programme.sessions) == 202


def test_utc_by_default_and_local_times_with_tzid_on_request() -> None:
    programme = mmso_2020()
    utc = to_ical(programme, sessions=["samara-round-table"], stamp=STAMP)
    assert "DTSTART:20200429T142000Z" in utc.splitlines()
    assert "DTEND:20200429T155000Z" in utc.splitlines()
    assert "VTIMEZONE" not in utc
    local = to_ical(programme, sessions=["samara-round-table"], stamp=STAMP, zone="Europe/Samara")
    assert "DTSTART;TZID=Europe/Samara:20200429T182000" in local.splitlines()
    assert "DTEND;TZID=Europe/Samara:20200429T195000" in local.splitlines()
    assert local.count("BEGIN:VTIMEZONE") == 1


def test_a_session_event_has_every_property() -> None:
    programme = mmso_2020()
    table = programme.session("samara-round-table")
    text = to_ical(programme, sessions=[table.id], stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "ММСО-2020"
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == table.title
    assert event.decoded("DTSTAMP") == _dt.datetime(2020, 4, 20, 9, tzinfo=_dt.UTC)
    channel = programme.channel(table.channel)
    assert str(event["URL"]) == channel.url == "https://mmco-expo.ru/stream/ch08"
    assert str(event["LOCATION"]) == channel.name
    assert categories(event) == ["round-table", "digital"]
    description = str(event["DESCRIPTION"])
    assert description.startswith("Round table\nCluster: digital education\n")
    assert table.moderator is not None
    moderator = programme.person(table.moderator)
    assert f"Moderator: {moderator.name} ({moderator.organisation})" in description
    lines = description.splitlines()
    speakers = lines[
        lines.index("Speakers:") + 1 : lines.index("Speakers:") + 1 + len(table.speakers)
    ]
    assert [line.removeprefix("- ").split(" (")[0] for line in speakers] == [
        programme.person(p).name for p in table.speakers
    ]
    assert lines[-1] == f"Channel: {channel.name} — {channel.url}"


def test_descriptions_in_russian() -> None:
    programme = mmso_2020()
    text = to_ical(programme, sessions=["s002"], stamp=STAMP, locale="ru")
    (event,) = events(text)
    description = str(event["DESCRIPTION"])
    assert description.startswith("Пленарное заседание\nКластер: государственная политика\n")
    assert "\nМодератор: " in description
    assert "\nСпикеры:\n- " in description
    original = programme.session("s001").title
    assert description.endswith(f"\nТрансляция мероприятия: {original}")


def test_a_relay_names_its_original_and_is_its_own_event() -> None:
    programme = mmso_2020()
    text = to_ical(programme, sessions=["s001", "s002"], stamp=STAMP)
    first, second = events(text)
    assert str(first["UID"]) != str(second["UID"])
    assert "Simulcast of" not in str(first["DESCRIPTION"])
    assert str(second["DESCRIPTION"]).endswith(f"Simulcast of: {programme.session('s001').title}")


def test_a_session_without_moderator_speakers_or_known_cluster() -> None:
    programme = small_programme(
        "Europe/Moscow", [("2020-04-29T10:00+03:00", "2020-04-29T11:00+03:00")]
    )
    bare = attrs.evolve(programme.sessions[0], moderator=None, cluster="robotics")
    (event,) = events(to_ical(attrs.evolve(programme, sessions=[bare]), stamp=STAMP))
    assert str(event["DESCRIPTION"]) == (
        "Lecture\nCluster: robotics\nChannel: Main hall — https://example.org/live/ch"
    )
    assert categories(event) == ["lecture", "robotics"]


def test_a_channel_without_a_player_address_gives_no_url() -> None:
    programme = small_programme(
        "Europe/Moscow", [("2020-04-29T10:00+03:00", "2020-04-29T11:00+03:00")]
    )
    programme = attrs.evolve(programme, channels=[Channel(id="ch", name="Main hall")])
    (event,) = events(to_ical(programme, stamp=STAMP))
    assert "URL" not in event
    assert str(event["DESCRIPTION"]).endswith("Channel: Main hall")
    assert categories(event) == ["lecture"]


def test_uids_are_stable_and_do_not_depend_on_the_selection() -> None:
    programme = mmso_2020()
    whole = to_ical(programme, stamp=STAMP)
    assert to_ical(programme, stamp=STAMP) == whole
    one = to_ical(programme, sessions=["samara-round-table"], stamp="2021-01-01T00:00Z")
    (uid,) = by_icalendar(one)
    assert uid in by_icalendar(whole)
    # a name-based UUID: the same on every run, machine and release
    assert uid == "597a1e06-501b-585d-88a9-9bb5b7e406f3"


def test_uids_belong_to_the_salon() -> None:
    spans = [("2020-04-29T10:00+03:00", "2020-04-29T11:00+03:00")]
    one = by_icalendar(to_ical(small_programme("Europe/Moscow", spans, salon="A"), stamp=STAMP))
    other = by_icalendar(to_ical(small_programme("Europe/Moscow", spans, salon="B"), stamp=STAMP))
    assert one.keys().isdisjoint(other.keys())


def test_events_are_sorted_by_start_whatever_order_ids_come_in() -> None:
    programme = mmso_2020()
    ids = ["samara-round-table", "s001", "s003"]
    text = to_ical(programme, sessions=ids, stamp=STAMP)
    starts = [e.decoded("DTSTART") for e in events(text)]
    assert starts == sorted(starts)
    assert text == to_ical(programme, sessions=list(reversed(ids)), stamp=STAMP)


def test_dtstamp_comes_from_the_stamp_or_the_clock() -> None:
    programme = mmso_2020()
    at = "2020-04-20T12:00:00.750+03:00"
    from_clock = to_ical(programme, sessions=["s001"], stamp=FixedClock(at=at))
    from_value = to_ical(programme, sessions=["s001"], stamp=to_instant(at))
    assert from_clock == from_value
    (event,) = events(from_clock)
    assert event.decoded("DTSTAMP") == _dt.datetime(2020, 4, 20, 9, tzinfo=_dt.UTC)


def _observances(text: str) -> list[tuple[str, _dt.datetime, _dt.timedelta, _dt.timedelta]]:
    (zone,) = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    return [
        (str(c.name), c.decoded("DTSTART"), c.decoded("TZOFFSETFROM"), c.decoded("TZOFFSETTO"))
        for c in zone.subcomponents
    ]


def test_vtimezone_covers_only_the_days_of_the_events() -> None:
    hour = _dt.timedelta(hours=1)
    text = to_ical(mmso_2020(), stamp=STAMP, zone="Europe/Berlin")
    # 26 April - 8 May 2020: summer time, since 29 March 02:00 (written in CET)
    assert _observances(text) == [
        ("DAYLIGHT", _dt.datetime(2020, 3, 29, 2), hour, 2 * hour)  # noqa: DTZ001 - wall time
    ]
    assert "RDATE" not in text
    assert "RRULE" not in text
    spans = [("2026-10-24T10:00Z", "2026-10-24T11:00Z"), ("2026-10-26T10:00Z", "2026-10-26T11:00Z")]
    text = to_ical(small_programme("Europe/Berlin", spans), stamp=STAMP, zone="Europe/Berlin")
    # each onset in the offset before it (RFC 5545 3.6.5): 02:00 CET, then 03:00 CEST
    assert _observances(text) == [
        ("DAYLIGHT", _dt.datetime(2026, 3, 29, 2), hour, 2 * hour),  # noqa: DTZ001
        ("STANDARD", _dt.datetime(2026, 10, 25, 3), 2 * hour, hour),  # noqa: DTZ001
    ]


def test_vtimezone_of_a_zone_without_changes() -> None:
    text = to_ical(mmso_2020(), sessions=["s001"], stamp=STAMP, zone="Etc/GMT-3")
    three = _dt.timedelta(hours=3)
    assert _observances(text) == [
        ("STANDARD", _dt.datetime(2020, 4, 25, 10), three, three)  # noqa: DTZ001
    ]


# --- daylight saving time edges --------------------------------------------------------


def test_a_repeated_hour_second_occurrence_is_written_in_utc() -> None:
    # Berlin 2026-10-25: 02:00-03:00 happens twice (CEST, then CET).
    first = at_local("2026-10-25 02:30", "Europe/Berlin", disambiguate="earlier")
    second = at_local("2026-10-25 02:30", "Europe/Berlin", disambiguate="later")
    programme = small_programme(
        "Europe/Berlin",
        [
            (first.isoformat(), (first + _dt.timedelta(minutes=20)).isoformat()),
            (second.isoformat(), (second + _dt.timedelta(minutes=20)).isoformat()),
            ("2026-10-24T23:30Z", "2026-10-25T02:30Z"),  # across the whole repeated hour
        ],
    )
    text = to_ical(programme, stamp=STAMP, zone="Europe/Berlin")
    lines = text.splitlines()
    assert "DTSTART;TZID=Europe/Berlin:20261025T023000" in lines  # the first 02:30
    assert "DTSTART:20261025T013000Z" in lines  # the second 02:30: only UTC says it
    assert "DTEND:20261025T015000Z" in lines  # and the whole event is in UTC
    assert "DTSTART;TZID=Europe/Berlin:20261025T013000" in lines
    assert "DTEND;TZID=Europe/Berlin:20261025T033000" in lines
    assert_agrees(text, expected_spans(programme))


def test_times_around_a_skipped_hour() -> None:
    # Berlin 2026-03-29: 02:00-03:00 does not happen.
    programme = small_programme(
        "Europe/Berlin",
        [
            ("2026-03-29T01:30+01:00", "2026-03-29T03:30+02:00"),
            ("2026-03-29T00:59:59Z", "2026-03-29T01:00:01Z"),
            ("2026-03-28T22:00Z", "2026-03-29T22:00Z"),
        ],
    )
    for zone in ("Europe/Berlin", "America/Santiago", "Australia/Lord_Howe", "Europe/Moscow"):
        assert_agrees(to_ical(programme, stamp=STAMP, zone=zone), expected_spans(programme))


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC", "GMT"])
def test_a_utc_zone_writes_utc_times_without_a_vtimezone(zone: str) -> None:
    programme = mmso_2020()
    text = to_ical(programme, sessions=["s001"], stamp=STAMP, zone=zone)
    assert "DTSTART:20200426T070000Z" in text.splitlines()
    assert "VTIMEZONE" not in text


def test_a_region_names_the_zone() -> None:
    programme = mmso_2020()
    text = to_ical(programme, sessions=["s001"], stamp=STAMP, zone=region("RU-SAM"))
    assert "DTSTART;TZID=Europe/Samara:20200426T110000" in text.splitlines()


# --- a visitor's personal calendar -------------------------------------------------------


def _visitor() -> Visitor:
    return Visitor(
        available=Interval(start="2020-04-27T13:50+03:00", end="2020-04-27T14:35+03:00"),
        interests={"digital": 3, "vocational": 2, "программирование": 1},
        speed=1.0,
    )


@pytest.fixture(scope="module")
def route() -> Itinerary:
    return suggest_route(exhibition_2020(), _visitor(), seed=0, max_iterations=300)


@pytest.mark.parametrize("zone", [None, "Europe/Moscow"])
def test_personal_calendar_holds_sessions_and_the_route(route: Itinerary, zone: str | None) -> None:
    programme = mmso_2020()
    ids = ["samara-round-table", "s003"]
    text = to_ical(programme, sessions=ids, itinerary=route, stamp=STAMP, zone=zone)
    expected = expected_spans(programme, ids)
    expected.update(
        (f"Exhibition: {stop.title}", stop.starts_at, stop.ends_at) for stop in route.stops
    )
    found = assert_agrees(text, expected)
    assert len(found) == 2 + len(route.stops) == 11
    stops = [e for e in events(text) if "exhibition" in categories(e)]
    assert [str(e["LOCATION"]) for e in stops] == [f"Stand {s.stand}" for s in route.stops]
    assert all("URL" not in e for e in stops)
    assert str(stops[0]["DESCRIPTION"]) == f"Stand: {route.stops[0].stand}\nWalk: 244 m"


def test_the_route_alone_and_its_uids(route: Itinerary) -> None:
    programme = mmso_2020()
    text = to_ical(programme, sessions=[], itinerary=route, stamp=STAMP)
    assert len(by_icalendar(text)) == len(route.stops)
    again = suggest_route(exhibition_2020(), _visitor(), seed=0, max_iterations=300)
    assert to_ical(programme, sessions=[], itinerary=again, stamp=STAMP) == text
    other = attrs.evolve(route, visitor=attrs.evolve(route.visitor, id="someone-else"))
    assert (
        by_icalendar(to_ical(programme, sessions=[], itinerary=other, stamp=STAMP))
        .keys()
        .isdisjoint(by_icalendar(text).keys())
    )


def test_a_stand_visited_twice_gets_two_events() -> None:
    expo = exhibition_2020()
    visitor = Visitor(
        available=Interval(start="2020-04-27T13:40+03:00", end="2020-04-27T15:00+03:00")
    )
    mine = plan_route(expo, visitor, ["stand-114", "webinar-044", "stand-114"])
    assert mine.feasible
    text = to_ical(mmso_2020(), sessions=[], itinerary=mine, stamp=STAMP, locale="ru")
    stand = expo.stand("stand-114").name
    webinar = expo.webinar("webinar-044").title  # already "Вебинар: ...": not said twice
    assert Counter(summaries(text).values()) == {f"Выставка: {stand}": 2, webinar: 1}
    assert_agrees(
        text,
        Counter(
            (e["SUMMARY"], s.starts_at, s.ends_at)
            for e, s in zip(events(text), mine.stops, strict=True)
        ),
    )


def test_an_itinerary_with_stops_that_do_not_work_is_refused() -> None:
    expo = exhibition_2020()
    late = plan_route(expo, _visitor(), ["stand-114", "stand-065", "webinar-044"])
    assert not late.feasible
    with pytest.raises(InvalidValueError, match="itinerary: has stops that do not work") as err:
        to_ical(mmso_2020(), sessions=[], itinerary=late, stamp=STAMP)
    assert err.value.value == ("webinar-missed",)


# --- bad input ---------------------------------------------------------------------------


def test_unknown_session_id() -> None:
    with pytest.raises(UnknownIdError, match="unknown session id 'nope'"):
        to_ical(mmso_2020(), sessions=["s001", "nope"], stamp=STAMP)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"sessions": "s001"}, InvalidValueError, "sessions: must be a sequence"),
        ({"sessions": ["s001", "s001"]}, InvalidValueError, "lists an id twice"),
        ({"sessions": [""]}, InvalidValueError, "must be non-empty strings"),
        ({"sessions": []}, InvalidValueError, "at least one event"),
        ({"stamp": "2020-04-20T09:00"}, NaiveDatetimeError, "stamp: naive time"),
        ({"stamp": 1587373200}, InvalidValueError, "stamp: must be an aware datetime"),
        ({"zone": "Europe/Samarra"}, UnknownZoneError, "zone: unknown time zone"),
        (
            {"zone": _dt.timezone(_dt.timedelta(hours=3))},
            InvalidValueError,
            "zone: must be an IANA",
        ),
        ({"locale": "de"}, InvalidValueError, "locale: must be 'en' or 'ru'"),
        ({"itinerary": ["stand-114"]}, InvalidValueError, "itinerary: must be an exhibition"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    arguments: dict[str, Any] = {"sessions": ["s001"], "stamp": STAMP, **kwargs}
    with pytest.raises(error, match=match):
        to_ical(mmso_2020(), **arguments)


def test_not_a_programme() -> None:
    with pytest.raises(InvalidValueError, match="programme: must be a Programme"):
        to_ical([], stamp=STAMP)  # type: ignore[arg-type] # the point of the test


def test_fractions_of_a_second_are_refused() -> None:
    programme = small_programme(
        "Europe/Moscow", [("2020-04-29T10:00:00.5+03:00", "2020-04-29T11:00+03:00")]
    )
    with pytest.raises(InvalidValueError, match=r"sessions\['s0'\].starts_at: has fractions"):
        to_ical(programme, stamp=STAMP)


@pytest.mark.parametrize("bad", ["a\x00b", "bell\x07", "line\rend", "\ud800"])
def test_control_characters_are_refused(bad: str) -> None:
    programme = small_programme(
        "Europe/Moscow", [("2020-04-29T10:00+03:00", "2020-04-29T11:00+03:00")]
    )
    programme = attrs.evolve(programme, sessions=[attrs.evolve(programme.sessions[0], title=bad)])
    with pytest.raises(InvalidValueError, match=r"sessions\['s0'\].title: contains the control"):
        to_ical(programme, stamp=STAMP)


def test_missing_icalendar_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'mmso_core\[ical\]'"):
        to_ical(mmso_2020(), sessions=["s001"], stamp=STAMP)


def test_importing_the_module_does_not_import_icalendar() -> None:
    code = "import sys, mmso_core.io.ical; print('icalendar' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# --- properties --------------------------------------------------------------------------

_texts = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs")) | st.sampled_from('\n\t,;:\\"'),
    min_size=1,
    max_size=60,
).filter(str.strip)


@given(
    programme=mst.programmes(min_sessions=1, max_sessions=6),
    zone=st.none() | mst.zones(),
    shift=st.timedeltas(min_value=_dt.timedelta(days=-400), max_value=_dt.timedelta(days=400)),
)
def test_every_parser_reads_every_instant(
    programme: Programme, zone: str | None, shift: _dt.timedelta
) -> None:
    programme = shifted(programme, _dt.timedelta(seconds=shift // _dt.timedelta(seconds=1)))
    text = to_ical(programme, stamp=STAMP, zone=zone)
    assert_agrees(text, expected_spans(programme), zone=zone)


@given(programme=mst.programmes(min_sessions=1, max_sessions=8), data=st.data())
def test_a_selection_is_exactly_the_chosen_sessions(
    programme: Programme, data: st.DataObject
) -> None:
    ids = data.draw(
        st.lists(st.sampled_from([s.id for s in programme.sessions]), unique=True, min_size=1)
    )
    text = to_ical(programme, sessions=ids, stamp=STAMP)
    found = assert_agrees(text, expected_spans(programme, ids))
    assert found.keys() <= by_icalendar(to_ical(programme, stamp=STAMP)).keys()


@given(title=_texts, name=_texts)
def test_any_text_survives_escaping(title: str, name: str) -> None:
    programme = small_programme(
        "Europe/Moscow", [("2020-04-29T10:00+03:00", "2020-04-29T11:00+03:00")]
    )
    programme = attrs.evolve(
        programme,
        people=[Person(id="m", name=name)],
        sessions=[attrs.evolve(programme.sessions[0], title=title)],
    )
    text = to_ical(programme, stamp=STAMP)
    (event,) = events(text)
    assert str(event["SUMMARY"]) == title
    assert f"Moderator: {name}\n" in str(event["DESCRIPTION"])
    (parsed,) = _vobject_calendar(text).vevent_list
    assert parsed.summary.value == title
    assert next(iter(_ics_calendar(text).events)).name == title


# Zones whose clocks change in odd ways: by half an hour (Lord Howe), with negative DST
# (Dublin), back and forth within a year (Casablanca), or for good (Moscow, 2011/2014).
_CHANGING_ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Europe/Moscow",
    "Asia/Tehran",
)


@functools.cache
def clock_changes() -> tuple[tuple[str, _dt.datetime], ...]:
    """(zone, instant) of every change of UTC offset in 2010-2030 in the zones above."""
    found = []
    for name in _CHANGING_ZONES:
        zone = zoneinfo.ZoneInfo(name)
        at = _dt.datetime(2010, 1, 1, tzinfo=_dt.UTC)
        while at.year < 2031:
            step = at + _dt.timedelta(days=1)
            if at.astimezone(zone).utcoffset() != step.astimezone(zone).utcoffset():
                low, high = at, step  # bisect to the second
                while high - low > _dt.timedelta(seconds=1):
                    middle = low + (high - low) / 2
                    same = middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset()
                    low, high = (middle, high) if same else (low, middle)
                found.append((name, high.replace(microsecond=0)))
            at = step
    return tuple(found)


@given(
    change=st.sampled_from(clock_changes()),
    spans=st.lists(
        st.tuples(st.integers(-4 * 3600, 4 * 3600), st.integers(1, 5 * 3600)),
        min_size=1,
        max_size=4,
    ),
)
def test_sessions_around_clock_changes(
    change: tuple[str, _dt.datetime], spans: list[tuple[int, int]]
) -> None:
    zone, at = change
    second = _dt.timedelta(seconds=1)
    programme = small_programme(
        zone,
        [
            ((at + a * second).isoformat(), (at + (a + length) * second).isoformat())
            for a, length in spans
        ],
    )
    assert_agrees(to_ical(programme, stamp=STAMP, zone=zone), expected_spans(programme), zone=zone)


def test_there_are_clock_changes_to_draw_from() -> None:
    zones = Counter(zone for zone, _ in clock_changes())
    assert set(zones) == set(_CHANGING_ZONES)
    # 2010 (spring and autumn), 2011 (to +04 for good), 2014 (back to +03 for good)
    assert zones["Europe/Moscow"] == 4


@pytest.mark.parametrize(
    ("zone", "end", "wrong"),
    [
        ("Europe/Dublin", "2026-10-25T02:00Z", "2026-10-25T01:00Z"),
        ("Africa/Casablanca", "2019-05-05T03:00Z", "2019-05-05T02:00Z"),
    ],
)
def test_ics_misreads_the_hour_after_a_negative_dst_fold(zone: str, end: str, wrong: str) -> None:
    """A known limit of a reader, not of the calendar: three parsers agree, ics does not.

    If this starts failing, dateutil (under ics) reads negative DST right: drop the
    exception in ``assert_agrees``.
    """
    start = to_instant(end) - _dt.timedelta(hours=2)
    programme = small_programme(zone, [(start.isoformat(), end)])
    text = to_ical(programme, stamp=STAMP, zone=zone)
    right = assert_agrees(text, expected_spans(programme), zone=zone)
    assert list(right.values()) == [(start, to_instant(end))]
    assert list(by_ics(text).values()) == [(start, to_instant(wrong))]


def _folded(text: str) -> Iterator[str]:
    yield from text.split("\r\n")


@given(programme=mst.programmes(min_sessions=1, max_sessions=4), zone=st.none() | mst.zones())
def test_lines_are_crlf_and_at_most_75_octets(programme: Programme, zone: str | None) -> None:
    text = to_ical(programme, stamp=STAMP, zone=zone)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in _folded(text))
