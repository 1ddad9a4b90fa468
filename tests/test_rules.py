"""Every scheduling rule: one example per code, its knobs, and property tests."""

import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mmso_core import Interval, InvalidValueError, Severity, in_zone
from mmso_core.regions import all_regions
from mmso_core.schedule import (
    DEFAULT_SEVERITIES,
    RULE_CODES,
    Channel,
    IntensityPolicy,
    Person,
    Phase,
    Programme,
    Role,
    Rules,
    Salon,
    Session,
    check,
)
from mmso_core.testing import strategies as mst

SALON = Salon(
    name="Mini",
    zone="Europe/Moscow",
    phases=[
        Phase(
            kind="main",
            name="Main",
            first_day="2020-04-26",
            last_day="2020-04-27",
            policy=IntensityPolicy(max_parallel=2, max_per_day=3, daily_hours=("10:00", "21:00")),
        ),
        Phase(
            kind="continuation",
            name="More",
            first_day="2020-04-28",
            last_day="2020-04-30",
            policy=IntensityPolicy(allowed_formats=["panel", "round-table"]),
        ),
    ],
)
PEOPLE = tuple(Person(id=f"p{n}", name=f"Person {n}", region="RU-MOW") for n in range(12))
CHANNELS = tuple(Channel(id=c, name=c.upper()) for c in "abc")


def make(sid: str, start: str, end: str, channel: str = "a", **more: object) -> Session:
    """A panel with a full crew; ``crew=n`` picks people p(4n)..p(4n+3)."""
    base = 4 * int(str(more.pop("crew", 0)))
    fields: dict[str, object] = {
        "id": sid,
        "title": f"Session {sid}",
        "format": "panel",
        "starts_at": f"2020-{start}+03:00",
        "ends_at": f"2020-{end}+03:00",
        "channel": channel,
        "moderator": f"p{base}",
        "speakers": (f"p{base + 1}",),
        "technician": f"p{base + 2}",
        "chat_expert": f"p{base + 3}",
    }
    fields.update(more)
    return Session(**fields)  # type: ignore[arg-type] # fields built as a loose dict


def report_codes(
    *sessions: Session, rules: Rules | None = None, people: tuple[Person, ...] = PEOPLE
) -> list[tuple[str, tuple[str, ...]]]:
    prog = Programme(salon=SALON, people=people, channels=CHANNELS, sessions=sessions)
    return [(v.code, v.subjects) for v in check(prog, rules).violations]


def test_clean_programme_has_no_violations() -> None:
    assert (
        report_codes(
            make("s1", "04-26T10:00", "04-26T11:00"),
            make("s2", "04-26T11:10", "04-26T12:00"),
            make("s3", "04-26T10:00", "04-26T11:00", channel="b", crew=1),
        )
        == []
    )


def test_person_double_booked_names_person_and_sessions() -> None:
    s1 = make("s1", "04-26T10:00", "04-26T11:00")
    s2 = make("s2", "04-26T10:30", "04-26T11:30", channel="b", crew=1, speakers=("p5", "p0"))
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=(s1, s2))
    (violation,) = check(prog).violations
    assert violation.code == "person-double-booked"
    assert violation.subjects == ("p0", "s1", "s2")
    assert violation.severity is Severity.ERROR
    assert violation.message("en") == (
        "Person 0 (p0) is booked in overlapping sessions s1 (2020-04-26 10:00–11:00 "
        "Europe/Moscow) and s2 (2020-04-26 10:30–11:30 Europe/Moscow)"
    )
    assert violation.message("ru").startswith(
        "Person 0 (p0) занят(а) одновременно в мероприятиях s1"
    )


def test_touching_sessions_do_not_overlap() -> None:
    s1 = make("s1", "04-26T10:00", "04-26T11:00")
    s2 = make("s2", "04-26T11:00", "04-26T12:00", channel="b")
    assert report_codes(s1, s2) == []


