"""frab/pentabarf schedule.xml and c3voc schedule.json: reading, writing, round trips.

Tests that read the four real schedules in ``../shared/data/schedules`` skip, with the
reason, where that folder is absent.
"""

import datetime as _dt
import json
import re
import unicodedata
import uuid
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped] # jsonschema ships no type stubs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmso_core import (
    InvalidValueError,
    NonexistentTimeError,
    UnknownZoneError,
    to_instant,
)
from mmso_core.io.frab import GUID_NAMESPACE, SCHEMA_URL, dumps_json, load
from mmso_core.samples import mmso_2020
from mmso_core.schedule import (
    Channel,
    Person,
    Phase,
    Programme,
    Role,
    Salon,
    Session,
    SessionFormat,
    check,
)
from mmso_core.testing import strategies as mst

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE / "data" / "c3voc-schema" / "schedule.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft6Validator(
    SCHEMA, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
)
SCHEDULES = Path(__file__).resolve().parents[2] / "shared" / "data" / "schedules"


def schema_errors(text: str) -> list[str]:
    """Every c3voc schema error of a document, plus date-times the schema cannot check.

    jsonschema checks ``date`` and ``uuid`` formats itself; ``date-time`` needs a
    package that is not installed, so this checks that every date-time parses and
    carries an offset.
    """
    document = json.loads(text)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]
    for day in document["schedule"]["conference"]["days"]:
        stamps = [day["day_start"], day["day_end"]]
        for events in day["rooms"].values():
            stamps.extend(stamp for event in events for stamp in (event["date"], event["end"]))
        errors.extend(
            f"naive date-time {stamp}"
            for stamp in stamps
            if _dt.datetime.fromisoformat(stamp).utcoffset() is None
        )
    return errors


def key(title: str) -> str:
    """A title without case, accents and punctuation."""
    plain = unicodedata.normalize("NFKD", title.casefold())
    return "".join(ch for ch in plain if ch.isalnum() and not unicodedata.combining(ch))


# --- the four real schedules --------------------------------------------------------------

REAL = {  # file: (zone argument, events in SOURCES.md, rooms, the salon's zone)
    "pyfahrplan-rc3.json": (None, 442, 21, "Europe/Berlin"),
    "debconf23.xml": (None, 117, 5, "Asia/Kolkata"),
    "36c3_merged.xml": ("Europe/Berlin", 1351, 92, "Europe/Berlin"),
    "fosdem_2021.xml": ("Europe/Brussels", 773, 108, "Europe/Brussels"),
}


@pytest.fixture(scope="module")
def real() -> dict[str, Programme]:
    if not SCHEDULES.is_dir():
        pytest.skip(f"the shared schedules are absent ({SCHEDULES})")
    return {name: load(SCHEDULES / name, zone=zone) for name, (zone, *_) in REAL.items()}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_schedule_imports_every_event(real: dict[str, Programme], name: str) -> None:
    _, events, rooms, zone = REAL[name]
    programme = real[name]
    assert len(programme.sessions) == events
    assert len(programme.channels) == rooms
    assert programme.salon.zone == zone
    (phase,) = programme.salon.phases
    window = phase.interval(zone)
    assert all(window.covers(session.interval) for session in programme.sessions)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pyfahrplan-rc3.json", ("11583", "2020-12-27T12:20:00+01:00", 30, "rC1")),
        # DebConf writes UTC date-times and local <start> wall times: 05:00Z is 10:30 IST
        ("debconf23.xml", ("35", "2023-09-10T10:30:00+05:30", 20, "Anamudi")),
        ("36c3_merged.xml", ("11223", "2019-12-27T11:00:00+01:00", 30, "Ada")),
        # FOSDEM: <start>09:00</start> on the day 2021-02-06, naive, read in Brussels
        ("fosdem_2021.xml", ("11795", "2021-02-06T09:00:00+01:00", 25, "K.fosdem")),
    ],
)
def test_real_start_instants_are_right_in_their_zone(
    real: dict[str, Programme], name: str, expected: tuple[str, str, int, str]
) -> None:
    session_id, local_start, minutes, channel = expected
    session = real[name].session(session_id)
    assert session.starts_at == to_instant(local_start)
    assert session.duration == _dt.timedelta(minutes=minutes)
    assert session.channel == channel


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_schedule_checks_without_double_booking_simulcasts(
    real: dict[str, Programme], name: str
) -> None:
    programme = real[name]
    report = check(programme)
    for violation in report.violations:
        if violation.code != "person-double-booked":
            continue
        _, first, second = violation.subjects
        a, b = programme.session(first), programme.session(second)
        same_talk = (
            a.starts_at == b.starts_at and a.channel != b.channel and key(a.title) == key(b.title)
        )
        assert not same_talk, violation.message()
    for session in programme.sessions:
        if session.relay_of is not None:
            original = programme.session(session.relay_of)
            assert original.channel != session.channel
            assert key(original.title).startswith(key(session.title)) or key(
                session.title
            ).startswith(key(original.title))


