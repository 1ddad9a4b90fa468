"""Broadcasts: the state machine, its log, recordings, chapters and WebVTT."""

import datetime as dt
import io
import itertools
import json

import attrs
import pytest
import webvtt
from hypothesis import given
from hypothesis import strategies as st

from mmso_core import InvalidValueError, MmsoError, Severity
from mmso_core.samples import SAMARA_ROUND_TABLE_ID, mmso_2020
from mmso_core.schedule import (
    Broadcast,
    BroadcastError,
    BroadcastEvent,
    BroadcastState,
    BroadcastStatus,
    Chapter,
    Command,
    Recording,
    Rules,
    Session,
    SpeakerTurn,
)
from mmso_core.schedule._broadcast import replay, step
from mmso_core.testing import strategies as mst

PROGRAMME = mmso_2020()


def cues_of(text: str) -> list[webvtt.Caption]:
    """Parse WebVTT with webvtt-py, the parser video tooling uses."""
    return list(webvtt.from_buffer(io.StringIO(text)).captions)


TABLE = PROGRAMME.session(SAMARA_ROUND_TABLE_ID)
TECH = str(TABLE.technician)
MODERATOR = str(TABLE.moderator)
FIRST, SECOND = TABLE.speakers[:2]


def at(clock: str) -> str:
    return f"2020-04-29T{clock}+03:00"


def samara_show() -> Broadcast:
    return (
        Broadcast(session=TABLE)
        .go_live(at("17:20"), by=TECH)
        .bring_on_air(FIRST, at("17:25"), by=TECH)
        .take_off_air(FIRST, at("17:40"), by=MODERATOR)
        .bring_on_air(SECOND, at("17:42"), by=TECH)
        .end(at("19:00"), by=TECH)
    )


def test_a_broadcast_from_scheduled_to_ended() -> None:
    scheduled = Broadcast(session=TABLE)
    assert scheduled.state == BroadcastState()
    assert not scheduled.state.moderator_on_air
    live = scheduled.go_live(at("17:20"), by=TECH)
    assert live.state.status is BroadcastStatus.LIVE
    assert live.state.moderator_on_air
    on = live.bring_on_air(FIRST, at("17:25"), by=TECH)
    assert on.state.on_air == (FIRST,)
    show = samara_show()
    state = show.state
    assert state.status is BroadcastStatus.ENDED
    assert state.on_air == ()
    assert not state.moderator_on_air
    assert state.turns == (
        SpeakerTurn(speaker=FIRST, starts_at=on.log[-1].at, ends_at=show.log[2].at),
        SpeakerTurn(speaker=SECOND, starts_at=show.log[3].at, ends_at=show.log[4].at),
    )
    assert [e.command for e in show.log] == [
        Command.GO_LIVE,
        Command.BRING_ON_AIR,
        Command.TAKE_OFF_AIR,
        Command.BRING_ON_AIR,
        Command.END,
    ]
    assert scheduled.log == ()  # commands return new broadcasts