def test_a_relay_does_not_double_book_its_people() -> None:
    s1 = make("s1", "04-26T10:00", "04-26T11:00")
    relay = make(
        "s2",
        "04-26T10:00",
        "04-26T11:00",
        channel="b",
        relay_of="s1",
        technician="p6",
        chat_expert="p7",
    )
    two_relays = make(
        "s3",
        "04-26T10:00",
        "04-26T11:00",
        channel="c",
        relay_of="s1",
        technician="p10",
        chat_expert="p11",
    )
    assert report_codes(s1, relay, two_relays) == []
    # ... but a relay's own crew can still be double-booked elsewhere
    busy = make(
        "s4", "04-26T10:30", "04-26T11:30", channel="a", crew=2, technician="p6", follows_up=None
    )
    codes = report_codes(s1, relay, busy)
    assert ("person-double-booked", ("p6", "s2", "s4")) in codes


def test_channel_overlap_and_changeover() -> None:
    s1 = make("s1", "04-26T10:00", "04-26T11:00")
    s2 = make("s2", "04-26T10:30", "04-26T11:30", crew=1)
    s3 = make("s3", "04-26T11:35", "04-26T12:30", crew=2)
    assert report_codes(s1, s2, s3) == [
        ("channel-overlap", ("a", "s1", "s2")),
        ("changeover-too-short", ("a", "s2", "s3")),
    ]
    assert report_codes(s1, s2, s3, rules=Rules(changeover=dt.timedelta(0))) == [
        ("channel-overlap", ("a", "s1", "s2")),
    ]
    assert report_codes(s1, s2, s3, rules=Rules(disabled={"channel-overlap"})) == [
        ("changeover-too-short", ("a", "s2", "s3")),
    ]
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=(s1, s2, s3))
    changeover = check(prog).violations[1]
    assert (
        changeover.message()
        == "only 5 min between s2 and s3 in channel a (changeover needs 10 min)"
    )
    assert (
        changeover.message("ru") == "между s2 и s3 в плеере a всего 5 мин (на смену нужно 10 мин)"
    )


def test_changeover_counts_from_the_latest_end_in_the_channel() -> None:
    long = make("s1", "04-26T10:00", "04-26T13:00", format="other")
    inner = make("s2", "04-26T10:30", "04-26T11:00", crew=1, format="other")
    after = make("s3", "04-26T13:05", "04-26T14:00", crew=2)
    codes = [code for code, _ in report_codes(long, inner, after)]
    assert codes == ["channel-overlap", "changeover-too-short"]
    assert report_codes(long, inner, after)[1] == ("changeover-too-short", ("a", "s1", "s3"))


def test_outside_phase() -> None:
    assert report_codes(make("s1", "05-02T10:00", "05-02T11:00")) == [("outside-phase", ("s1",))]
    straddling = make("s2", "04-27T23:30", "04-28T00:30")
    assert report_codes(straddling) == [("outside-phase", ("s2",))]
    before = make("s3", "04-01T10:00", "04-01T11:00")
    assert report_codes(before) == [("outside-phase", ("s3",))]


def test_phase_parallel_limit_reports_one_violation_per_stretch() -> None:
    s1 = make("s1", "04-26T10:00", "04-26T12:00")
    s2 = make("s2", "04-26T10:00", "04-26T12:00", channel="b", crew=1)
    s3 = make("s3", "04-26T11:00", "04-26T11:30", channel="c", crew=2, format="other")
    relay = make("r", "04-26T11:00", "04-26T11:30", channel="c", relay_of="s1")
    codes = report_codes(s1, s2, s3)
    assert codes == [("phase-parallel-limit", ("s1", "s2", "s3"))]
    # a relay is the same talk: it does not count against the limit
    relay = attrs.evolve(
        relay, technician="p8", chat_expert="p9", starts_at=s1.starts_at, ends_at=s1.ends_at
    )
    assert report_codes(s1, s2, relay) == []
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=(s1, s2, s3))
    assert check(prog).violations[0].message() == (
        "3 sessions live at once from 2020-04-26 11:00 (s1, s2, s3); phase 'Main' allows 2"
    )


def test_phase_daily_limit_counts_local_days() -> None:
    sessions = [make(f"s{n}", f"04-26T{10 + 2 * n}:00", f"04-26T{11 + 2 * n}:00") for n in range(4)]
    assert report_codes(*sessions) == [("phase-daily-limit", ("s0", "s1", "s2", "s3"))]
    assert report_codes(*sessions[:3]) == []


