"""``mmso_core.io.json``: lossless round trips, every problem with its path, the schema."""

import datetime as _dt
import enum
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import jsonschema  # type: ignore[import-untyped] # no stubs: types-jsonschema is not a dev dependency
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmso_core import Instant, MissingExtraError, ModelError, UnknownZoneError, to_instant
from mmso_core.errors import InvalidValueError, UnknownIdError
from mmso_core.exhibition import Exhibition
from mmso_core.io import json as mjson
from mmso_core.io.json import FORMAT, KINDS, dumps, loads, schema
from mmso_core.moderation import (
    ChatMessage,
    Policy,
    Role,
)
from mmso_core.samples import exhibition_2020, mmso_2020, samara_broadcast
from mmso_core.schedule import Broadcast, BroadcastEvent, Programme, Session
from mmso_core.schedule import Role as SessionRole
from mmso_core.testing import strategies as mst

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "docs" / "reference" / "mmso-1.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(
    schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
_ids = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)


def crewed_sessions() -> st.SearchStrategy[Session]:
    """Sessions someone can run on air (a technician or a moderator)."""
    return mst.sessions().filter(lambda s: s.technician is not None or s.moderator is not None)


def write_schema() -> None:
    """Write the generated schema to the docs (run by hand when the types change)."""
    text = json.dumps(schema(), indent=2, ensure_ascii=False)
    SCHEMA_FILE.write_text(text + "\n", encoding="utf-8")


def _valid(text: str) -> None:
    """The text is one JSON document valid against the published schema."""
    VALIDATOR.validate(json.loads(text))


def _problems(text: str, cls: Any) -> tuple[str, ...]:
    with pytest.raises(ModelError) as caught:
        loads(text, cls)
    return caught.value.problems


# --- round trips ----------------------------------------------------------------------


@given(mst.programmes(max_sessions=10))
def test_programmes_round_trip_and_match_the_schema(programme: Programme) -> None:
    text = dumps(programme)
    assert loads(text, type(programme)) == programme
    _valid(text)


@given(mst.programmes(max_sessions=6), mst.zones())
def test_any_zone_gives_the_same_instants_back(programme: Programme, zone: str) -> None:
    text = dumps(programme, zone=zone)
    assert f"[{zone}]" in text or not programme.sessions
    assert loads(text, Programme) == programme


@given(mst.exhibitions())
def test_exhibitions_round_trip_and_match_the_schema(exhibition: Exhibition) -> None:
    text = dumps(exhibition)
    assert loads(text, type(exhibition)) == exhibition
    _valid(text)


@given(st.data(), crewed_sessions())
def test_broadcasts_round_trip_and_match_the_schema(data: st.DataObject, session: Session) -> None:
    broadcast = data.draw(mst.broadcasts(session, max_on_air=data.draw(st.integers(1, 3))))
    text = dumps(broadcast)
    assert loads(text, type(broadcast)) == broadcast
    _valid(text)


@given(st.data(), crewed_sessions())
def test_broadcast_logs_round_trip(data: st.DataObject, session: Session) -> None:
    log = data.draw(mst.broadcast_logs(session))
    text = dumps(log, cls=tuple[BroadcastEvent, ...])
    assert loads(text, type(log)) == log
    assert loads(text, tuple[BroadcastEvent, ...]) == log
    _valid(text)


@given(st.lists(mst.chat_messages(), max_size=6))
def test_chat_logs_round_trip(messages: list[ChatMessage]) -> None:
    log = tuple(messages)
    text = dumps(log, cls=tuple[ChatMessage, ...])
    assert loads(text, type(log)) == log
    assert loads(text, list[ChatMessage]) == messages
    assert loads(text, list) == messages
    _valid(text)


@given(mst.chat_messages())
def test_a_chat_log_says_what_it_logs(message: ChatMessage) -> None:
    text = dumps([message])
    assert json.loads(text)["kind"] == "chat-log"
    assert loads(text, tuple) == (message,)


