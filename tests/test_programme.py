"""The Programme aggregate: integrity once, all problems at once, indexed queries."""

import datetime as dt

import attrs
import pytest
from hypothesis import given

from mmso_core import FixedClock, InvalidValueError, ModelError, UnknownIdError, region
from mmso_core.samples import SAMARA_ROUND_TABLE_ID, mmso_2020
from mmso_core.schedule import (
    Channel,
    Person,
    Phase,
    Programme,
    Role,
    Salon,
    Session,
)
from mmso_core.testing import strategies as mst

SALON = Salon(
    name="Mini",
    zone="Europe/Moscow",
    phases=[
        Phase(kind="main", name="Main", first_day="2020-04-26", last_day="2020-04-27"),
        Phase(kind="continuation", name="More", first_day="2020-04-28", last_day="2020-04-30"),
    ],
)
PEOPLE = tuple(Person(id=f"p{n}", name=f"Person {n}", region="RU-MOW") for n in range(6))
CHANNELS = (Channel(id="a", name="A"), Channel(id="b", name="B"))


def make(sid: str, start: str, end: str, channel: str = "a", **more: object) -> Session:
    fields: dict[str, object] = {
        "id": sid,
        "title": f"Session {sid}",
        "format": "panel",
        "starts_at": start,
        "ends_at": end,
        "channel": channel,
        "moderator": "p0",
        "speakers": ("p1",),
        "technician": "p2",
        "chat_expert": "p3",
    }
    fields.update(more)
    return Session(**fields)  # type: ignore[arg-type] # fields built as a loose dict


def programme(*sessions: Session) -> Programme:
    return Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=sessions)


def test_model_error_lists_every_problem_at_once() -> None:
    broken = (
        make("s1", "2020-04-26T10:00+03:00", "2020-04-26T11:00+03:00", channel="nowhere"),
        make("s1", "2020-04-26T12:00+03:00", "2020-04-26T13:00+03:00", moderator="ghost"),
        make("s3", "2020-04-26T12:00+03:00", "2020-04-26T13:00+03:00", speakers=("p1", "ghost2")),
        make("s4", "2020-04-28T12:00+03:00", "2020-04-28T13:00+03:00", follows_up="s4"),
        make("s5", "2020-04-28T12:00+03:00", "2020-04-28T13:00+03:00", follows_up="zzz"),
        make("s6", "2020-04-26T10:00+03:00", "2020-04-26T11:00+03:00", channel="b", relay_of="s3"),
        make("s7", "2020-04-26T10:00+03:00", "2020-04-26T11:00+03:00", channel="b", relay_of="s6"),
        make(
            "s8",
            "2020-04-26T10:00+03:00",
            "2020-04-26T11:00+03:00",
            technician="t",
            chat_expert="c",
        ),
    )
    with pytest.raises(ModelError) as caught:
        Programme(salon=SALON, people=(*PEOPLE, PEOPLE[0]), channels=CHANNELS, sessions=broken)
    problems = caught.value.problems
    assert problems == (
        "people[6].id: duplicate id 'p0'",
        "sessions[1].id: duplicate id 's1'",
        "sessions[0] ('s1').channel: unknown channel 'nowhere'",
        "sessions[1] ('s1').moderator: unknown person 'ghost'",
        "sessions[2] ('s3').speakers: unknown person 'ghost2'",
        "sessions[3] ('s4').follows_up: refers to the session itself",
        "sessions[4] ('s5').follows_up: unknown session 'zzz'",
        (
            "sessions[5] ('s6').relay_of: a simulcast runs at its original's times "
            "('s3': 2020-04-26T09:00:00+00:00–2020-04-26T10:00:00+00:00)"
        ),
        "sessions[6] ('s7').relay_of: 's6' is itself a relay; relay the original 's3'",
        "sessions[7] ('s8').technician: unknown person 't'",
        "sessions[7] ('s8').chat_expert: unknown person 'c'",
    )
    assert str(caught.value).startswith("11 problems in the model:")
    assert isinstance(caught.value, ValueError)


def test_programme_refuses_wrong_types_with_the_path() -> None:
    with pytest.raises(InvalidValueError, match=r"Programme\.sessions\[0\]"):
        Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=["s1"])  # type: ignore[list-item] # the wrong type on purpose


def test_lookups_and_unknown_ids() -> None:
    item = make("s1", "2020-04-26T10:00+03:00", "2020-04-26T11:00+03:00")
    prog = programme(item)
    assert prog.session("s1") is item
    assert prog.person("p1") is PEOPLE[1]
    assert prog.channel("b") is CHANNELS[1]
    for lookup, kind in (
        (prog.session, "session"),
        (prog.person, "person"),
        (prog.channel, "channel"),
    ):
        with pytest.raises(UnknownIdError) as caught:
            lookup("zzz")
        assert (caught.value.kind, caught.value.id) == (kind, "zzz")
        assert isinstance(caught.value, LookupError)