@pytest.mark.parametrize(
    ("make", "status", "rule"),
    [
        (lambda b: b.bring_on_air(FIRST, at("17:20"), by=TECH), "scheduled", "live-first"),
        (lambda b: b.end(at("17:20"), by=TECH), "scheduled", "live-first"),
        (lambda b: b.go_live(at("17:20"), by=FIRST), "scheduled", "technician-or-moderator"),
        (
            lambda b: b.go_live(at("17:20"), by=TECH).go_live(at("17:21"), by=TECH),
            "live",
            "go-live-once",
        ),
        (
            lambda b: b.go_live(at("17:20"), by=TECH).bring_on_air("p0001", at("17:21"), by=TECH),
            "live",
            "lineup-only",
        ),
        (
            lambda b: b.go_live(at("17:20"), by=TECH).bring_on_air(FIRST, at("17:21"), by=SECOND),
            "live",
            "technician-or-moderator",
        ),
        (
            lambda b: (
                b.go_live(at("17:20"), by=TECH)
                .bring_on_air(FIRST, at("17:21"), by=TECH)
                .bring_on_air(SECOND, at("17:22"), by=TECH)
            ),
            "live",
            "one-speaker-at-a-time",
        ),
        (
            lambda b: (
                b.go_live(at("17:20"), by=TECH)
                .bring_on_air(FIRST, at("17:21"), by=TECH)
                .bring_on_air(FIRST, at("17:22"), by=TECH)
            ),
            "live",
            "not-twice",
        ),
        (
            lambda b: b.go_live(at("17:20"), by=TECH).take_off_air(FIRST, at("17:21"), by=TECH),
            "live",
            "on-air-first",
        ),
        (
            lambda b: b.go_live(at("17:20"), by=TECH).end(at("17:19"), by=TECH),
            "live",
            "time-goes-forward",
        ),
        (lambda b: samara_show().end(at("19:01"), by=TECH), "ended", "ended-is-final"),
        (lambda b: samara_show().go_live(at("19:01"), by=TECH), "ended", "ended-is-final"),
    ],
)
def test_illegal_commands_name_state_and_rule(make: object, status: str, rule: str) -> None:
    with pytest.raises(BroadcastError) as caught:
        make(Broadcast(session=TABLE))  # type: ignore[operator] # parametrized callables
    error = caught.value
    assert (error.status, error.rule, error.session) == (status, rule, SAMARA_ROUND_TABLE_ID)
    assert f"while {status}" in str(error)
    assert f"rule {rule}" in str(error)
    assert isinstance(error, MmsoError)
    assert isinstance(error, ValueError)


def test_more_than_one_speaker_when_configured() -> None:
    panel = Broadcast(session=TABLE, max_on_air=2).go_live(at("17:20"), by=TECH)
    both = panel.bring_on_air(FIRST, at("17:21"), by=TECH).bring_on_air(
        SECOND, at("17:21"), by=TECH
    )
    assert both.state.on_air == (FIRST, SECOND)
    with pytest.raises(BroadcastError, match="at most 2"):
        both.bring_on_air(TABLE.speakers[2], at("17:22"), by=TECH)


def test_bad_values_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="max_on_air"):
        Broadcast(session=TABLE, max_on_air=0)
    with pytest.raises(InvalidValueError, match=r"Broadcast\.log\[0\]"):
        Broadcast(session=TABLE, log=["go_live"])  # type: ignore[list-item] # wrong on purpose
    with pytest.raises(InvalidValueError, match="name the person acting"):
        Broadcast(session=TABLE).go_live(at("17:20"), by=None)
    with pytest.raises(InvalidValueError, match=r"BroadcastEvent\.command"):
        BroadcastEvent(command="dance", at=at("17:20"), by=TECH)
    with pytest.raises(InvalidValueError, match="needs one"):
        BroadcastEvent(command="bring_on_air", at=at("17:20"), by=TECH)
    with pytest.raises(InvalidValueError, match="takes no speaker"):
        BroadcastEvent(command="end", at=at("17:20"), by=TECH, speaker=FIRST)
    with pytest.raises(MmsoError, match=r"BroadcastEvent\.at"):
        BroadcastEvent(command="end", at="17:20", by=TECH)
    with pytest.raises(BroadcastError, match="lineup-only"):
        Broadcast(
            session=TABLE,
            log=[
                BroadcastEvent(command="go_live", at=at("17:20"), by=TECH),
                BroadcastEvent(command="bring_on_air", at=at("17:21"), by=TECH, speaker="ghost"),
            ],
        )


def test_json_round_trip_and_malformed_input() -> None:
    show = samara_show()
    text = show.to_json()
    assert json.loads(text)["log"][1] == {
        "command": "bring_on_air",
        "at": "2020-04-29T14:25:00+00:00",
        "by": TECH,
        "speaker": FIRST,
    }
    again = Broadcast.from_json(text, session=TABLE)
    assert again == show
    assert again.state == show.state
    other = PROGRAMME.session("s001")
    with pytest.raises(InvalidValueError, match="not of session"):
        Broadcast.from_json(text, session=other)
    with pytest.raises(InvalidValueError, match="format"):
        Broadcast.from_dict({**show.to_dict(), "format": 99}, session=TABLE)
    with pytest.raises(InvalidValueError, match="must be a list"):
        Broadcast.from_dict({**show.to_dict(), "log": {}}, session=TABLE)
    with pytest.raises(InvalidValueError, match="json"):
        Broadcast.from_json("{not json", session=TABLE)
    with pytest.raises(InvalidValueError, match="must be an object"):
        Broadcast.from_json("[]", session=TABLE)
    with pytest.raises(InvalidValueError, match="unknown keys"):
        BroadcastEvent.from_dict({"command": "end", "at": at("17:20"), "by": TECH, "x": 1})
    with pytest.raises(InvalidValueError, match=r"BroadcastEvent\.by: is missing"):
        BroadcastEvent.from_dict({"command": "end", "at": at("17:20")})