@pytest.mark.parametrize(
    "value",
    [mmso_2020(), exhibition_2020(), samara_broadcast(), samara_broadcast().log],
    ids=["programme", "exhibition", "broadcast", "broadcast-log"],
)
def test_samples_round_trip_and_match_the_schema(value: Any) -> None:
    text = dumps(value, indent=2)
    assert loads(text, type(value)) == value
    _valid(text)


def test_documents_start_with_format_and_kind() -> None:
    data = json.loads(dumps(mmso_2020()))
    assert list(data)[:3] == ["format", "kind", "salon"]
    assert (data["format"], data["kind"]) == (FORMAT, "programme")
    assert KINDS == (
        "programme", "exhibition", "broadcast", "broadcast-log", "chat-log", "moderation-policy"
    )  # fmt: skip


def test_instants_are_rfc_9557_text_in_the_salon_zone() -> None:
    data = json.loads(dumps(mmso_2020()))
    table = next(s for s in data["sessions"] if s["id"] == "samara-round-table")
    assert table["starts_at"] == "2020-04-29T17:20:00+03:00[Europe/Moscow]"
    log = json.loads(dumps(samara_broadcast().log))
    assert log["events"][0]["at"] == "2020-04-29T14:20:00+00:00[UTC]"


def test_collections_are_written_in_a_stable_order() -> None:
    salon = json.loads(dumps(mmso_2020()))["salon"]
    formats = salon["phases"][1]["policy"]["allowed_formats"]
    assert formats == sorted(formats)
    assert salon["phases"][0]["policy"]["daily_hours"] == ["10:00", "21:00"]


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (_dt.timedelta(0), "PT0S"),
        (_dt.timedelta(minutes=15), "PT15M"),
        (_dt.timedelta(days=2, hours=3, seconds=4, microseconds=500_000), "P2DT3H4.5S"),
        (_dt.timedelta(days=1), "P1D"),
        (-_dt.timedelta(minutes=90, microseconds=1), "-PT1H30M0.000001S"),
    ],
)
def test_durations_are_iso_8601(duration: _dt.timedelta, text: str) -> None:
    assert mjson._write_duration(duration, "UTC") == text
    assert mjson._read_duration(text) == duration


@given(st.timedeltas())
def test_durations_round_trip(duration: _dt.timedelta) -> None:
    assert mjson._read_duration(mjson._write_duration(duration, "UTC")) == duration


def test_times_keep_their_seconds() -> None:
    assert mjson._write_time(_dt.time(9, 30, 15), "UTC") == "09:30:15"
    assert mjson._read_time("09:30:15") == _dt.time(9, 30, 15)


def test_an_instant_in_a_repeated_hour_keeps_its_offset() -> None:
    first = to_instant("2026-10-25T02:30:00+02:00")
    second = to_instant("2026-10-25T02:30:00+01:00")
    written = [mjson._write_instant(i, "Europe/Berlin") for i in (first, second)]
    assert written == [
        "2026-10-25T02:30:00+02:00[Europe/Berlin]",
        "2026-10-25T02:30:00+01:00[Europe/Berlin]",
    ]
    assert [mjson._read_instant(text) for text in written] == [first, second]


# --- problems, all of them, each with its path ------------------------------------------


def _programme_data() -> dict[str, Any]:
    return json.loads(dumps(mmso_2020()))  # type: ignore[no-any-return] # a JSON object


def test_a_naive_time_is_named_with_its_path() -> None:
    data = _programme_data()
    data["sessions"][17]["starts_at"] = "2020-04-29T17:20"
    (problem,) = _problems(json.dumps(data), Programme)
    assert problem.startswith('sessions[17].starts_at: naive time "2020-04-29T17:20"')