def test_outside_phase_hours() -> None:
    assert report_codes(make("s1", "04-26T09:30", "04-26T10:30")) == [
        ("outside-phase-hours", ("s1",))
    ]
    assert report_codes(make("s1", "04-26T20:30", "04-26T21:30")) == [
        ("outside-phase-hours", ("s1",))
    ]
    assert report_codes(make("s1", "04-26T20:00", "04-26T21:00")) == []


def test_format_not_allowed() -> None:
    webinar = make("s1", "04-28T10:00", "04-28T11:00", format="webinar")
    assert report_codes(webinar) == [("format-not-allowed", ("s1",))]


def test_person_unavailable() -> None:
    window = Interval(start="2020-04-26T09:00+03:00", end="2020-04-26T12:00+03:00")
    people = tuple(attrs.evolve(p, availability=[window]) if p.id == "p1" else p for p in PEOPLE)
    inside = make("s1", "04-26T10:00", "04-26T11:00")
    outside = make("s2", "04-26T11:30", "04-26T12:30", crew=1, speakers=("p1",))
    before = make("s3", "04-27T10:00", "04-27T11:00", crew=2, speakers=("p1",))
    assert report_codes(inside, outside, before, people=people) == [
        ("person-unavailable", ("p1", "s2")),
        ("person-unavailable", ("p1", "s3")),
    ]
    early = Interval(start="2020-04-27T11:00+03:00", end="2020-04-27T12:00+03:00")
    people = tuple(attrs.evolve(p, availability=[early]) if p.id == "p10" else p for p in PEOPLE)
    assert report_codes(before, people=people) == [("person-unavailable", ("p10", "s3"))]


def test_availability_windows_are_merged() -> None:
    halves = [
        Interval(start="2020-04-26T09:00+03:00", end="2020-04-26T10:30+03:00"),
        Interval(start="2020-04-26T10:30+03:00", end="2020-04-26T12:00+03:00"),
        Interval(start="2020-04-26T09:30+03:00", end="2020-04-26T10:00+03:00"),
    ]
    people = tuple(attrs.evolve(p, availability=halves) if p.id == "p0" else p for p in PEOPLE)
    assert report_codes(make("s1", "04-26T10:00", "04-26T11:00"), people=people) == []


def test_missing_role() -> None:
    bare = make("s1", "04-26T10:00", "04-26T11:00", moderator=None, speakers=(), chat_expert=None)
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=(bare,))
    (violation,) = check(prog).violations
    assert violation.code == "missing-role"
    assert violation.message() == "session s1 has no moderator, speaker, chat expert"
    assert violation.message("ru") == (
        "у мероприятия s1 не назначены: модератор, спикер, эксперт-модератор чата"
    )
    relaxed = Rules(required_roles=[Role.MODERATOR, "technician"])
    assert [v.code for v in check(prog, relaxed).violations] == ["missing-role"]
    assert check(prog, Rules(required_roles=["technician"])).violations == ()


def test_duration_out_of_range() -> None:
    short = make("s1", "04-26T10:00", "04-26T10:20")
    assert report_codes(short) == [("duration-out-of-range", ("s1",))]
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=(short,))
    assert check(prog).violations[0].message() == (
        "session s1 lasts 20 min; the format «panel discussion» allows 45–120 min"
    )
    lenient = Rules(durations={"panel": (dt.timedelta(minutes=10), dt.timedelta(hours=2))})
    assert report_codes(short, rules=lenient) == []
    assert report_codes(short, rules=Rules(durations={})) == []