def test_rc3_simulcasts_are_relays(real: dict[str, Programme]) -> None:
    programme = real["pyfahrplan-rc3.json"]
    report = check(programme)
    assert not [v for v in report.violations if v.code == "person-double-booked"]
    relays = {s.id: s.relay_of for s in programme.sessions if s.relay_of is not None}
    assert relays["61895"] == "11566"  # rC2 and xHain Berlin, same talk, other person ids
    assert relays["474822"] == "523284"  # same person ids in both rooms
    assert relays["814692"] == "119874"  # c-base's stream ends 2 minutes early
    # the one real channel overlap SOURCES.md names is still reported
    overlaps = [v for v in report.violations if v.code == "channel-overlap"]
    assert [v.subjects[0] for v in overlaps] == ["KreaturWorks"]


def test_rc3_events_without_persons(real: dict[str, Programme]) -> None:
    programme = real["pyfahrplan-rc3.json"]
    nobody = [s for s in programme.sessions if not s.people()]
    assert len(nobody) == 65
    assert all(person.zone == "Europe/Berlin" for person in programme.people)


def test_36c3_duplicate_ids_and_anonymous_people(real: dict[str, Programme]) -> None:
    programme = real["36c3_merged.xml"]
    suffixed = [s.id for s in programme.sessions if s.id.endswith("-2")]
    assert len(suffixed) == 13
    ids = {p.id for p in programme.people}
    assert "0" not in ids  # wiki people with id="0" are told apart by name
    assert "Katti" in ids
    last = max(programme.sessions, key=lambda s: s.ends_at)
    assert last.ends_at == to_instant("2019-12-31T06:00:00+01:00")


def test_36c3_without_zone_keeps_its_instants() -> None:
    if not SCHEDULES.is_dir():
        pytest.skip(f"the shared schedules are absent ({SCHEDULES})")
    programme = load(SCHEDULES / "36c3_merged.xml")
    assert programme.salon.zone == "UTC"
    assert programme.session("11223").starts_at == to_instant("2019-12-27T10:00:00Z")
    assert all(person.zone is None for person in programme.people)


def test_debconf_phase_uses_local_days(real: dict[str, Programme]) -> None:
    (phase,) = real["debconf23.xml"].salon.phases
    # the file's first <day date="2023-09-09"> is a UTC date; locally it is the 10th
    assert phase.first_day == _dt.date(2023, 9, 10)
    assert phase.name == "DebConf 23"


def test_fosdem_needs_a_zone() -> None:
    if not SCHEDULES.is_dir():
        pytest.skip(f"the shared schedules are absent ({SCHEDULES})")
    with pytest.raises(InvalidValueError) as caught:
        load(str(SCHEDULES / "fosdem_2021.xml"))
    assert caught.value.field == "/schedule/day[1]/room[@name='K.fosdem']/event[1]/start"
    assert "zone=" in str(caught.value)


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_schedule_exports_valid_json_that_reads_back(
    real: dict[str, Programme], name: str
) -> None:
    programme = real[name]
    text = dumps_json(programme)
    assert schema_errors(text) == []
    again = load(text)
    assert {s.id: s for s in again.sessions} == {s.id: s for s in programme.sessions}
    assert again.channels == programme.channels


# --- reading: documented behaviours --------------------------------------------------------


def json_schedule(days: list[dict[str, Any]], **conference: Any) -> str:  # a small c3voc file
    body = {"title": "Demo", "acronym": "demo", **conference, "days": days}
    return json.dumps({"schedule": {"version": "1", "conference": body}})