def test_every_problem_is_listed() -> None:
    data = _programme_data()
    data["salon"]["phases"][0]["first_day"] = "2020-13-01"
    data["people"][0]["zone"] = 5
    data["sessions"][3]["ends_at"] = "2020-04-29T17:20:00+04:00[Europe/Moscow]"
    data["sessions"][4]["format"] = "party"
    data["sessions"][5]["speakers"] = "p1"
    data["sessions"][6]["colour"] = "red"
    del data["sessions"][7]["title"]
    data["sessions"][8]["starts_at"] = "2020-04-29T17:20:00+03:00[+03:00]"
    data["sessions"][9]["starts_at"] = "2020-04-29T17:20:00+03:00"
    data["sessions"][10]["ends_at"] = data["sessions"][10]["starts_at"]
    data["sessions"][11]["starts_at"] = "2020-04-29T17:20:00+03:00[Europe/Atlantis]"
    data["sessions"][12]["moderator"] = None
    data["sessions"][12]["title"] = ["a title"]
    data["sessions"][13]["audience_regions"] = ["Atlantis"]
    problems = _problems(json.dumps(data), Programme)
    paths = [problem.split(": ")[0] for problem in problems]
    assert paths == [
        "salon.phases[0].first_day",
        "people[0].zone",
        "sessions[3].ends_at",
        "sessions[4].format",
        "sessions[5].speakers",
        "sessions[6].colour",
        "sessions[7].title",
        "sessions[8].starts_at",
        "sessions[9].starts_at",
        "sessions[10].ends_at",
        "sessions[11].starts_at",
        "sessions[12].title",
        "sessions[13].audience_regions",
    ]
    text = "\n".join(problems)
    assert "does not match zone Europe/Moscow" in text
    assert '"party" is not a value of SessionFormat (one of "plenary"' in text
    assert "expected an array, got a string" in text
    assert "unknown field" in text
    assert "is missing" in text
    assert '"+03:00" is an offset, not a zone' in text
    assert "no zone in" in text
    assert "must be after starts_at" in text
    assert 'unknown time zone "Europe/Atlantis"' in text
    assert "expected a string, got an array" in text
    assert "unknown region 'Atlantis'" in text


def test_integrity_problems_of_the_aggregate_are_listed_too() -> None:
    data = _programme_data()
    data["sessions"][2]["channel"] = "nowhere"
    data["sessions"][3]["moderator"] = "nobody"
    problems = _problems(json.dumps(data), Programme)
    assert len(problems) == 2
    assert problems[0].startswith("sessions[2] ('")
    assert problems[0].endswith(".channel: unknown channel 'nowhere'")
    assert problems[1].startswith("sessions[3] ('")
    assert problems[1].endswith(".moderator: unknown person 'nobody'")


def test_exhibition_problems_name_their_paths() -> None:
    data = json.loads(dumps(exhibition_2020()))
    data["stands"][0]["offset"] = "near"
    data["stands"][1]["video"] = {"title": "Video", "duration": "15 minutes"}
    data["floor_plan"]["junctions"][0]["x"] = True
    problems = _problems(json.dumps(data), Exhibition)
    assert [p.split(": ")[0] for p in problems] == [
        "floor_plan.junctions[0].x",
        "stands[0].offset",
        "stands[1].video.duration",
    ]


def test_a_log_that_does_not_replay_is_refused() -> None:
    data = json.loads(dumps(samara_broadcast()))
    data["log"][3] = dict(data["log"][0])
    (problem,) = _problems(json.dumps(data), Broadcast)
    assert problem.startswith("log: cannot go_live while live")