def test_outside_audience_hours_in_the_audiences_local_time() -> None:
    # 17:20 Moscow is 18:20 in Samara but 02:20 the next day in Kamchatka
    samara = make("s1", "04-26T17:20", "04-26T18:50", audience_regions=["RU-SAM"])
    kamchatka = make(
        "s2",
        "04-26T17:20",
        "04-26T18:50",
        channel="b",
        crew=1,
        audience_regions=["RU-SAM", "RU-KAM"],
    )
    assert report_codes(samara, kamchatka) == [("outside-audience-hours", ("s2", "RU-KAM"))]
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=(kamchatka,))
    violation = check(prog).violations[0]
    assert violation.message() == (
        "session s2 runs 02:20–03:50 local time in Kamchatka Krai, outside its audience hours "
        "08:00–22:00"
    )
    assert "Камчатский край" in violation.message("ru")
    night_owls = Rules(audience_hours_by_region={"Камчатский край": (dt.time(0), dt.time(23))})
    assert report_codes(kamchatka, rules=night_owls) == []
    late_end = make("s3", "04-26T20:00", "04-26T21:00", audience_regions=["RU-SVE"])
    assert report_codes(late_end) == [("outside-audience-hours", ("s3", "RU-SVE"))]
    just_in_time = make("s4", "04-26T20:00", "04-26T21:00", audience_regions=["RU-SAM"])
    assert report_codes(just_in_time) == []  # ends at 22:00 in Samara: within the hours


def test_follow_up_before_original() -> None:
    original = make("s1", "04-27T10:00", "04-27T11:00")
    late = make("s3", "04-29T10:30", "04-29T11:30", channel="b", crew=1, follows_up="s1")
    assert report_codes(original, late) == []
    more = make("s4", "04-28T10:00", "04-28T11:00")
    early = make("s2", "04-28T10:30", "04-28T11:30", channel="b", crew=1, follows_up="s4")
    assert report_codes(more, early) == [
        ("follow-up-before-original", ("s2", "s4")),
        ("follow-up-out-of-phase", ("s2", "s4")),
    ]


def test_follow_up_continues_a_main_session_in_the_continuation() -> None:
    main = make("s1", "04-26T10:00", "04-26T11:00")
    same_phase = make("s2", "04-27T10:00", "04-27T11:00", follows_up="s1")
    assert report_codes(main, same_phase) == [("follow-up-out-of-phase", ("s2", "s1"))]
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=(main, same_phase))
    violation = check(prog).violations[0]
    assert violation.message() == (
        "session s2 (main phase) follows up s1 (main phase); a follow-up continues a "
        "main-phase session in the continuation"
    )
    assert violation.severity is Severity.WARNING
    stray = make("s3", "05-05T10:00", "05-05T11:00", follows_up="s1")  # outside every phase
    assert report_codes(main, stray) == [("outside-phase", ("s3",))]


def test_recording_late() -> None:
    on_time = make(
        "s1", "04-26T10:00", "04-26T11:00", recording_available_at="2020-04-26T11:00+03:00"
    )
    late = make("s2", "04-26T12:00", "04-26T13:00", recording_available_at="2020-04-26T14:30+03:00")
    assert report_codes(on_time, late) == [("recording-late", ("s2",))]
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=(late,))
    assert check(prog).violations[0].message() == (
        "the recording of s2 becomes available 90 min after the end (allowed: 0 min)"
    )
    assert report_codes(late, rules=Rules(recording_lag=dt.timedelta(hours=2))) == []


def test_severities_and_error_threshold() -> None:
    late = make("s1", "04-26T10:00", "04-26T11:00", recording_available_at="2020-04-26T12:00+03:00")
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=(late,))
    report = check(prog)
    assert report.ok
    assert report.violations[0].severity is Severity.WARNING
    strict = check(prog, Rules(error_threshold=Severity.WARNING))
    assert not strict.ok
    assert strict.errors == strict.violations
    promoted = check(prog, Rules(severities={"recording-late": "error"}))
    assert promoted.violations[0].severity is Severity.ERROR
    assert not promoted.ok
    assert (
        Rules(severities={"recording-late": Severity.INFO}).severity("recording-late")
        is Severity.INFO
    )


def test_rules_refuse_bad_knobs() -> None:
    with pytest.raises(InvalidValueError, match="unknown rule codes"):
        Rules(disabled={"no-such-rule"})
    with pytest.raises(InvalidValueError, match="unknown rule code"):
        Rules(severities={"no-such-rule": "error"})
    with pytest.raises(InvalidValueError, match="'info', 'warning' or 'error'"):
        Rules(severities={"recording-late": "fatal"})
    with pytest.raises(InvalidValueError, match="required_roles"):
        Rules(required_roles=["juggler"])