def event(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": 1, "title": "Talk", "start": "10:00", "duration": "00:30"}
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def xml_schedule(rooms: str, conference: str = "") -> str:
    return (
        f"<schedule><conference><title>Demo</title>{conference}</conference>"
        f'<day index="1" date="2026-06-01">{rooms}</day></schedule>'
    )


def test_naive_times_take_the_files_zone() -> None:
    text = json_schedule(
        [{"date": "2026-06-01", "rooms": {"Saal 1": [event()]}}], time_zone_name="Europe/Berlin"
    )
    session = load(text).session("1")
    assert session.starts_at == to_instant("2026-06-01T10:00+02:00")
    assert session.ends_at == to_instant("2026-06-01T10:30+02:00")


def test_zone_argument_overrides_the_file() -> None:
    text = json_schedule(
        [{"date": "2026-06-01", "rooms": {"Saal 1": [event()]}}], time_zone_name="Europe/Berlin"
    )
    programme = load(text, zone="Europe/Samara")
    assert programme.salon.zone == "Europe/Samara"
    assert programme.session("1").starts_at == to_instant("2026-06-01T10:00+04:00")


def test_an_offset_in_date_wins_over_start() -> None:
    text = json_schedule(
        [
            {
                "date": "2026-06-01",
                "rooms": {"Saal 1": [event(date="2026-06-01T05:00:00+00:00", start="10:30")]},
            }
        ],
        time_zone_name="Asia/Kolkata",
    )
    assert load(text).session("1").starts_at == to_instant("2026-06-01T10:30+05:30")


def test_naive_date_is_read_in_the_zone_and_end_wins_over_duration() -> None:
    text = json_schedule(
        [
            {
                "date": "2026-06-01",
                "rooms": {
                    "Saal 1": [event(date="2026-06-01T10:00:00", end="2026-06-01T11:15:00+02:00")]
                },
            }
        ]
    )
    session = load(text, zone="Europe/Berlin").session("1")
    assert session.duration == _dt.timedelta(minutes=75)


def test_error_names_the_path_of_bad_input() -> None:
    good = [event(id=n) for n in range(1, 4)]
    text = json_schedule(
        [
            {"date": "2026-06-01", "rooms": {"Saal 1": good}},
            {"date": "2026-06-02", "rooms": {"Saal 1": [*good, event(id=9, start="25:99")]}},
        ],
        time_zone_name="Europe/Berlin",
    )
    with pytest.raises(InvalidValueError) as caught:
        load(text)
    assert caught.value.field == "schedule.conference.days[1].rooms['Saal 1'][3].start"
    assert str(caught.value).startswith("schedule.conference.days[1].rooms['Saal 1'][3].start:")


@pytest.mark.parametrize(
    ("fields", "path", "words"),
    [
        ({"start": None}, ".start", "needs a date-time"),
        ({"start": "noon"}, ".start", "must be a time HH:MM"),
        ({"duration": "half an hour"}, ".duration", "duration H:MM"),
        ({"date": "2026-06-01Tnoon"}, ".date", "ISO 8601"),
        ({"end": "2026-06-01T09:00:00+02:00"}, ".end", "end after it starts"),
        ({"persons": "Ada"}, ".persons", "list of persons"),
        ({"persons": [3]}, ".persons[0]", "person object"),
    ],
)
def test_bad_event_fields(fields: dict[str, Any], path: str, words: str) -> None:
    text = json_schedule(
        [{"date": "2026-06-01", "rooms": {"Saal 1": [event(**fields)]}}],
        time_zone_name="Europe/Berlin",
    )
    with pytest.raises(InvalidValueError) as caught:
        load(text)
    assert caught.value.field == "schedule.conference.days[0].rooms['Saal 1'][0]" + path
    assert words in str(caught.value)


def test_naive_time_without_zone_is_refused_with_its_path() -> None:
    text = json_schedule([{"date": "2026-06-01", "rooms": {"Saal 1": [event()]}}])
    with pytest.raises(InvalidValueError, match="no time_zone_name") as caught:
        load(text)
    assert caught.value.field == "schedule.conference.days[0].rooms['Saal 1'][0].start"


def test_missing_day_date_for_a_start_time() -> None:
    text = json_schedule([{"rooms": {"Saal 1": [event()]}}], time_zone_name="Europe/Berlin")
    with pytest.raises(InvalidValueError, match="needs the day's date") as caught:
        load(text)
    assert caught.value.field == "schedule.conference.days[0].date"


def test_wall_times_in_a_gap() -> None:
    text = json_schedule(
        [{"date": "2026-03-29", "rooms": {"Saal 1": [event(start="02:30")]}}],
        time_zone_name="Europe/Berlin",
    )
    moved = load(text).session("1")  # "compatible": forward by the gap
    assert moved.starts_at == to_instant("2026-03-29T03:30+02:00")
    with pytest.raises(NonexistentTimeError) as caught:
        load(text, disambiguate="raise")
    assert caught.value.field == "schedule.conference.days[0].rooms['Saal 1'][0].start"


def test_day_change_moves_early_times_to_the_next_day() -> None:
    text = xml_schedule(
        '<room name="A"><event id="1"><start>01:30</start><duration>00:30</duration>'
        "<title>Late</title></event></room>",
        "<day_change>04:00</day_change>",
    )
    session = load(text, zone="Europe/Berlin").session("1")
    assert session.starts_at == to_instant("2026-06-02T01:30+02:00")


def test_lenient_defaults() -> None:
    text = json_schedule(
        [
            {
                "date": "2026-06-01",
                "rooms": {
                    "Saal 1": [
                        {"start": "10:00", "slug": "no-title"},  # no id, title, duration, persons
                        {"start": "11:00", "guid": "7d4e278c-faa9-5f16-8fbf-f6d3a7d3462f"},
                        {"start": "12:00", "duration": "0:00", "id": 5, "title": "Zero"},
                    ],
                    "Empty room": [],
                },
            }
        ],
        time_zone_name="Europe/Berlin",
        timeslot_duration="00:10",
    )
    programme = load(text)
    first, second, third = programme.sessions
    assert (first.id, first.title, first.duration) == (
        "no-title",
        "no-title",
        _dt.timedelta(minutes=10),
    )
    assert second.id == "7d4e278c-faa9-5f16-8fbf-f6d3a7d3462f"
    assert second.title == "event 7d4e278c-faa9-5f16-8fbf-f6d3a7d3462f"
    assert third.duration == _dt.timedelta(minutes=10)
    assert first.format is SessionFormat.OTHER
    assert [c.id for c in programme.channels] == ["Saal 1", "Empty room"]
    assert programme.salon.name == "Demo"


def test_events_without_any_id_and_repeated_ids() -> None:
    rooms = '<room name="A">' + "<event><start>10:00</start><title>T</title></event>" * 2
    rooms += '<event id="3"><start>11:00</start><title>U</title></event>' * 3
    rooms += '<event id="3-2"><start>12:00</start><title>V</title></event></room>'
    programme = load(xml_schedule(rooms), zone="Europe/Berlin")
    assert [s.id for s in programme.sessions] == ["event-1", "event-2", "3", "3-3", "3-4", "3-2"]


def test_roles_are_kept_where_the_file_has_them() -> None:
    persons = (
        '<person id="1" role="moderator">Mod</person><person id="2">Ann</person>'
        '<person id="3" role="moderator">Second</person><person id="2">Ann</person>'
        '<person id="4" role="technician">Tech</person>'
        '<person id="5" role="chat-expert">Chat</person><person id="6" role="poet">Bo</person>'
    )
    text = xml_schedule(
        f'<room name="A"><event id="1"><start>10:00</start><title>T</title>'
        f"<persons>{persons}</persons></event></room>"
    )
    session = load(text, zone="Europe/Berlin").session("1")
    assert session.moderator == "1"
    assert session.speakers == ("2", "3", "6")  # a second moderator speaks; a poet too
    assert (session.technician, session.chat_expert) == ("4", "5")
    json_text = json_schedule(
        [
            {
                "date": "2026-06-01",
                "rooms": {
                    "A": [
                        event(
                            persons=[
                                {"id": 1, "public_name": "Mod", "role": "Moderator"},
                                {"code": "X7", "name": "Ann"},
                                "Just A Name",
                            ]
                        )
                    ]
                },
            }
        ],
        time_zone_name="Europe/Berlin",
    )
    programme = load(json_text)
    session = programme.session("1")
    assert session.people() == (
        ("1", Role.MODERATOR),
        ("X7", Role.SPEAKER),
        ("Just A Name", Role.SPEAKER),
    )
    assert programme.person("X7").name == "Ann"


def test_people_ids_shared_by_several_names() -> None:
    rooms = (
        '<room name="A">'
        '<event id="1"><start>10:00</start><title>T</title><persons>'
        '<person id="7">Ann</person><person id="0">Kim</person></persons></event>'
        '<event id="2"><start>11:00</start><title>U</title><persons>'
        '<person id="7">Bob</person><person id="0">Lee</person><person id="0">Kim</person>'
        '<person id="">Kim</person><person id=""></person></persons></event></room>'
    )
    programme = load(xml_schedule(rooms), zone="Europe/Berlin")
    assert {p.id: p.name for p in programme.people} == {
        "7/Ann": "Ann",
        "Kim": "Kim",
        "7/Bob": "Bob",
        "Lee": "Lee",
    }
    assert programme.session("2").speakers == ("7/Bob", "Lee", "Kim")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("lecture", SessionFormat.LECTURE),
        ("Talk", SessionFormat.TALK),
        ("Long talk (45 minutes)", SessionFormat.TALK),
        ("Lightning Talk", SessionFormat.TALK),
        ("lightningtalk", SessionFormat.TALK),
        ("Workshop (2h)", SessionFormat.WORKSHOP),
        ("hands-on", SessionFormat.WORKSHOP),
        ("BoF (45 minutes)", SessionFormat.ROUND_TABLE),
        ("meeting", SessionFormat.ROUND_TABLE),
        ("Podium", SessionFormat.PANEL),
        ("discussion", SessionFormat.DEBATE),
        ("round-table", SessionFormat.ROUND_TABLE),
        ("Round table", SessionFormat.ROUND_TABLE),  # regression: words apart
        ("project session", SessionFormat.PROJECT_SESSION),
        ("djset", SessionFormat.OTHER),
        ("", SessionFormat.OTHER),
    ],
)
def test_formats_from_types(kind: str, expected: SessionFormat) -> None:
    text = json_schedule(
        [{"date": "2026-06-01", "rooms": {"A": [event(type=kind)]}}],
        time_zone_name="Europe/Berlin",
    )
    assert load(text).session("1").format is expected