def test_chat_log_problems_name_the_message() -> None:
    message = ChatMessage(
        id="m1", chat="c", author="a", role="visitor", text="hi", sent_at="2020-04-29T17:40Z"
    )
    data = json.loads(dumps([message, attrs.evolve(message, id="m2")]))
    data["messages"][1]["role"] = "troll"
    data["messages"][1]["reply_to"] = "m2"
    data["messages"][0]["sent_at"] = 17
    problems = _problems(json.dumps(data), tuple[ChatMessage, ...])
    assert problems[0].startswith("messages[0].sent_at: expected an RFC 9557 date-time string")
    assert problems[1].startswith(
        'messages[1].role: "troll" is not a value of Role (one of "visitor"'
    )
    data["messages"][1]["role"] = "visitor"
    data["messages"][0]["sent_at"] = "2020-04-29T17:40:00+00:00[UTC]"
    (problem,) = _problems(json.dumps(data), tuple)
    assert problem.startswith("messages[1].reply_to: a message cannot answer itself")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{", "not JSON: Expecting property name"),
        ("[1]", "expected a JSON object, got an array"),
        ('{"kind": "programme"}', "format: is missing"),
        ('{"format": "mmso/2"}', 'format: expected "mmso/1", got "mmso/2"'),
        ('{"format": "mmso/1", "kind": "exhibition"}', 'kind: expected "programme", got'),
        ('{"format": "mmso/1", "kind": "programme", "x": NaN}', "not JSON: NaN is not"),
        ('{"format": "mmso/1", "kind": "programme", "salon": []}', "salon: expected an object"),
    ],
)
def test_documents_that_are_not_mmso_1(text: str, problem: str) -> None:
    assert _problems(text, Programme)[0].startswith(problem)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "expected an RFC 9557 date-time string such as "),
        ("yesterday", 'not an RFC 9557 date-time "yesterday"'),
        ("2020-04-29T17:20:00+03:00[Mars/Olympus]", 'unknown time zone "Mars/Olympus"'),
        ("2020-04-29T17:20:00+03:00[-03:00]", '"-03:00" is an offset, not a zone'),
    ],
)
def test_instants_refused(value: object, problem: str) -> None:
    data = _programme_data()
    data["sessions"][0]["ends_at"] = value
    (found,) = _problems(json.dumps(data), Programme)
    assert found.startswith(f"sessions[0].ends_at: {problem}")


def test_rfc_9557_z_with_a_zone_is_read() -> None:
    assert mjson._read_instant("2020-04-29T14:20:00Z[Europe/Moscow]") == to_instant(
        "2020-04-29T17:20+03:00"
    )


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("first_day", "20200426", 'not a date "YYYY-MM-DD": "20200426"'),
        ("first_day", None, 'expected a date "YYYY-MM-DD", got null'),
        ("name", None, "expected a string, got null"),
        ("policy", {"daily_hours": ["9:30", "25:00"]}, 'not a local time "HH:MM[:SS]": "9:30"'),
        ("policy", {"daily_hours": ["10:00"]}, "expected 2 values, got 1"),
        ("policy", {"max_parallel": 1.5}, "expected an integer, got a number 1.5"),
    ],
)
def test_phase_fields_refused(field: str, value: object, problem: str) -> None:
    data = _programme_data()
    data["salon"]["phases"][0][field] = value
    found = _problems(json.dumps(data), Programme)
    assert found[0].startswith(f"salon.phases[0].{field}")
    assert problem in found[0]


def test_booleans_are_booleans() -> None:
    assert mjson._read_bool(True) is True
    with pytest.raises(ValueError, match="expected true or false, got a number 1"):
        mjson._read_bool(1)


def test_a_bad_exhibition_zone_is_named() -> None:
    data = json.loads(dumps(exhibition_2020()))
    data["zone"] = "Mars/Olympus"
    (problem,) = _problems(json.dumps(data), Exhibition)
    assert problem.startswith("zone: unknown time zone 'Mars/Olympus'")


def test_errors_of_unnamed_fields_stay_at_their_path() -> None:
    error = InvalidValueError(field="day", value="x", reason="must be a date")
    assert mjson._placed(error, "sessions[1]", Session) == (
        "sessions[1]: day: must be a date (got 'x')"
    )
    assert mjson._placed(error, "", Session) == "day: must be a date (got 'x')"
    unknown = UnknownIdError(kind="person", id="p9")
    assert mjson._placed(unknown, "sessions[1]", Session) == "sessions[1]: unknown person id 'p9'"


def test_a_missing_field_is_named() -> None:
    problems = _problems('{"format": "mmso/1", "kind": "programme"}', Programme)
    assert problems == (
        "salon: is missing",
        "people: is missing",
        "channels: is missing",
        "sessions: is missing",
    )


def test_log_documents_hold_only_their_list() -> None:
    head = '{"format": "mmso/1", "kind": "chat-log"'
    assert _problems(head + "}", tuple) == ("messages: is missing",)
    assert _problems(head + ', "messages": [], "x": 1}', tuple) == ("x: unknown field",)
    assert _problems(head + ', "messages": {}}', tuple) == (
        "messages: expected an array, got an object {}",
    )
    assert _problems('{"format": "mmso/1", "kind": "programme"}', tuple)[0].startswith(
        'kind: "programme" is not a log'
    )