def test_every_code_has_a_default_severity_and_can_be_disabled() -> None:
    assert set(DEFAULT_SEVERITIES) == set(RULE_CODES)
    busy = (
        make("s1", "04-26T10:00", "04-26T11:00", audience_regions=["RU-KAM"]),
        make("s2", "04-26T10:30", "04-26T12:00", moderator=None),
    )
    assert report_codes(*busy, rules=Rules(disabled=RULE_CODES)) == []


def test_report_text_in_both_locales() -> None:
    prog = Programme(
        salon=SALON,
        people=PEOPLE,
        channels=CHANNELS,
        sessions=(make("s1", "05-02T10:00", "05-02T11:00"),),
    )
    report = check(prog)
    assert report.to_text().splitlines()[-1] == "1 error(s), 1 violation(s) in all"
    assert report.to_text("ru").splitlines()[0].startswith("ошибка [outside-phase] мероприятие s1")
    assert report.codes() == {"outside-phase": 1}


# --- properties ---------------------------------------------------------------------


@given(mst.programmes())
def test_a_programme_built_conflict_free_has_no_violations(prog: Programme) -> None:
    assert check(prog).violations == ()


@given(mst.programmes(min_sessions=1), st.data())
def test_planting_a_double_booking_yields_exactly_that_violation(
    prog: Programme, data: st.DataObject
) -> None:
    original = data.draw(st.sampled_from([s for s in prog.sessions if s.relay_of is None]))
    assert original.moderator is not None
    crew = [Person(id=f"new{n}", name=f"New {n}", zone=prog.salon.zone) for n in range(3)]
    planted = attrs.evolve(
        original,
        id="planted",
        channel="planted-channel",
        moderator="new0",
        speakers=(original.moderator,),
        technician="new1",
        chat_expert="new2",
        audience_regions=(),
        follows_up=None,
        relay_of=None,
    )
    changed = attrs.evolve(
        prog,
        people=(*prog.people, *crew),
        channels=(*prog.channels, Channel(id="planted-channel", name="Planted")),
        sessions=(*prog.sessions, planted),
    )
    violations = check(changed).violations
    # one violation however many relays stream the original: they are one talk
    assert [v.code for v in violations] == ["person-double-booked"]
    assert violations[0].subjects[0] == original.moderator
    assert set(violations[0].subjects[1:]) == {original.id, "planted"}


@given(mst.programmes(min_sessions=1), st.data())
def test_planting_a_channel_clash_yields_exactly_that_violation(
    prog: Programme, data: st.DataObject
) -> None:
    original = data.draw(st.sampled_from(prog.sessions))
    crew = [Person(id=f"new{n}", name=f"New {n}", zone=prog.salon.zone) for n in range(4)]
    planted = attrs.evolve(
        original,
        id="planted",
        moderator="new0",
        speakers=("new1",),
        technician="new2",
        chat_expert="new3",
        audience_regions=(),
        follows_up=None,
        relay_of=None,
    )
    changed = attrs.evolve(prog, people=(*prog.people, *crew), sessions=(*prog.sessions, planted))
    violations = check(changed).violations
    assert [v.code for v in violations] == ["channel-overlap"]
    assert set(violations[0].subjects) == {original.channel, original.id, "planted"}


@given(st.lists(mst.intervals(max_duration=dt.timedelta(hours=5)), max_size=25))
def test_double_booking_sweep_equals_all_pairs(spans: list[Interval]) -> None:
    person = Person(id="p", name="P")
    channels = tuple(Channel(id=f"c{n}", name=f"C{n}") for n in range(len(spans)))
    sessions = tuple(
        Session(
            id=f"s{n:02d}",
            title="T",
            format="other",
            starts_at=span.start,
            ends_at=span.end,
            channel=f"c{n}",
            moderator="p",
        )
        for n, span in enumerate(spans)
    )
    salon = Salon(name="S", zone="UTC")
    prog = Programme(salon=salon, people=(person,), channels=channels, sessions=sessions)
    only = Rules(disabled=set(RULE_CODES) - {"person-double-booked"})
    found = {frozenset(v.subjects[1:]) for v in check(prog, only).violations}
    expected = {
        frozenset((a.id, b.id))
        for a, b in itertools.combinations(sessions, 2)
        if a.interval.overlaps(b.interval)
    }
    assert found == expected
    assume(len(spans) > 1)