def simulcast_file(second_room: str, second_person: str, second_end: str = "00:30") -> str:
    return xml_schedule(
        '<room name="A"><event id="1"><start>10:00</start><duration>00:30</duration>'
        "<title>The Big Melt!</title><persons><person id='1'>Ricarda W.</person></persons>"
        f'</event></room><room name="{second_room}"><event id="2"><start>10:00</start>'
        f"<duration>{second_end}</duration><title>the big melt</title><persons>"
        f"<person id='9'>{second_person}</person></persons></event></room>"
    )


def test_a_talk_streamed_in_two_rooms_is_a_relay() -> None:
    programme = load(simulcast_file("B", "Ricarda W."), zone="Europe/Berlin")
    assert programme.session("2").relay_of == "1"
    assert not [v for v in check(programme).violations if v.code == "person-double-booked"]
    shifted = load(simulcast_file("B", "Ricarda W.", "00:28"), zone="Europe/Berlin")
    assert shifted.session("2").relay_of == "1"  # a relay runs at its original's times
    assert shifted.session("2").ends_at == shifted.session("1").ends_at


@pytest.mark.parametrize(
    ("room", "person", "end"),
    [("A", "Ricarda W.", "00:30"), ("B", "Someone Else", "00:30"), ("B", "Ricarda W.", "00:45")],
)
def test_not_a_relay(room: str, person: str, end: str) -> None:
    programme = load(simulcast_file(room, person, end), zone="Europe/Berlin")
    assert programme.session("2").relay_of is None


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{not json", "not valid JSON"),
        ("<schedule><day></schedule>", "not well-formed XML"),
        ("<calendar/>", "must be <schedule>"),
        ("schedule\n.xml", "neither a path nor a schedule"),
        ('["a list"]', "must be a JSON object"),
        ("[1, 2", "not valid JSON"),
        ('{"schedule": []}', "must be an object"),
        ('{"schedule": {"conference": 3}}', "the conference"),
        ('{"schedule": {"conference": {"days": {}}}}', "must be a list"),
        ('{"schedule": {"conference": {"days": [3]}}}', "must be an object"),
        ('{"schedule": {"conference": {"days": [{"rooms": []}]}}}', "map room names"),
        ('{"schedule": {"conference": {"days": [{"rooms": {"A": 3}}]}}}', "must be a list"),
        ('{"schedule": {"conference": {"days": [{"rooms": {" ": []}}]}}}', "needs a name"),
        ('{"schedule": {"conference": {"days": [{"rooms": {"A": [3]}}]}}}', "must be an object"),
        ("<schedule><day><room/></day></schedule>", "needs a name attribute"),
        ("<schedule/>", "nothing dates it"),
    ],
)
def test_unreadable_sources(source: str, words: str) -> None:
    with pytest.raises(InvalidValueError, match=re.escape(words)):
        load(source)