def test_overrun_is_measured_against_the_scheduled_end() -> None:
    scheduled = Broadcast(session=TABLE)
    assert scheduled.overrun(at("20:00")) == dt.timedelta(0)
    live = scheduled.go_live(at("17:20"), by=TECH)
    assert live.overrun(at("18:30")) == dt.timedelta(0)
    assert live.overrun(at("19:05")) == dt.timedelta(minutes=15)
    assert samara_show().overrun(at("23:00")) == dt.timedelta(minutes=10)  # ended 19:00


def test_recording_chapters_tile_the_live_period() -> None:
    recording = Recording.from_broadcast(
        samara_show(), PROGRAMME, url="https://mmco-expo.ru/video/samara"
    )
    assert recording.session == SAMARA_ROUND_TABLE_ID
    assert recording.duration == dt.timedelta(minutes=100)
    assert recording.available_at == recording.ends_at
    first, second, moderator = (PROGRAMME.person(p).name for p in (FIRST, SECOND, MODERATOR))
    title = TABLE.title
    minute = dt.timedelta(minutes=1)
    assert recording.chapters == (
        Chapter(starts=0 * minute, ends=5 * minute, title=f"{moderator} — {title}"),
        Chapter(starts=5 * minute, ends=20 * minute, title=f"{first} — {title}", speakers=(FIRST,)),
        Chapter(starts=20 * minute, ends=22 * minute, title=f"{moderator} — {title}"),
        Chapter(
            starts=22 * minute, ends=100 * minute, title=f"{second} — {title}", speakers=(SECOND,)
        ),
    )
    assert recording.to_chapter_list().splitlines() == [
        f"0:00:00 {moderator} — {title}",
        f"0:05:00 {first} — {title}",
        f"0:20:00 {moderator} — {title}",
        f"0:22:00 {second} — {title}",
    ]
    assert recording.check() == ()


def test_webvtt_chapters_parse_with_webvtt_py() -> None:
    recording = Recording.from_broadcast(samara_show(), PROGRAMME)
    text = recording.to_webvtt_chapters()
    assert text.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:05:00.000\n")
    cues = cues_of(text)
    assert [c.start for c in cues] == [
        "00:00:00.000",
        "00:05:00.000",
        "00:20:00.000",
        "00:22:00.000",
    ]
    assert cues[-1].end == "01:40:00.000"
    assert [c.text for c in cues] == [c.title for c in recording.chapters]


def test_webvtt_escapes_reserved_characters_and_short_lists() -> None:
    session = attrs.evolve(TABLE, title="Q&A <live> -->\nnext")
    show = Broadcast(session=session).go_live(at("17:20"), by=TECH).end(at("17:50"), by=TECH)
    recording = Recording.from_broadcast(show, {MODERATOR: "Анна"})
    cue = recording.to_webvtt_chapters().splitlines()[4]
    assert cue == "Анна — Q&amp;A &lt;live&gt; --&gt; next"
    parsed = cues_of(recording.to_webvtt_chapters())
    assert len(parsed) == 1
    assert recording.to_chapter_list() == f"00:00 Анна — {session.title}"
    unnamed = Recording.from_broadcast(show, {})
    assert unnamed.chapters[0].title.startswith(f"{MODERATOR} — ")
    silent = attrs.evolve(session, moderator=None)
    quiet = Broadcast(session=silent).go_live(at("17:20"), by=TECH).end(at("17:50"), by=TECH)
    assert (
        Recording.from_broadcast(quiet, {}).chapters[0].title == f"{silent.title} — {silent.title}"
    )