def test_queries() -> None:
    s1 = make("s1", "2020-04-26T10:00+03:00", "2020-04-26T11:00+03:00", cluster="higher")
    s2 = make(
        "s2",
        "2020-04-26T23:30+03:00",
        "2020-04-27T00:30+03:00",
        channel="b",
        moderator="p4",
        speakers=("p5",),
    )
    s3 = make(
        "s3", "2020-04-28T10:00+03:00", "2020-04-28T11:00+03:00", follows_up="s1", cluster="higher"
    )
    prog = programme(s3, s2, s1)
    assert prog.ordered == (s1, s2, s3)
    assert prog.sessions_on("2020-04-26") == (s1, s2)
    assert prog.sessions_on(dt.date(2020, 4, 26), zone="Asia/Kamchatka") == (s1,)
    assert prog.sessions_on(dt.date(2020, 4, 27), zone="Asia/Kamchatka") == (s2,)
    assert prog.sessions_on("2020-04-26", zone=region("RU-KGD")) == (s1, s2)
    assert prog.sessions_in_phase("main") == (s1, s2)
    assert prog.sessions_in_phase("More") == (s3,)
    assert prog.phase_of(s3) is SALON.phases[1]
    assert prog.phase_of("s1") is SALON.phases[0]
    assert prog.sessions_of("p0") == (s1, s3)
    assert prog.sessions_of("p4", role=Role.MODERATOR) == (s2,)
    assert prog.sessions_of("p4", role="speaker") == ()
    assert prog.sessions_of("p2", role="technician") == (s1, s2, s3)
    assert prog.sessions_of("p5") == (s2,)
    assert prog.sessions_in_channel("b") == (s2,)
    assert prog.sessions_in_cluster("higher") == (s1, s3)
    assert prog.sessions_in_cluster("preschool") == ()
    assert prog.live_at("2020-04-26T10:30+03:00") == (s1,)
    assert prog.live_at("2020-04-26T11:00+03:00") == ()  # half-open
    assert prog.live_at("2020-04-27T00:00+03:00") == (s2,)
    with pytest.raises(UnknownIdError):
        prog.sessions_of("ghost")
    with pytest.raises(InvalidValueError, match="role"):
        prog.sessions_of("p0", role="speeker")
    with pytest.raises(UnknownIdError, match="phase"):
        prog.sessions_in_phase("finale")
    with pytest.raises(UnknownIdError):
        prog.sessions_in_channel("ghost")
    with pytest.raises(InvalidValueError, match="day"):
        prog.sessions_on("26/04/2020")
    with pytest.raises(InvalidValueError, match="not a datetime"):
        prog.sessions_on(dt.datetime(2020, 4, 26, tzinfo=dt.UTC))


def test_phase_of_outside_every_phase() -> None:
    stray = make("s1", "2020-06-01T10:00+03:00", "2020-06-01T11:00+03:00")
    assert programme(stray).phase_of(stray) is None


def test_agenda_in_a_region_with_humanised_russian_times() -> None:
    sample = mmso_2020()
    agenda = sample.agenda(region("Самарская область"), day="2020-04-29")
    entry = next(e for e in agenda.entries if e.session.id == SAMARA_ROUND_TABLE_ID)
    assert agenda.zone == "Europe/Samara"
    assert (entry.starts_local.hour, entry.starts_local.minute) == (18, 20)
    assert entry.channel_name == "Зал «Регионы»"
    now = FixedClock(at="2020-04-29T17:05+03:00").now()
    assert entry.relative(now, "ru") == "через 15 минут"
    assert entry.relative(now, "en") == "in 15 minutes"
    assert entry.relative("2020-04-29T17:30+03:00", "ru") == "идёт сейчас"
    assert entry.relative("2020-04-29T17:30+03:00") == "live now"
    assert entry.relative("2020-04-29T20:50+03:00", "ru") == "закончилось 2 часа назад"
    assert entry.relative("2020-04-29T20:50+03:00", "en") == "ended 2 hours ago"
    text = agenda.to_text("ru", now=now)
    assert text.splitlines()[0] == "среда, 29 апреля 2020 (Europe/Samara)"
    assert "18:20–19:50  Опыт, проблемы и перспективы дистанционного обучения" in text
    assert "[Зал «Регионы»] — через 15 минут" in text
    assert agenda.to_text("en").splitlines()[0] == "Wednesday, 29 April 2020 (Europe/Samara)"


def test_agenda_of_all_days_and_in_a_far_zone() -> None:
    s1 = make("s1", "2020-04-26T10:00+03:00", "2020-04-26T11:00+03:00")
    s2 = make("s2", "2020-04-26T20:00+03:00", "2020-04-26T21:00+03:00")
    agenda = programme(s1, s2).agenda("Asia/Kamchatka")
    lines = agenda.to_text().splitlines()
    assert lines == [
        "Sunday, 26 April 2020 (Asia/Kamchatka)",
        "  19:00–20:00  Session s1 [A]",
        "Monday, 27 April 2020 (Asia/Kamchatka)",
        "  05:00–06:00  Session s2 [A]",
    ]


def test_programme_equality_ignores_the_index() -> None:
    s1 = make("s1", "2020-04-26T10:00+03:00", "2020-04-26T11:00+03:00")
    assert programme(s1) == programme(s1)
    assert programme(s1) != programme(attrs.evolve(s1, title="x"))


@given(mst.programmes(max_sessions=12))
def test_queries_agree_with_a_scan(prog: Programme) -> None:
    for session in prog.sessions:
        middle = session.starts_at + session.duration / 2
        live = prog.live_at(middle)
        assert session in live
        assert live == tuple(s for s in prog.ordered if s.starts_at <= middle < s.ends_at)
        for person, _ in session.people():
            assert session in prog.sessions_of(person)
        assert session in prog.sessions_in_channel(session.channel)
    by_phase = sum(len(prog.sessions_in_phase(phase)) for phase in prog.salon.phases)
    assert by_phase == len(prog.sessions)
    assert list(prog.ordered) == sorted(prog.sessions, key=lambda s: (s.starts_at, s.ends_at, s.id))