def test_a_bare_conference_object_and_a_json_root_that_is_not_an_object() -> None:
    body = {"conference": {"title": "Bare", "days": [{"date": "2026-06-01", "rooms": {}}]}}
    with pytest.raises(InvalidValueError, match="nothing dates it"):
        load(json.dumps(body))
    body["conference"]["start"] = "2026-06-01"
    assert load(json.dumps(body)).salon.phases[0].first_day == _dt.date(2026, 6, 1)
    with pytest.raises(InvalidValueError, match="must be an object"):
        load('{"x": 1}')  # neither a schedule nor a conference: no conference object


def test_paths_and_text(tmp_path: Path) -> None:
    text = simulcast_file("B", "Ricarda W.")
    target = tmp_path / "schedule.xml"
    target.write_text(text, encoding="utf-8")
    assert load(target, zone="Europe/Berlin") == load(str(target), zone="Europe/Berlin")
    assert load(text, zone="Europe/Berlin") == load(target, zone="Europe/Berlin")
    with pytest.raises(InvalidValueError, match="cannot be read") as caught:
        load(tmp_path / "missing.xml")
    assert caught.value.field == "source"
    with pytest.raises(InvalidValueError, match="must be a path"):
        load(b"<schedule/>")  # type: ignore[arg-type] # the wrong type on purpose