def test_parallel_limit_counts_sessions_starting_together() -> None:
    # regression: sessions starting at the same instant were left out of the count
    grid = [
        make(f"s{c}", "04-26T10:00", "04-26T11:00", channel=c, crew=n) for n, c in enumerate("abc")
    ]
    codes = report_codes(*grid)
    assert codes == [("phase-parallel-limit", ("sa", "sb", "sc"))]
    prog = Programme(salon=SALON, people=PEOPLE, channels=CHANNELS, sessions=tuple(grid))
    assert (
        check(prog)
        .violations[0]
        .message()
        .startswith("3 sessions live at once from 2020-04-26 10:00")
    )


def test_parallel_limit_hand_over_keeps_one_stretch() -> None:
    # regression: an end and a start at one instant split one stretch into two violations
    a = make("a1", "04-26T10:00", "04-26T12:00", format="other")
    b = make("b1", "04-26T10:00", "04-26T12:00", channel="b", crew=1, format="other")
    c = make("c1", "04-26T11:00", "04-26T11:30", channel="c", crew=2, format="other")
    d = make("c2", "04-26T11:30", "04-26T12:00", channel="c", crew=2, format="other")
    assert report_codes(a, b, c, d) == [
        ("phase-parallel-limit", ("a1", "b1", "c1", "c2")),
        ("changeover-too-short", ("c", "c1", "c2")),
        ("phase-daily-limit", ("a1", "b1", "c1", "c2")),
    ]


PLANTS = [
    "duration-out-of-range",
    "missing-role",
    "recording-late",
    "format-not-allowed",
    "person-unavailable",
    "outside-audience-hours",
]


@given(mst.programmes(min_sessions=1), st.sampled_from(PLANTS), st.data())
def test_planting_one_conflict_yields_exactly_its_code(
    prog: Programme, code: str, data: st.DataObject
) -> None:
    relayed = {s.relay_of for s in prog.sessions if s.relay_of}
    candidates = [s for s in prog.sessions if s.relay_of is None and s.id not in relayed]
    if code == "format-not-allowed":
        continuation = prog.salon.phases[1]
        candidates = [s for s in candidates if prog.phase_of(s) == continuation]
    assume(candidates)
    target = data.draw(st.sampled_from(candidates))
    people = prog.people
    if code == "duration-out-of-range":
        planted = attrs.evolve(
            target, ends_at=target.starts_at + dt.timedelta(minutes=20), recording_available_at=None
        )
    elif code == "missing-role":
        planted = attrs.evolve(target, chat_expert=None)
    elif code == "recording-late":
        planted = attrs.evolve(
            target, recording_available_at=target.ends_at + dt.timedelta(hours=1)
        )
    elif code == "format-not-allowed":
        planted = attrs.evolve(target, format="debate")
    elif code == "person-unavailable":
        planted = target
        never = Interval(start="1999-01-01T00:00Z", end="1999-01-02T00:00Z")
        people = tuple(
            attrs.evolve(p, availability=[never]) if p.id == target.moderator else p for p in people
        )
    else:
        late = [
            r.iso
            for r in all_regions()
            if not (
                in_zone(target.starts_at, r).hour >= 8
                and in_zone(target.ends_at, r).date() == in_zone(target.starts_at, r).date()
                and in_zone(target.ends_at, r).time() <= dt.time(22)
            )
        ]
        assume(late)
        planted = attrs.evolve(target, audience_regions=(data.draw(st.sampled_from(late)),))
    changed = attrs.evolve(
        prog,
        people=people,
        sessions=tuple(planted if s.id == target.id else s for s in prog.sessions),
    )
    violations = check(changed).violations
    assert violations
    assert {v.code for v in violations} == {code}
    subject = target.moderator if code == "person-unavailable" else target.id
    assert all(subject in v.subjects for v in violations)