def test_recording_needs_an_ended_broadcast_and_can_be_late() -> None:
    live = Broadcast(session=TABLE).go_live(at("17:20"), by=TECH)
    with pytest.raises(InvalidValueError, match="only an ended broadcast"):
        Recording.from_broadcast(live, PROGRAMME)
    late = Recording.from_broadcast(samara_show(), PROGRAMME, available_at=at("19:45"))
    (violation,) = late.check()
    assert violation.code == "recording-late"
    assert violation.severity is Severity.WARNING
    assert violation.message() == (
        "the recording of samara-round-table becomes available 45 min after the end "
        "(allowed: 0 min)"
    )
    assert late.check(Rules(recording_lag=dt.timedelta(hours=1))) == ()
    assert late.check(Rules(disabled={"recording-late"})) == ()


# --- properties ---------------------------------------------------------------------

SESSIONS = [s for s in PROGRAMME.sessions if s.speakers and s.technician][:40]


@given(st.sampled_from(SESSIONS).flatmap(mst.broadcasts))
def test_any_legal_log_replays_to_the_same_state(broadcast: Broadcast) -> None:
    rebuilt = Broadcast(session=broadcast.session)
    for event in broadcast.log:
        rebuilt = rebuilt.apply(event)
    assert rebuilt.state == broadcast.state
    assert replay(broadcast.session, broadcast.log) == broadcast.state
    assert Broadcast.from_json(broadcast.to_json(), session=broadcast.session) == broadcast


@given(st.data())
def test_an_illegal_command_changes_nothing(data: st.DataObject) -> None:
    session: Session = data.draw(st.sampled_from(SESSIONS))
    broadcast = data.draw(mst.broadcasts(session, max_on_air=data.draw(st.integers(1, 2))))
    before = (broadcast.log, broadcast.state)
    command = data.draw(st.sampled_from(Command))
    people = [*session.speakers, str(session.technician), "p0001"]
    speaker = (
        data.draw(st.sampled_from(people))
        if command in (Command.BRING_ON_AIR, Command.TAKE_OFF_AIR)
        else None
    )
    last = broadcast.state.last_at or session.starts_at
    when = last + data.draw(st.timedeltas(-dt.timedelta(minutes=5), dt.timedelta(minutes=5)))
    event = BroadcastEvent(
        command=command, at=when, by=data.draw(st.sampled_from(people)), speaker=speaker
    )
    try:
        after = broadcast.apply(event)
    except BroadcastError as error:
        # legality is only known at run time, so no pytest.raises here
        assert (broadcast.log, broadcast.state) == before
        assert error.status == broadcast.state.status.value  # noqa: PT017
        assert error.command == command.value  # noqa: PT017
    else:
        assert after.log == (*broadcast.log, event)
        assert after.state == step(broadcast.state, event, session, broadcast.max_on_air)
        assert (broadcast.log, broadcast.state) == before


@given(st.sampled_from(SESSIONS).flatmap(lambda s: mst.broadcasts(s, ended=True, max_on_air=2)))
def test_chapters_tile_the_live_period(broadcast: Broadcast) -> None:
    recording = Recording.from_broadcast(broadcast, PROGRAMME)
    chapters = recording.chapters
    if recording.duration == dt.timedelta(0):
        assert chapters == ()
        return
    assert chapters[0].starts == dt.timedelta(0)
    assert chapters[-1].ends == recording.duration
    for chapter, following in itertools.pairwise(chapters):
        assert chapter.ends == following.starts
        assert chapter.speakers != following.speakers
    assert all(c.ends > c.starts for c in chapters)
    on_air_time = sum((c.ends - c.starts for c in chapters if c.speakers), dt.timedelta(0))
    assert on_air_time <= recording.duration
    cues = cues_of(recording.to_webvtt_chapters())
    assert len(cues) == len(chapters)


def test_strategy_bounds() -> None:
    bare = attrs.evolve(TABLE, technician=None, moderator=None)
    with pytest.raises(ValueError, match="technician or a moderator"):
        mst.broadcast_logs(bare)
    with pytest.raises(ValueError, match="max_events"):
        mst.broadcast_logs(TABLE, ended=True, max_events=1)