def test_unknown_and_fixed_zones() -> None:
    text = json_schedule(
        [{"date": "2026-06-01", "rooms": {"A": [event()]}}], time_zone_name="Europe/Samarra"
    )
    with pytest.raises(UnknownZoneError) as caught:
        load(text)
    assert caught.value.field == "schedule.conference.time_zone_name"
    with pytest.raises(InvalidValueError, match="fixed offset"):
        load(text, zone=_dt.timezone(_dt.timedelta(hours=3)))


# --- writing ------------------------------------------------------------------------------


def test_sample_exports_valid_c3voc_json() -> None:
    programme = mmso_2020()
    text = dumps_json(programme)
    assert schema_errors(text) == []
    document = json.loads(text)
    assert document["$schema"] == SCHEMA_URL
    conference = document["schedule"]["conference"]
    assert conference["time_zone_name"] == "Europe/Moscow"
    assert conference["daysCount"] == len(conference["days"])
    first = programme.ordered[0]
    guid = str(uuid.uuid5(GUID_NAMESPACE, f"session:{first.id}"))
    (entry,) = [
        e
        for day in conference["days"]
        for events in day["rooms"].values()
        for e in events
        if e["guid"] == guid
    ]
    assert entry["date"] == "2020-04-26T10:00:00+03:00"
    assert entry["start"] == "10:00"
    assert entry["duration"] == "1:30"
    assert [p["role"] for p in entry["persons"]][:2] == ["moderator", "speaker"]
    assert carried(load(text)) == carried(programme)


