"""Live views of the programme and re-planning after an overrun."""

import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mmso_core import InvalidValueError, UnknownIdError
from mmso_core.samples import SAMARA_ROUND_TABLE_ID, mmso_2020
from mmso_core.schedule import (
    Broadcast,
    BroadcastDesk,
    Channel,
    Person,
    Phase,
    Programme,
    Rules,
    Salon,
    Session,
    check,
)
from mmso_core.testing import strategies as mst

PROGRAMME = mmso_2020()
SALON = Salon(
    name="Mini",
    phases=[
        Phase(kind="main", name="Main", first_day="2020-04-26", last_day="2020-04-26"),
        Phase(kind="continuation", name="More", first_day="2020-04-27", last_day="2020-04-28"),
    ],
)
PEOPLE = tuple(Person(id=f"p{n}", name=f"Person {n}") for n in range(12))
CHANNELS = (Channel(id="a", name="A"), Channel(id="b", name="B"))


def make(
    sid: str, start: str, end: str, channel: str = "a", crew: int = 0, **more: object
) -> Session:
    base = 4 * crew
    fields: dict[str, object] = {
        "id": sid,
        "title": sid,
        "format": "panel",
        "starts_at": f"2020-04-{start}+03:00",
        "ends_at": f"2020-04-{end}+03:00",
        "channel": channel,
        "moderator": f"p{base}",
        "speakers": (f"p{base + 1}",),
        "technician": f"p{base + 2}",
        "chat_expert": f"p{base + 3}",
    }
    fields.update(more)
    return Session(**fields)  # type: ignore[arg-type] # fields built as a loose dict


def programme(*sessions: Session) -> Programme:
    return Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=sessions)


def test_channel_status_live_next_and_countdown() -> None:
    statuses = PROGRAMME.channel_status("2020-04-29T17:05+03:00")
    assert [s.channel for s in statuses] == list(PROGRAMME.channels)
    regions = next(s for s in statuses if s.channel.id == "ch08")
    assert regions.live is None
    assert regions.next is not None
    assert regions.next.id == SAMARA_ROUND_TABLE_ID
    assert regions.countdown("ru") == "через 15 минут"
    assert regions.countdown("en") == "in 15 minutes"
    later = {s.channel.id: s for s in PROGRAMME.channel_status("2020-04-29T17:30+03:00")}
    live = later["ch08"].live
    assert live is not None
    assert live.id == SAMARA_ROUND_TABLE_ID
    after_all = PROGRAMME.channel_status("2020-06-01T00:00+03:00")
    assert all(s.live is None and s.next is None and s.countdown() is None for s in after_all)


def test_channel_status_with_an_overlap_and_long_sessions() -> None:
    long = make("long", "26T10:00", "26T16:00", format="other")
    short = make("short", "26T11:00", "26T11:30", crew=1, format="other")
    prog = programme(long, short)
    (a, b) = prog.channel_status("2020-04-26T12:00+03:00")
    assert (a.live, a.next, b.live, b.next) == (long, None, None, None)
    (a, _) = prog.channel_status("2020-04-26T11:15+03:00")
    assert a.live == short


@given(mst.programmes(max_sessions=12), st.data())
def test_channel_status_agrees_with_a_scan(prog: Programme, data: st.DataObject) -> None:
    if not prog.sessions:
        return
    base = data.draw(st.sampled_from(prog.sessions))
    moment = base.starts_at + data.draw(
        st.timedeltas(dt.timedelta(hours=-3), dt.timedelta(hours=3))
    )
    for status in prog.channel_status(moment):
        mine = [s for s in prog.ordered if s.channel == status.channel.id]
        live = [s for s in mine if s.starts_at <= moment < s.ends_at]
        upcoming = [s for s in mine if s.starts_at > moment]
        assert status.live == (live[-1] if live else None)
        assert status.next == (upcoming[0] if upcoming else None)


