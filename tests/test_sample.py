"""The embedded MMSO-2020 sample: real dates, real shape, the Samara round table."""

import datetime as dt
from collections import Counter

from mmso_core import ManualClock, in_zone, region
from mmso_core.samples import (
    SAMARA_ROUND_TABLE_ID,
    SAMARA_ROUND_TABLE_TITLE,
    mmso_2020,
    samara_broadcast,
)
from mmso_core.samples._mmso2020 import _Generator
from mmso_core.schedule import (
    Broadcast,
    BroadcastStatus,
    Cluster,
    PhaseKind,
    SessionFormat,
    check,
)


def test_sample_checks_clean() -> None:
    report = check(mmso_2020())
    assert report.violations == ()
    assert report.ok


def test_phases_on_their_real_dates_in_moscow() -> None:
    salon = mmso_2020().salon
    assert salon.name == "ММСО-2020"
    assert salon.zone == "Europe/Moscow"
    main, more = salon.phases
    assert (main.kind, main.first_day, main.last_day) == (
        PhaseKind.MAIN,
        dt.date(2020, 4, 26),
        dt.date(2020, 4, 29),
    )
    assert (more.kind, more.first_day, more.last_day) == (
        PhaseKind.CONTINUATION,
        dt.date(2020, 4, 30),
        dt.date(2020, 5, 8),
    )


def test_about_200_sessions_main_phase_clearly_more_intense() -> None:
    programme = mmso_2020()
    assert 180 <= len(programme.sessions) <= 220
    main, more = programme.salon.phases
    per_day_main = len(programme.sessions_in_phase(main)) / len(main.days())
    per_day_more = len(programme.sessions_in_phase(more)) / len(more.days())
    assert per_day_main > 3 * per_day_more
    assert main.policy.max_parallel is not None
    assert more.policy.max_parallel is not None
    assert main.policy.max_parallel > more.policy.max_parallel


def test_people_channels_clusters_follow_ups_relays() -> None:
    programme = mmso_2020()
    assert 900 <= len(programme.people) <= 1100
    assert len({p.region for p in programme.people}) >= 60
    assert all(p.organisation for p in programme.people)
    assert len(programme.channels) >= 8
    assert {s.cluster for s in programme.sessions} == {c.value for c in Cluster}
    follow_ups = [s for s in programme.sessions if s.follows_up is not None]
    assert len(follow_ups) >= 15
    for item in follow_ups:
        phase = programme.phase_of(item)
        original = programme.phase_of(programme.session(item.follows_up))  # type: ignore[arg-type] # filtered to non-None above
        assert phase is not None
        assert phase.kind is PhaseKind.CONTINUATION
        assert original is not None
        assert original.kind is PhaseKind.MAIN
    relays = [s for s in programme.sessions if s.relay_of is not None]
    assert relays
    assert any(p.availability for p in programme.people)
    formats = Counter(s.format for s in programme.sessions)
    assert len(formats) >= 8


def test_samara_round_table() -> None:
    programme = mmso_2020()
    table = programme.session(SAMARA_ROUND_TABLE_ID)
    assert table.title == SAMARA_ROUND_TABLE_TITLE
    assert table.title == "Опыт, проблемы и перспективы дистанционного обучения в Самарской области"
    assert table.format is SessionFormat.ROUND_TABLE
    assert table.audience_regions == (region("Самарская область").iso,)
    moscow = in_zone(table.starts_at, "Europe/Moscow")
    samara = in_zone(table.starts_at, region("RU-SAM"))
    assert (moscow.date(), moscow.hour, moscow.minute) == (dt.date(2020, 4, 29), 17, 20)
    assert (samara.hour, samara.minute) == (18, 20)
    assert all(programme.person(p).region == "RU-SAM" for p, _ in table.people()[:6])


def test_sample_is_deterministic_and_seeded() -> None:
    first = _Generator(2020).build()
    assert first == _Generator(2020).build()
    assert first == mmso_2020()
    other = mmso_2020(seed=7)
    assert other != first
    assert check(other).ok


def test_sample_broadcast_of_the_round_table() -> None:
    show = samara_broadcast()
    table = mmso_2020().session(SAMARA_ROUND_TABLE_ID)
    assert show.session == table
    assert show.state.status is BroadcastStatus.ENDED
    assert [turn.speaker for turn in show.state.turns] == list(table.speakers)
    assert show.state.started_at == table.starts_at
    assert show.overrun(table.ends_at) == dt.timedelta(minutes=5)
    assert {event.by for event in show.log} == {table.technician}
    assert Broadcast.from_json(show.to_json(), session=table) == show


def test_chat_2020_is_a_realistic_deterministic_chat() -> None:
    from mmso_core.moderation import Moderator, Policy  # noqa: PLC0415
    from mmso_core.samples import SAMARA_CHAT_ID, chat_2020  # noqa: PLC0415

    chat = chat_2020()
    table = mmso_2020().session("samara-round-table")
    assert len({m.id for m in chat}) == len(chat) == 198
    assert all(m.chat == SAMARA_CHAT_ID for m in chat)
    assert [m.sent_at for m in chat] == sorted(m.sent_at for m in chat)
    assert table.starts_at <= chat[0].sent_at
    assert chat[-1].sent_at <= table.ends_at + dt.timedelta(minutes=5)
    assert {m.role.value for m in chat} == {"visitor", "speaker", "chat-expert"}
    assert {m.author for m in chat if m.role.value == "chat-expert"} == {table.chat_expert}
    clock = ManualClock(at=chat[0].sent_at)
    moderator = Moderator(Policy.default(), clock=clock)
    codes: list[str] = []
    for message in chat:
        clock.advance(message.sent_at - clock.now())
        codes += [r.code for r in moderator.submit(message).reasons]
    assert {code: codes.count(code) for code in set(codes) - {"pre-moderation"}} == {
        "obscene": 6, "flood": 2, "link-not-allowed": 2, "caps": 1, "duplicate": 1, "mentions": 1,
    }  # fmt: skip