def test_channels_sharing_a_name_and_zones_outside_the_schema_pattern() -> None:
    salon = Salon(
        name="ab",
        zone="Etc/GMT-3",
        phases=[Phase(kind="main", name="Main", first_day="2026-06-01", last_day="2026-06-01")],
    )
    programme = Programme(
        salon=salon,
        people=[Person(id="p", name="Ann", region="RU-SAM")],
        channels=[Channel(id="a", name="Hall"), Channel(id="b", name="Hall", url="https://x.org/")],
        sessions=[
            Session(
                id="s",
                title="T",
                format="talk",
                starts_at="2026-06-01T10:00+03:00",
                ends_at="2026-06-01T10:30:15.5+03:00",
                channel="b",
            )
        ],
    )
    text = dumps_json(programme)
    assert schema_errors(text) == []
    conference = json.loads(text)["schedule"]["conference"]
    assert "time_zone_name" not in conference  # the schema's pattern refuses Etc/GMT-3
    assert [room["name"] for room in conference["rooms"]] == ["Hall (a)", "Hall (b)"]
    assert re.fullmatch(r"mmso_[0-9a-f]{8}", conference["acronym"])
    again = load(text)
    assert again.salon.zone == "Etc/GMT-3"
    assert again.channels == programme.channels
    assert again.sessions == programme.sessions
    assert [(p.id, p.name, p.region) for p in again.people] == [("p", "Ann", None)]


def test_without_meta_the_c3voc_fields_still_carry_times_rooms_and_people() -> None:
    programme = mmso_2020()
    document = json.loads(dumps_json(programme))
    del document["schedule"]["conference"]["meta"]
    again = load(json.dumps(document))
    again_sessions = sorted(again.sessions, key=lambda s: int(s.id))
    by_start = sorted(programme.sessions, key=lambda s: (s.starts_at, s.ends_at, s.id))
    assert [(s.starts_at, s.ends_at, s.title) for s in again_sessions] == [
        (s.starts_at, s.ends_at, s.title) for s in by_start
    ]
    assert [s.id for s in again_sessions] == [str(n) for n in range(1, len(by_start) + 1)]
    names = {c.id: c.name for c in programme.channels}
    assert [s.channel for s in again_sessions] == [names[s.channel] for s in by_start]


def test_dumps_refuses_what_it_cannot_write() -> None:
    with pytest.raises(InvalidValueError, match="must be a Programme"):
        dumps_json("programme")  # type: ignore[arg-type] # the wrong type on purpose
    empty = Programme(salon=Salon(name="Empty", zone="UTC"), people=[], channels=[], sessions=[])
    with pytest.raises(InvalidValueError, match="nothing dates the conference"):
        dumps_json(empty)


# --- the round trip -----------------------------------------------------------------------


def carried(programme: Programme) -> dict[str, Any]:
    """What c3voc carries (with the ids in ``meta``); see the module docstring."""
    return {
        "salon": (programme.salon.name, programme.salon.zone),
        "sessions": {
            s.id: (
                s.title,
                s.format,
                s.cluster,
                s.starts_at,
                s.ends_at,
                s.channel,
                s.people(),
                s.relay_of,
            )
            for s in programme.sessions
        },
        "channels": {c.id: (c.name, c.url) for c in programme.channels},
        "people": {p.id: p.name for p in programme.people},
    }


@settings(max_examples=40)
@given(mst.programmes(max_sessions=12))
def test_round_trip_keeps_what_c3voc_carries(programme: Programme) -> None:
    text = dumps_json(programme)
    assert schema_errors(text) == []
    again = load(text)
    assert carried(again) == carried(programme)
    (phase,) = again.salon.phases
    window = phase.interval(again.salon.zone)
    assert all(window.covers(s.interval) for s in again.sessions)
    assert all(p.zone == programme.salon.zone for p in again.people)


@given(
    st.builds(
        lambda start, minutes: (start, start + _dt.timedelta(minutes=minutes)),
        mst.instants(),
        st.integers(1, 600),
    ),
    st.sampled_from(
        ["Europe/Moscow", "Asia/Kamchatka", "America/Sao_Paulo", "Australia/Lord_Howe"]
    ),
)
def test_round_trip_keeps_any_instant_in_any_zone(
    span: tuple[_dt.datetime, _dt.datetime], zone: str
) -> None:
    start, end = span
    salon = Salon(name="Round trip", zone=zone)
    programme = Programme(
        salon=salon,
        people=[],
        channels=[Channel(id="c", name="C")],
        sessions=[
            Session(id="s", title="T", format="talk", starts_at=start, ends_at=end, channel="c")
        ],
    )
    text = dumps_json(programme)
    assert schema_errors(text) == []
    assert load(text).sessions == programme.sessions