def test_with_delay_shifts_the_channel_as_little_as_needed() -> None:
    s1 = make("s1", "26T10:00", "26T11:00")
    s2 = make("s2", "26T11:15", "26T12:00", crew=1)
    s3 = make("s3", "26T12:30", "26T13:30", crew=2)
    s4 = make("s4", "26T15:00", "26T16:00", crew=1)
    other = make("o1", "26T11:00", "26T12:00", channel="b", crew=2)
    prog = programme(s1, s2, s3, s4, other)
    plan = prog.with_delay("s1", dt.timedelta(minutes=30))
    new = plan.programme
    minutes = {k: v // dt.timedelta(minutes=1) for k, v in plan.shifted.items()}
    assert minutes == {"s1": 30, "s2": 25, "s3": 5}
    assert new.session("s1").ends_at == s1.ends_at + dt.timedelta(minutes=30)
    assert new.session("s2").starts_at == new.session("s1").ends_at + dt.timedelta(minutes=10)
    assert new.session("s2").duration == s2.duration
    assert new.session("s3").starts_at == new.session("s2").ends_at + dt.timedelta(minutes=10)
    assert new.session("s4") == s4
    assert new.session("o1") == other
    # s3's crew (crew 2) also runs o1 in channel b until 12:00: the shift does not touch it
    assert plan.report.violations == ()
    wider = prog.with_delay(
        "s1", dt.timedelta(minutes=30), rules=Rules(changeover=dt.timedelta(minutes=20))
    )
    assert wider.programme.session("s2").starts_at == wider.programme.session(
        "s1"
    ).ends_at + dt.timedelta(minutes=20)


def test_with_delay_reports_what_the_shift_breaks() -> None:
    s1 = make("s1", "26T10:00", "26T11:00")
    s2 = make("s2", "26T11:15", "26T12:00", crew=1)
    busy = make("b1", "26T12:20", "26T13:00", channel="b", crew=1, format="other")
    prog = programme(s1, s2, busy)
    assert check(prog).violations == ()
    plan = prog.with_delay("s1", dt.timedelta(minutes=40))
    codes = [(v.code, v.subjects) for v in plan.report.violations]
    assert ("person-double-booked", ("p4", "s2", "b1")) in codes


def test_with_delay_across_a_phase_boundary_is_a_violation() -> None:
    late = make("s1", "26T22:00", "26T23:30")
    next_day = make("s2", "26T23:40", "26T23:55", crew=1, format="other")
    plan = programme(late, next_day).with_delay("s1", dt.timedelta(minutes=30))
    assert plan.programme.session("s2").starts_at == plan.programme.session(
        "s1"
    ).ends_at + dt.timedelta(minutes=10)
    found = [(v.code, v.subjects) for v in plan.report.violations]
    # s1 still ends within the main phase; s2 lands in the continuation: said, not silent
    assert found == [("shifted-across-phase", ("s2",))]
    (violation,) = plan.report.violations
    assert violation.message() == "the shift moves s2 from phase 'Main' into phase 'More'"
    assert violation.message("ru") == "сдвиг переносит s2 из этапа «Main» в этап «More»"
    beyond = programme(make("s1", "28T22:00", "28T23:30", format="other")).with_delay(
        "s1", dt.timedelta(hours=1)
    )
    codes = [(v.code, v.subjects) for v in beyond.report.violations]
    assert codes == [("outside-phase", ("s1",)), ("shifted-across-phase", ("s1",))]
    assert beyond.report.violations[1].message() == (
        "the shift moves s1 from phase 'More' out of every phase"
    )


def test_relays_move_with_their_original() -> None:
    s1 = make("s1", "26T10:00", "26T11:00", recording_available_at="2020-04-26T11:00+03:00")
    relay = make(
        "r1", "26T10:00", "26T11:00", channel="b", relay_of="s1", technician="p6", chat_expert="p7"
    )
    after_relay = make("s2", "26T11:10", "26T12:00", channel="b", crew=2)
    prog = programme(s1, relay, after_relay)
    plan = prog.with_delay("r1", dt.timedelta(minutes=20))  # a relay stands for its original
    new = plan.programme
    assert (
        new.session("r1").ends_at
        == new.session("s1").ends_at
        == s1.ends_at + dt.timedelta(minutes=20)
    )
    assert new.session("s1").recording_available_at == new.session("s1").ends_at
    assert new.session("s2").starts_at == new.session("r1").ends_at + dt.timedelta(minutes=10)
    assert set(plan.shifted) == {"s1", "r1", "s2"}


def test_with_delay_refuses_bad_input() -> None:
    prog = programme(make("s1", "26T10:00", "26T11:00"))
    with pytest.raises(InvalidValueError, match="delay"):
        prog.with_delay("s1", dt.timedelta(minutes=-5))
    with pytest.raises(InvalidValueError, match="delay"):
        prog.with_delay("s1", 5)  # type: ignore[arg-type] # wrong type on purpose
    with pytest.raises(UnknownIdError):
        prog.with_delay("nope", dt.timedelta(minutes=5))


@given(mst.programmes(min_sessions=1, max_sessions=12), st.data())
def test_zero_delay_returns_an_equal_programme(prog: Programme, data: st.DataObject) -> None:
    session = data.draw(st.sampled_from(prog.sessions))
    plan = prog.with_delay(session.id, dt.timedelta(0))
    assert plan.programme == prog
    assert plan.report.violations == ()
    assert dict(plan.shifted) == {}


@given(mst.programmes(min_sessions=1, max_sessions=14, max_channels=2), st.data())
def test_positive_delay_keeps_the_changeover(prog: Programme, data: st.DataObject) -> None:
    session = data.draw(st.sampled_from(prog.sessions))
    delay = data.draw(st.timedeltas(dt.timedelta(seconds=1), dt.timedelta(hours=5)))
    changeover = data.draw(
        st.sampled_from([dt.timedelta(0), dt.timedelta(minutes=10), dt.timedelta(minutes=15)])
    )
    plan = prog.with_delay(session.id, delay, rules=Rules(changeover=changeover))
    new = plan.programme
    for channel in new.channels:
        mine = new.sessions_in_channel(channel.id)
        for before, after in itertools.pairwise(mine):
            assert after.starts_at >= before.ends_at + min(changeover, dt.timedelta(minutes=20))
    root = session.relay_of or session.id
    for sid, moved in plan.shifted.items():
        assert moved > dt.timedelta(0)
        old, now = prog.session(sid), new.session(sid)
        assert now.ends_at - old.ends_at == moved
        assert now.duration == old.duration or (old.relay_of or old.id) == root
    assert new.session(root).ends_at == prog.session(root).ends_at + delay
    unchanged = [s for s in prog.sessions if s.id not in plan.shifted]
    assert all(new.session(s.id) == s for s in unchanged)
    old_found = {(v.code, v.subjects) for v in check(prog).violations}
    new_found = {(v.code, v.subjects) for v in check(new, Rules(changeover=changeover)).violations}
    reported = {(v.code, v.subjects) for v in plan.report.violations}
    assert {item for item in reported if item[0] != "shifted-across-phase"} == new_found - old_found


def test_replan_keeps_recording_gaps() -> None:
    late_rec = make("s1", "26T10:00", "26T11:00", recording_available_at="2020-04-26T11:30+03:00")
    plan = programme(late_rec).with_delay("s1", dt.timedelta(minutes=10))
    assert plan.programme.session("s1").recording_available_at == attrs.evolve(
        late_rec, ends_at=late_rec.ends_at + dt.timedelta(minutes=10)
    ).ends_at + dt.timedelta(minutes=30)


def test_channel_status_follows_the_broadcast_logs() -> None:
    table = PROGRAMME.session(SAMARA_ROUND_TABLE_ID)
    tech = str(table.technician)
    running = Broadcast(session=table).go_live("2020-04-29T17:22+03:00", by=tech)
    late = {
        s.channel.id: s
        for s in PROGRAMME.channel_status("2020-04-29T19:00+03:00", broadcasts=[running])
    }
    status = late[table.channel]
    assert status.live == table  # the schedule says it is over; the log says it runs on
    assert status.broadcast == running
    assert status.overrun == dt.timedelta(minutes=10)
    early = {
        s.channel.id: s
        for s in PROGRAMME.channel_status("2020-04-29T17:21+03:00", broadcasts=[running])
    }
    assert early[table.channel].live is None  # scheduled from 17:20, but not live yet
    assert early[table.channel].overrun is None
    plain = {s.channel.id: s for s in PROGRAMME.channel_status("2020-04-29T17:30+03:00")}
    assert plain[table.channel].live == table
    assert plain[table.channel].overrun is None


def test_desk_channel_status() -> None:
    table = PROGRAMME.session(SAMARA_ROUND_TABLE_ID)
    desk = BroadcastDesk(PROGRAMME)
    desk.go_live(SAMARA_ROUND_TABLE_ID, "2020-04-29T17:20+03:00", by=table.technician)
    statuses = {s.channel.id: s for s in desk.channel_status("2020-04-29T18:55+03:00")}
    assert statuses[table.channel].overrun == dt.timedelta(minutes=5)


def test_overrun_needs_an_instant_only_while_live() -> None:
    table = PROGRAMME.session(SAMARA_ROUND_TABLE_ID)
    tech = str(table.technician)
    live = Broadcast(session=table).go_live("2020-04-29T17:20+03:00", by=tech)
    with pytest.raises(InvalidValueError, match="measured at an instant"):
        live.overrun()
    assert Broadcast(session=table).overrun() == dt.timedelta(0)
    ended = live.end("2020-04-29T19:00+03:00", by=tech)
    assert ended.overrun() == dt.timedelta(minutes=10)
    assert ended.live_at("2020-04-29T18:00+03:00")
    assert not ended.live_at("2020-04-29T19:00+03:00")
    assert not ended.live_at("2020-04-29T17:00+03:00")