def test_numbers_are_not_strings_and_booleans_are_not_numbers() -> None:
    data = json.loads(dumps(samara_broadcast()))
    data["max_on_air"] = True
    data["session"]["id"] = 5
    problems = _problems(json.dumps(data), Broadcast)
    assert problems == (
        "session.id: expected a string, got a number 5",
        "max_on_air: expected an integer, got a boolean true",
    )


def test_sets_do_not_repeat() -> None:
    data = _programme_data()
    data["salon"]["phases"][1]["policy"]["allowed_formats"] = ["panel", "panel"]
    (problem,) = _problems(json.dumps(data), Programme)
    assert problem == "salon.phases[1].policy.allowed_formats: lists a value twice"


def test_only_document_types_are_written_or_read() -> None:
    with pytest.raises(InvalidValueError, match="cannot be written"):
        dumps({"a": 1})
    with pytest.raises(InvalidValueError, match="empty log"):
        dumps(())
    with pytest.raises(InvalidValueError, match="cannot be written"):
        dumps([1, 2])
    with pytest.raises(InvalidValueError, match="not a type of mmso/1 documents"):
        loads('{"format": "mmso/1"}', dict)
    with pytest.raises(UnknownZoneError):
        dumps(mmso_2020(), zone="+03:00")
    assert json.loads(dumps((), cls=tuple[ChatMessage, ...]))["messages"] == []
    with pytest.raises(InvalidValueError, match="cannot be written as Exhibition"):
        dumps(mmso_2020(), cls=Exhibition)
    with pytest.raises(InvalidValueError, match=r"cannot be written as tuple\[mmso_core"):
        dumps(samara_broadcast().log, cls=tuple[ChatMessage, ...])


def test_cattrs_is_imported_only_when_used() -> None:
    code = "import sys, mmso_core.io.json; print('cattrs' in sys.modules)"
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "False"


def test_missing_cattrs_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    mjson._converter.cache_clear()
    monkeypatch.setitem(sys.modules, "cattrs", None)
    try:
        with pytest.raises(MissingExtraError) as caught:
            dumps(samara_broadcast())
        assert caught.value.extra == "json"
        assert "mmso_core[json]" in str(caught.value)
    finally:
        mjson._converter.cache_clear()


# --- a new type of document: what adding a type takes (a stand-in with every shape) ---


class Action(enum.StrEnum):
    """What a rule does (a stand-in for the moderation policy's own types)."""

    HOLD = "hold"
    REJECT = "reject"


@attrs.frozen(kw_only=True)
class StandIn:
    """A stand-in for the moderation policy, with the shapes such a value may have."""

    name: str
    actions: dict[str, Action]
    lexicons: frozenset[str] = frozenset()
    slow_mode: _dt.timedelta | None = None
    strict: bool = False
    quiet_hours: tuple[_dt.time, _dt.time] | None = None
    since: Instant | None = None


policies = st.builds(
    StandIn,
    name=st.text(min_size=1, max_size=10),
    actions=st.dictionaries(st.text(max_size=5), st.sampled_from(Action), max_size=3),
    lexicons=st.frozensets(st.sampled_from(["ru-obscene", "en-profanity"])),
    slow_mode=st.none() | st.timedeltas(min_value=_dt.timedelta(0)),
    strict=st.booleans(),
    quiet_hours=st.none() | st.just((_dt.time(23), _dt.time(23, 59))),
    since=st.none() | mst.instants(),
)