def test_odd_but_readable_inputs() -> None:
    text = json_schedule(
        [
            {
                "date": "2026-06-01",
                "rooms": {
                    "A": [
                        event(start="2026-06-01T10:00:00+02:00"),  # a date-time in "start"
                        event(
                            id=2,
                            start="11:00",
                            persons=[
                                {"id": 7, "name": "Ann"},
                                {"id": 7, "name": "Bob"},
                                {"id": "7/Ann", "name": "Zed"},  # the id Ann would get
                            ],
                        ),
                    ]
                },
            }
        ],
        time_zone_name="Europe/Berlin",
        start="not a date",  # lenient: a bad conference date widens nothing
        rooms=[{"name": "A"}, "B", {"name": "A"}, {"guid": "no name"}],
    )
    programme = load(text)
    assert programme.session("1").starts_at == to_instant("2026-06-01T10:00+02:00")
    assert programme.session("2").speakers == ("7/Ann#2", "7/Bob", "7/Ann")
    assert [c.id for c in programme.channels] == ["A", "B"]
    assert programme.salon.phases[0].first_day == _dt.date(2026, 6, 1)


def test_bad_day_date() -> None:
    text = json_schedule(
        [{"date": "June 1st", "rooms": {"A": [event()]}}], time_zone_name="Europe/Berlin"
    )
    with pytest.raises(InvalidValueError, match="YYYY-MM-DD") as caught:
        load(text)
    assert caught.value.field == "schedule.conference.days[0].date"


def test_meta_of_other_events_turns_detection_off() -> None:
    programme = load(simulcast_file("B", "Ricarda W."), zone="Europe/Berlin")
    document = json.loads(dumps_json(programme))
    day = document["schedule"]["conference"]["days"][0]
    extra = {**day["rooms"]["B"][0], "guid": str(uuid.uuid4()), "id": 99}
    day["rooms"]["B"].append(extra)  # an event our meta does not know: its id is its own
    again = load(json.dumps(document))
    assert again.session("2").relay_of == "1"  # from meta
    assert again.session("99").relay_of is None  # no detection in a file that has meta


def test_titles_of_punctuation_alone_match_only_themselves() -> None:
    rooms = (
        '<room name="A"><event id="1"><start>10:00</start><title>???</title></event></room>'
        '<room name="B"><event id="2"><start>10:00</start><title>Quiz</title></event>'
        '<event id="3"><start>11:00</start><title>!!!</title>'
        '<persons><person id="9">Ann Lee</person></persons></event></room>'
        '<room name="C"><event id="4"><start>11:00</start><title>!!!</title>'
        '<persons><person id="9">Ann Lee</person></persons></event></room>'
    )
    programme = load(xml_schedule(rooms), zone="Europe/Berlin")
    assert [s.relay_of for s in programme.sessions] == [None, None, None, "3"]


def test_events_with_nobody_in_common_are_never_relays() -> None:
    # Regression: 36C3 runs "Translation Team Meeting" in several rooms at once, listing
    # nobody; same title and start alone made them one talk relayed.
    rooms = (
        '<room name="A"><event id="1"><start>10:00</start><title>Team meeting</title></event>'
        "</room>"
        '<room name="B"><event id="2"><start>10:00</start><title>Team meeting</title></event>'
        "</room>"
    )
    programme = load(xml_schedule(rooms), zone="Europe/Berlin")
    assert [s.relay_of for s in programme.sessions] == [None, None]


def test_room_names_stay_distinct() -> None:
    salon = Salon(
        name="Rooms",
        zone="Europe/Moscow",
        phases=[Phase(kind="main", name="Main", first_day="2026-06-01", last_day="2026-06-01")],
    )
    channels = [
        Channel(id="a", name="Hall"),
        Channel(id="b", name="Hall"),
        Channel(id="c", name="Hall (a)"),
    ]
    programme = Programme(salon=salon, people=[], channels=channels, sessions=[])
    text = dumps_json(programme)
    rooms = json.loads(text)["schedule"]["conference"]["rooms"]
    assert [room["name"] for room in rooms] == ["Hall (a) #2", "Hall (b)", "Hall (a)"]
    assert load(text).channels == programme.channels