@pytest.fixture
def with_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry with one more line, as the report describes."""
    added = (*mjson._DOCUMENTS, mjson._Document("stand-in", StandIn))
    monkeypatch.setattr(mjson, "_DOCUMENTS", added)


@pytest.mark.usefixtures("with_policy")
@given(policies)
def test_a_registered_type_round_trips_and_has_a_schema(policy: StandIn) -> None:
    text = dumps(policy)
    assert json.loads(text)["kind"] == "stand-in"
    assert loads(text, StandIn) == policy
    jsonschema.Draft202012Validator(schema()).validate(json.loads(text))


@pytest.mark.usefixtures("with_policy")
def test_a_registered_type_lists_its_problems() -> None:
    data = {
        "format": "mmso/1",
        "kind": "stand-in",
        "name": "chat",
        "actions": {"spam": "hold", "mat": "ban", "links": 3},
        "slow_mode": "PT30S",
        "strict": "yes",
    }
    assert _problems(json.dumps(data), StandIn) == (
        'actions.mat: "ban" is not a value of Action (one of "hold", "reject")',
        'actions.links: 3 is not a value of Action (one of "hold", "reject")',
        'strict: expected true or false, got a string "yes"',
    )
    assert _problems(
        '{"format": "mmso/1", "kind": "stand-in", "name": "x", "actions": []}', StandIn
    ) == ("actions: expected an object, got an array []",)


# --- the schema -------------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    for kind in (Programme, Exhibition, Broadcast, tuple[ChatMessage, ...], list[BroadcastEvent]):
        jsonschema.Draft202012Validator.check_schema(schema(kind))


def test_the_schema_refuses_what_loads_refuses() -> None:
    data = _programme_data()
    data["sessions"][17]["starts_at"] = "2020-04-29T17:20"
    data["sessions"][3]["colour"] = "red"
    data["format"] = "mmso/2"
    found = {error.message for error in VALIDATOR.iter_errors(data)}
    assert found  # oneOf fails; each document schema says why
    single = jsonschema.Draft202012Validator(schema(Programme))
    messages = sorted(error.json_path for error in single.iter_errors(data))
    assert messages == ["$.format", "$.sessions[17].starts_at", "$.sessions[3]"]


def test_the_schema_follows_the_types() -> None:
    defs = schema()["$defs"]
    assert set(KINDS) <= set(defs)
    session = defs["Session"]
    assert session["additionalProperties"] is False
    assert {"id", "title", "format", "starts_at", "ends_at", "channel"} == set(session["required"])
    assert session["properties"]["moderator"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert defs["SessionFormat"]["enum"][:2] == ["plenary", "panel"]
    assert defs["IntensityPolicy"]["properties"]["allowed_formats"]["anyOf"][0] == {
        "type": "array",
        "items": {"$ref": "#/$defs/SessionFormat"},
        "uniqueItems": True,
    }


def test_the_schema_walk_knows_more_shapes() -> None:
    names: dict[Any, str] = {}
    defs: dict[str, Any] = {}
    assert mjson._type_schema(int | str, names, defs) == {
        "anyOf": [{"type": "integer"}, {"type": "string"}]
    }
    assert mjson._type_schema(dict[str, float], names, defs) == {
        "type": "object",
        "additionalProperties": {"type": "number"},
    }
    assert mjson._type_schema(SessionRole, names, defs) == {"$ref": "#/$defs/Role"}
    assert mjson._type_schema(Role, names, defs) == {"$ref": "#/$defs/moderation.Role"}
    with pytest.raises(TypeError, match="no JSON form"):
        mjson._type_schema(complex, names, defs)


def test_the_published_schema_file_is_the_generated_one() -> None:
    """Regenerate the file with ``tests/test_io_json.py``'s ``write_schema()``."""
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert published == schema()


# -- moderation policies -------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(mst.policies())
def test_policies_round_trip_and_match_the_schema(policy: Policy) -> None:
    text = dumps(policy)
    assert loads(text, Policy) == policy
    jsonschema.validate(json.loads(text), schema())


def test_the_default_policy_round_trips_and_reports_bad_rules() -> None:
    text = dumps(Policy.default())
    assert loads(text, Policy) == Policy.default()
    data = json.loads(text)
    data["rules"][2]["window"] = 0
    data["rules"][3]["kind"] = "telepathy"
    with pytest.raises(ModelError) as caught:
        loads(json.dumps(data), Policy)
    assert [p.split(":")[0] for p in caught.value.problems] == ["rules[2]", "rules[3]"]
    assert "window: must be a duration > 0" in caught.value.problems[0]
