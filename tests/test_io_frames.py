"""pandas frames of a programme, its people and an exhibition's stands."""

import datetime as dt
import importlib
import sys
import zoneinfo
from collections import Counter

import pandas as pd  # type: ignore[import-untyped,unused-ignore] # no pandas-stubs in dev
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mmso_core import ManualClock, MissingExtraError, PermissionDenied, UnknownZoneError, at_local
from mmso_core.errors import InvalidValueError
from mmso_core.exhibition import ExhibitorKind
from mmso_core.io.frames import (
    AUDIT_COLUMNS,
    SESSION_COLUMNS,
    SUBMISSION_OUTCOMES,
    audit_frame,
    load_frame,
    outcomes_frame,
    people_frame,
    sessions_frame,
    stands_frame,
    start_hours_frame,
)
from mmso_core.moderation import AuditEntry, ChatMessage, Decision, Moderator, Policy
from mmso_core.regions import all_regions, region, russian_zones
from mmso_core.samples import chat_2020, exhibition_2020, mmso_2020
from mmso_core.schedule import (
    Channel,
    IntensityPolicy,
    Phase,
    Programme,
    Role,
    Salon,
    Session,
    SessionFormat,
    check,
)
from mmso_core.testing import strategies as mst

SAMPLE = mmso_2020()
EXHIBITION = exhibition_2020()


def _aware(frame: pd.DataFrame, column: str) -> str:
    dtype = frame[column].dtype
    assert isinstance(dtype, pd.DatetimeTZDtype), (column, dtype)
    assert dtype.unit == "us"
    return str(dtype.tz)


# --- sessions_frame ----------------------------------------------------------------


def test_sessions_frame_has_one_row_per_session_in_start_order() -> None:
    frame = sessions_frame(SAMPLE)
    assert tuple(frame.columns) == SESSION_COLUMNS
    assert len(frame) == len(SAMPLE.sessions)
    assert list(frame["id"]) == [s.id for s in SAMPLE.ordered]
    assert isinstance(frame.index, pd.RangeIndex)


def test_sessions_frame_dtypes() -> None:
    frame = sessions_frame(SAMPLE)
    for column in ("id", "title", "channel_name", "moderator", "technician", "chat_expert"):
        assert frame[column].dtype == pd.StringDtype(), column
    for column in ("follows_up", "relay_of"):
        assert frame[column].dtype == pd.StringDtype(), column
    for column in ("format", "cluster", "phase", "phase_kind", "channel"):
        assert isinstance(frame[column].dtype, pd.CategoricalDtype), column
    for column in ("starts_at", "ends_at", "recording_available_at"):
        assert _aware(frame, column) == "UTC"
    assert frame["duration"].dtype == "timedelta64[us]"
    assert frame["speakers"].dtype == object
    assert frame["audience_regions"].dtype == object


def test_sessions_frame_values_match_the_model() -> None:
    frame = sessions_frame(SAMPLE).set_index("id")
    for session in SAMPLE.sessions:
        row = frame.loc[session.id]
        assert row["starts_at"] == pd.Timestamp(session.starts_at)
        assert row["ends_at"] == pd.Timestamp(session.ends_at)
        assert row["duration"] == session.duration
        assert row["format"] == session.format.value
        assert row["channel"] == session.channel
        assert row["speakers"] == session.speakers
        assert row["audience_regions"] == session.audience_regions
        phase = SAMPLE.phase_of(session)
        assert row["phase"] == (phase.name if phase else None)
        assert pd.isna(row["relay_of"]) == (session.relay_of is None)


def test_categories_are_the_models_values_in_order() -> None:
    frame = sessions_frame(SAMPLE)
    assert list(frame["format"].cat.categories) == [f.value for f in SessionFormat]
    assert list(frame["phase"].cat.categories) == [p.name for p in SAMPLE.salon.phases]
    assert list(frame["phase_kind"].cat.categories) == ["main", "continuation"]
    assert list(frame["channel"].cat.categories) == [c.id for c in SAMPLE.channels]
    counts = frame["format"].value_counts()
    assert counts["plenary"] == sum(s.format is SessionFormat.PLENARY for s in SAMPLE.sessions)
    assert counts["other"] == 0  # an unused format is still a category
    expected = Counter(s.cluster for s in SAMPLE.sessions)
    assert frame["cluster"].value_counts().to_dict() == expected


def test_phase_counts_match_sessions_in_phase() -> None:
    frame = sessions_frame(SAMPLE)
    for phase in SAMPLE.salon.phases:
        assert (frame["phase"] == phase.name).sum() == len(SAMPLE.sessions_in_phase(phase))


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Asia/Kamchatka", "Asia/Kamchatka"),
        (zoneinfo.ZoneInfo("Europe/Samara"), "Europe/Samara"),
        (region("Иркутская область"), "Asia/Irkutsk"),
        (dt.timezone(dt.timedelta(hours=5)), "UTC+05:00"),
    ],
)
def test_every_datetime_column_is_in_the_zone_asked(zone: object, label: str) -> None:
    frame = sessions_frame(SAMPLE, zone=zone)  # type: ignore[arg-type] # a region or tzinfo
    for column in ("starts_at", "ends_at", "recording_available_at"):
        assert _aware(frame, column) == label
    utc = sessions_frame(SAMPLE)
    assert (frame["starts_at"] == utc["starts_at"]).all()  # the same instants


def test_samara_round_table_in_local_time() -> None:
    frame = sessions_frame(SAMPLE, zone="Europe/Samara").set_index("id")
    assert frame.loc["samara-round-table", "starts_at"].isoformat() == "2020-04-29T18:20:00+04:00"


def test_missing_values_are_na() -> None:
    session = Session(
        id="s1",
        title="Talk",
        format="talk",
        starts_at="2020-04-29T10:00Z",
        ends_at="2020-04-29T11:00Z",
        channel="c",
        cluster="robotics",  # not a Cluster: it becomes a category after the known ones
    )
    programme = Programme(
        salon=Salon(name="S"), people=[], channels=[Channel(id="c", name="C")], sessions=[session]
    )
    frame = sessions_frame(programme)
    assert pd.isna(frame.at[0, "moderator"])
    assert pd.isna(frame.at[0, "phase"])  # the salon has no phases
    assert pd.isna(frame.at[0, "recording_available_at"])
    assert frame["cluster"].cat.categories[-1] == "robotics"
    assert frame.at[0, "speakers"] == ()


def test_empty_programme_gives_typed_empty_frames() -> None:
    programme = Programme(salon=Salon(name="S"), people=[], channels=[], sessions=[])
    frame = sessions_frame(programme, zone="Europe/Moscow")
    assert len(frame) == 0
    assert _aware(frame, "starts_at") == "Europe/Moscow"
    assert isinstance(frame["format"].dtype, pd.CategoricalDtype)
    assert len(people_frame(programme)) == 0
    assert len(load_frame(programme)) == 0
    hours = start_hours_frame(programme)
    assert hours.to_numpy().sum() == 0
    assert len(hours) == len(russian_zones())


def test_bad_arguments_raise_library_errors() -> None:
    with pytest.raises(InvalidValueError, match="programme"):
        sessions_frame("not a programme")  # type: ignore[arg-type] # the error under test
    with pytest.raises(InvalidValueError, match="exhibition"):
        stands_frame(SAMPLE)  # type: ignore[arg-type] # the error under test
    with pytest.raises(UnknownZoneError):
        sessions_frame(SAMPLE, zone="Mars/Olympus")
    with pytest.raises(UnknownZoneError):
        start_hours_frame(SAMPLE, zones=["Europe/Moscow", "Nowhere/Else"])


class _NoOffset(dt.tzinfo):
    def utcoffset(self, value: dt.datetime | None) -> None:
        return None

    def dst(self, value: dt.datetime | None) -> None:
        return None

    def tzname(self, value: dt.datetime | None) -> None:
        return None


def test_a_zone_without_offset_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="zone"):
        sessions_frame(SAMPLE, zone=_NoOffset())


def test_without_pandas_a_call_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    frames = importlib.import_module("mmso_core.io.frames")
    with pytest.raises(MissingExtraError, match=r"mmso_core\[pandas\]"):
        frames.sessions_frame(SAMPLE)


def test_importing_the_module_does_not_import_pandas() -> None:
    import subprocess  # noqa: PLC0415 - only this test spawns a process

    code = (
        "import sys, mmso_core.io.frames, mmso_core.io.plots; "
        "print('pandas' in sys.modules, 'matplotlib' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=None
    )
    assert done.stdout.split() == ["False", "False"]


@given(mst.programmes(max_sessions=12), mst.zones(russian_only=True))
def test_sessions_frame_of_any_programme(programme: Programme, zone: str) -> None:
    frame = sessions_frame(programme, zone=zone)
    assert len(frame) == len(programme.sessions)
    assert _aware(frame, "starts_at") == zone
    assert (frame["ends_at"] > frame["starts_at"]).all()
    assert frame["starts_at"].is_monotonic_increasing
    assert frame["phase"].notna().all()  # strategy programmes keep sessions in phases
    assert list(frame["phase"].cat.categories) == [p.name for p in programme.salon.phases]
    assert (frame["relay_of"].notna()).sum() == sum(
        s.relay_of is not None for s in programme.sessions
    )
    for session, start in zip(programme.ordered, frame["starts_at"], strict=True):
        assert start == pd.Timestamp(session.starts_at)


# --- people_frame ----------------------------------------------------------------


def test_people_frame_rows_dtypes_and_counts() -> None:
    people = people_frame(SAMPLE)
    assert len(people) == len(SAMPLE.people)
    assert list(people["id"]) == [p.id for p in SAMPLE.people]
    for column in ("id", "name", "organisation"):
        assert people[column].dtype == pd.StringDtype()
    for column in ("region", "home_zone"):
        assert isinstance(people[column].dtype, pd.CategoricalDtype)
    assert list(people["region"].cat.categories) == [r.iso for r in all_regions()]
    assert people["always_available"].dtype == bool
    indexed = people.set_index("id")
    for person in SAMPLE.people[:60]:
        row = indexed.loc[person.id]
        assert row["sessions"] == len(SAMPLE.sessions_of(person.id))
        for role in Role:
            column = "as_" + role.value.replace("-", "_")
            assert row[column] == len(SAMPLE.sessions_of(person.id, role=role)), column
        assert row["home_zone"] == person.home_zone


@given(mst.programmes(max_sessions=10))
def test_people_frame_counts_every_role_once(programme: Programme) -> None:
    people = people_frame(programme)
    assert len(people) == len(programme.people)
    roles = ["as_moderator", "as_speaker", "as_technician", "as_chat_expert"]
    assert people[roles].to_numpy().sum() == sum(len(s.people()) for s in programme.sessions)
    assert people["as_moderator"].sum() == sum(s.moderator is not None for s in programme.sessions)
    for column in ["sessions", *roles]:
        assert people[column].dtype == "int64"


# --- stands_frame ----------------------------------------------------------------


def test_stands_frame_rows_and_dtypes() -> None:
    stands = stands_frame(EXHIBITION)
    assert len(stands) == len(EXHIBITION.stands)
    assert list(stands["id"]) == [s.id for s in EXHIBITION.stands]
    for column in ("exhibitor_kind", "region", "alley", "alley_cluster"):
        assert isinstance(stands[column].dtype, pd.CategoricalDtype), column
    assert list(stands["exhibitor_kind"].cat.categories) == [k.value for k in ExhibitorKind]
    assert list(stands["alley"].cat.categories) == [a.id for a in EXHIBITION.floor_plan.alleys]
    for column in ("opens_at", "closes_at"):
        assert _aware(stands, column) == "UTC"
    assert stands["offset"].dtype == "float64"
    assert stands["video_duration"].dtype == "timedelta64[us]"
    assert stands["rooms"].sum() == len(EXHIBITION.rooms)
    assert stands["webinars"].sum() == len(EXHIBITION.webinars)
    first = EXHIBITION.stands[0]
    assert stands.at[0, "opens_at"] == pd.Timestamp(first.opening_hours[0].start)
    assert stands.at[0, "open_for"] == sum(
        (span.duration for span in first.opening_hours), dt.timedelta(0)
    )
    assert stands.at[0, "clusters"] == tuple(sorted(first.clusters))


@given(mst.exhibitions(max_stands=6), mst.zones(russian_only=True))
def test_stands_frame_of_any_exhibition(exhibition: object, zone: str) -> None:
    from mmso_core.exhibition import Exhibition  # noqa: PLC0415 - for the type check

    assert isinstance(exhibition, Exhibition)
    stands = stands_frame(exhibition, zone=zone)
    assert len(stands) == len(exhibition.stands)
    assert _aware(stands, "opens_at") == zone
    always = [not s.opening_hours for s in exhibition.stands]
    assert list(stands["opens_at"].isna()) == always
    assert list(stands["open_for"].isna()) == always
    assert stands["webinars"].sum() == len(exhibition.webinars)


# --- load_frame ------------------------------------------------------------------


def test_load_frame_covers_every_hour_of_every_phase() -> None:
    load = load_frame(SAMPLE, zone="Europe/Moscow")
    days = sum(len(p.days()) for p in SAMPLE.salon.phases)
    assert len(load) == 24 * days
    assert _aware(load, "hour") == "Europe/Moscow"
    assert load["hour"].iloc[0].isoformat() == "2020-04-26T00:00:00+03:00"
    assert isinstance(load["phase"].dtype, pd.CategoricalDtype)
    assert load["live"].dtype == "int64"
    assert load["cap"].dtype == "Int64"
    assert load["over"].dtype == bool
    main = load[load["phase"] == "ММСО"]
    assert set(main["cap"]) == {8}


def test_load_is_the_peak_of_sessions_live_in_the_hour() -> None:
    load = load_frame(SAMPLE)
    for hour, live in zip(load["hour"], load["live"], strict=True):
        start = hour.to_pydatetime()
        # live at the hour's start and at every start inside the hour
        moments = [start] + [
            s.starts_at
            for s in SAMPLE.sessions
            if start < s.starts_at < start + dt.timedelta(hours=1)
        ]
        peak = max(
            sum(1 for s in SAMPLE.live_at(moment) if s.relay_of is None) for moment in moments
        )
        assert live == peak, hour


def _crowded(extra: int) -> Programme:
    """Three sessions at once in a phase that allows two, plus a relay that does not count."""
    day = dt.date(2020, 4, 29)
    start = at_local("2020-04-29 10:30", "Europe/Moscow")
    channels = [Channel(id=f"c{n}", name=f"C{n}") for n in range(4)]
    sessions = [
        Session(
            id=f"s{n}",
            title="Talk",
            format="talk",
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=20 + 10 * n),
            channel=f"c{n}",
        )
        for n in range(extra)
    ]
    sessions.append(
        Session(
            id="relay",
            title="Talk",
            format="talk",
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=20),
            channel="c3",
            relay_of="s0",
        )
    )
    phase = Phase(
        kind="main",
        name="Main",
        first_day=day,
        last_day=day,
        policy=IntensityPolicy(max_parallel=2),
    )
    salon = Salon(name="S", zone="Europe/Moscow", phases=[phase])
    return Programme(salon=salon, people=[], channels=channels, sessions=sessions)


def test_over_marks_the_hours_the_rule_reports() -> None:
    programme = _crowded(3)
    load = load_frame(programme, zone="Europe/Moscow").set_index("hour")
    ten = pd.Timestamp("2020-04-29T10:00", tz="Europe/Moscow")
    assert load.at[ten, "live"] == 3  # the relay is not counted
    assert bool(load.at[ten, "over"])
    assert load["over"].sum() == 1
    assert "phase-parallel-limit" in {v.code for v in check(programme).violations}
    fine = load_frame(_crowded(2))
    assert not fine["over"].any()


def test_load_frame_on_a_day_the_clocks_change() -> None:
    day = dt.date(2026, 3, 29)  # Berlin: 02:00 becomes 03:00
    phase = Phase(kind="main", name="Main", first_day=day, last_day=day)
    salon = Salon(name="S", zone="Europe/Berlin", phases=[phase])
    programme = Programme(salon=salon, people=[], channels=[], sessions=[])
    load = load_frame(programme, zone="Europe/Berlin")
    assert len(load) == 23
    assert [h.hour for h in load["hour"][:4]] == [0, 1, 3, 4]


def test_no_cap_means_never_over() -> None:
    programme = _crowded(3)
    phase = programme.salon.phases[0]
    import attrs  # noqa: PLC0415 - only here

    uncapped = attrs.evolve(
        programme,
        salon=attrs.evolve(programme.salon, phases=[attrs.evolve(phase, policy=IntensityPolicy())]),
    )
    load = load_frame(uncapped)
    assert load["cap"].isna().all()
    assert not load["over"].any()
    assert load["live"].max() == 3


@given(mst.programmes(max_sessions=16))
def test_clean_programmes_never_exceed_the_cap(programme: Programme) -> None:
    load = load_frame(programme)
    zone = programme.salon.zone
    hours = sum(p.interval(zone).duration // dt.timedelta(hours=1) for p in programme.salon.phases)
    assert len(load) == hours  # 24 a day, 23 or 25 on a day the clocks change
    assert not load["over"].any()
    originals = sum(1 for s in programme.sessions if s.relay_of is None)
    assert load["live"].max() <= originals
    assert (load["live"] > 0).any() == (originals > 0)


# --- start_hours_frame -----------------------------------------------------------


def test_start_hours_frame_shape_and_order() -> None:
    hours = start_hours_frame(SAMPLE)
    assert list(hours.columns) == list(range(24))
    assert hours.columns.name == "hour"
    assert hours.index.name == "zone"
    assert set(hours.index) == set(russian_zones())
    assert hours.index[0] == "Europe/Kaliningrad"
    assert hours.index[-1] in ("Asia/Anadyr", "Asia/Kamchatka")
    assert (hours.dtypes == "int64").all()
    originals = sum(1 for s in SAMPLE.sessions if s.relay_of is None)
    assert (hours.sum(axis=1) == originals).all()


def test_start_hours_counts_local_start_hours() -> None:
    hours = start_hours_frame(SAMPLE, zones=["Asia/Kamchatka"])
    expected = Counter(
        s.starts_at.in_tz("Asia/Kamchatka").hour for s in SAMPLE.sessions if s.relay_of is None
    )
    assert hours.loc["Asia/Kamchatka"].to_dict() == {h: expected.get(h, 0) for h in range(24)}


def test_start_hours_across_a_dst_change() -> None:
    # Berlin moves from UTC+1 to UTC+2 on 29 March 2026: the same UTC hour is a
    # different local hour either side of the change.
    channels = [Channel(id="c", name="C")]
    sessions = [
        Session(
            id=f"s{n}",
            title="Talk",
            format="talk",
            starts_at=f"2026-03-{day}T09:00Z",
            ends_at=f"2026-03-{day}T10:00Z",
            channel="c",
        )
        for n, day in enumerate((28, 30))
    ]
    programme = Programme(salon=Salon(name="S"), people=[], channels=channels, sessions=sessions)
    hours = start_hours_frame(programme, zones=["Europe/Berlin", "Europe/Moscow"])
    assert hours.loc["Europe/Berlin", 10] == 1
    assert hours.loc["Europe/Berlin", 11] == 1
    assert hours.loc["Europe/Moscow", 12] == 2
    assert list(hours.index) == ["Europe/Berlin", "Europe/Moscow"]


@given(mst.programmes(max_sessions=12), st.lists(mst.zones(russian_only=True), min_size=1))
def test_start_hours_rows_sum_to_the_sessions(programme: Programme, zones: list[str]) -> None:
    hours = start_hours_frame(programme, zones=zones)
    assert set(hours.index) == set(zones)
    originals = sum(1 for s in programme.sessions if s.relay_of is None)
    assert (hours.sum(axis=1) == originals).all()


# --- audit_frame ----------------------------------------------------------------------


def _replay(messages: tuple[ChatMessage, ...]) -> tuple[Moderator, list[Decision]]:
    """Moderate a chat log as `mmso moderate` does: the clock follows ``sent_at``."""
    clock = ManualClock(at=messages[0].sent_at if messages else "2020-04-29T14:20Z")
    moderator = Moderator(Policy.default(), clock=clock)
    decisions = []
    for message in messages:
        if message.sent_at > clock.now():
            clock.advance(message.sent_at - clock.now())
        decisions.append(moderator.submit(message))
    return moderator, decisions


def _or_none(value: object) -> object:
    """``None`` for a missing value (``NaN`` in a categorical, ``<NA>`` in a string)."""
    return None if pd.isna(value) else value


CHAT = chat_2020()
CHAT_MODERATOR, CHAT_DECISIONS = _replay(CHAT)


def test_audit_frame_has_one_row_per_entry_with_the_documented_dtypes() -> None:
    log = CHAT_MODERATOR.audit()
    frame = audit_frame(CHAT_MODERATOR)
    assert tuple(frame.columns) == AUDIT_COLUMNS
    assert len(frame) == len(log) == len(CHAT) == 198
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame["seq"].dtype == "int64"
    assert _aware(frame, "at") == "UTC"
    for column in ("actor", "message", "target", "detail"):
        assert frame[column].dtype == pd.StringDtype(), column
    for column in ("role", "action", "chat", "outcome", "first_rule", "first_code"):
        assert isinstance(frame[column].dtype, pd.CategoricalDtype), column
    for column in ("rules", "codes", "matched"):
        assert frame[column].dtype == object, column
        assert all(isinstance(value, tuple) for value in frame[column]), column


def test_audit_frame_values_agree_with_the_entries() -> None:
    log = CHAT_MODERATOR.audit()
    frame = audit_frame(log)
    for entry, row in zip(log, frame.itertuples(index=False), strict=True):
        assert row.seq == entry.seq
        assert row.at.to_pydatetime() == entry.at
        assert row.actor == entry.actor
        assert _or_none(row.role) == (entry.role.value if entry.role else None)
        assert (row.action, row.chat, row.outcome) == (entry.action, entry.chat, entry.outcome)
        assert row.message == entry.message
        assert _or_none(row.target) == entry.target
        assert (row.rules, row.codes, row.matched) == (entry.rules, entry.codes, entry.matched)
        assert row.detail == entry.detail
        first = (entry.rules[0], entry.codes[0]) if entry.rules else (None, None)
        assert (_or_none(row.first_rule), _or_none(row.first_code)) == first
    assert frame["outcome"].tolist() == [d.action.value for d in CHAT_DECISIONS]
    counts = frame["outcome"].value_counts()
    assert counts[["publish", "mask-and-publish", "hold", "block"]].to_dict() == {
        "publish": 14, "mask-and-publish": 0, "hold": 174, "block": 10,
    }  # fmt: skip
    assert frame["first_code"].value_counts()["obscene"] == 6


def test_audit_frame_categories_come_in_the_models_order() -> None:
    frame = audit_frame(CHAT_MODERATOR)
    outcomes = list(frame["outcome"].cat.categories)
    assert outcomes[:4] == ["publish", "mask-and-publish", "hold", "block"]
    assert {"published", "denied", "expired", "ok", "refused", "permission-denied"} <= set(outcomes)
    assert list(frame["action"].cat.categories)[:3] == ["submit", "approve", "deny"]
    assert list(frame["role"].cat.categories)[:3] == ["visitor", "speaker", "moderator"]
    assert list(frame["chat"].cat.categories) == ["chat-samara-round-table"]
    assert list(frame["first_rule"].cat.categories) == sorted(set(frame["first_rule"].dropna()))


def test_audit_frame_in_a_zone_keeps_the_instants() -> None:
    utc = audit_frame(CHAT_MODERATOR)
    local = audit_frame(CHAT_MODERATOR, zone="Europe/Samara")
    assert _aware(local, "at") == "Europe/Samara"
    assert (local["at"] == utc["at"]).all()
    assert local["at"].iloc[0].isoformat() == "2020-04-29T18:20:15+04:00"
    with pytest.raises(UnknownZoneError):
        audit_frame(CHAT_MODERATOR, zone="Mars/Olympus")


def test_audit_frame_of_moderators_actions() -> None:
    messages = CHAT[:6]
    moderator, _ = _replay(messages)
    held = [r.message.id for r in moderator.held()]
    moderator.approve(held[0], by="expert", role="chat-expert", note="fine")
    moderator.deny(held[1], by="expert", role="moderator")
    with pytest.raises(PermissionDenied):
        moderator.deny(held[2], by="viewer-001", role="visitor")
    moderator.ban("viewer-001", messages[0].chat, by="expert", role="moderator")
    assert isinstance(moderator.clock, ManualClock)
    moderator.clock.advance(Policy.default().hold_expiry)
    expired = moderator.expire_held()
    frame = audit_frame(moderator).iloc[len(messages) :]
    assert frame["action"].tolist() == ["approve", "deny", "deny", "ban"] + ["expire"] * len(
        expired
    )
    assert frame["outcome"].tolist()[:4] == ["published", "denied", "permission-denied", "ok"]
    assert frame["detail"].iloc[0] == "fine"
    assert frame["target"].iloc[3] == "viewer-001"
    expiry = frame[frame["action"] == "expire"]
    assert expiry["role"].isna().all()
    assert (expiry["actor"] == "system").all()
    assert (expiry["outcome"] == "expired").all()


def test_audit_frame_of_an_empty_log_is_typed() -> None:
    frame = audit_frame([], zone="Europe/Moscow")
    assert len(frame) == 0
    assert tuple(frame.columns) == AUDIT_COLUMNS
    assert _aware(frame, "at") == "Europe/Moscow"
    assert frame["seq"].dtype == "int64"
    assert isinstance(frame["outcome"].dtype, pd.CategoricalDtype)


def test_audit_frame_refuses_what_is_not_a_log() -> None:
    with pytest.raises(InvalidValueError, match="entries"):
        audit_frame("not a log")  # type: ignore[arg-type] # the error under test
    with pytest.raises(InvalidValueError, match="entries"):
        audit_frame(42)  # type: ignore[arg-type] # the error under test
    entry = CHAT_MODERATOR.audit()[0]
    with pytest.raises(InvalidValueError, match=r"entries\[1\]"):
        audit_frame([entry, "x"])  # type: ignore[list-item] # the error under test


_TEXTS = (
    "Добрый день!",
    "Когда будет запись?",
    "Ну это п0хуй",
    "СПАСИБО ВСЕМ ОГРОМНОЕ ЗА ЭФИР",
    "Заходите на http://spam.example.com",
    "Спасибо",
)
_AUTHORS = (("v1", "visitor"), ("v2", "visitor"), ("s1", "speaker"), ("e1", "chat-expert"))


@st.composite
def _chats(draw: st.DrawFn) -> tuple[ChatMessage, ...]:
    start = dt.datetime(2020, 4, 29, 14, 20, tzinfo=dt.UTC)
    gaps = draw(st.lists(st.integers(0, 90), max_size=25))
    messages = []
    at = start
    for number, gap in enumerate(gaps):
        at += dt.timedelta(seconds=gap)
        author, role = draw(st.sampled_from(_AUTHORS))
        messages.append(
            ChatMessage(
                id=f"m{number}",
                chat=draw(st.sampled_from(("chat-a", "chat-b"))),
                author=author,
                role=role,
                text=draw(st.sampled_from(_TEXTS)),
                sent_at=at,
            )
        )
    return tuple(messages)


@given(_chats(), mst.zones(russian_only=True))
def test_audit_frame_of_any_submissions(messages: tuple[ChatMessage, ...], zone: str) -> None:
    moderator, decisions = _replay(messages)
    log: tuple[AuditEntry, ...] = moderator.audit()
    frame = audit_frame(moderator, zone=zone)
    assert len(frame) == len(log) == len(messages)
    assert frame["seq"].tolist() == list(range(len(messages)))
    assert frame["outcome"].tolist() == [d.action.value for d in decisions]
    assert frame["message"].tolist() == [m.id for m in messages]
    assert frame["codes"].tolist() == [tuple(r.code for r in d.reasons) for d in decisions]
    assert [t.to_pydatetime() for t in frame["at"]] == [d.at for d in decisions]
    assert _aware(frame, "at") == zone


# --- outcomes_frame ------------------------------------------------------------------


def _bin_counts(log: tuple[AuditEntry, ...], seconds: int) -> Counter[tuple[int, str]]:
    """(bin start in UTC seconds, decision or "actions") -> entries, counted by hand."""
    counts: Counter[tuple[int, str]] = Counter()
    for entry in log:
        start = int(entry.at.timestamp()) // seconds * seconds
        decided = entry.action == "submit" and entry.outcome in SUBMISSION_OUTCOMES
        counts[start, entry.outcome if decided else "actions"] += 1
    return counts


def test_outcomes_frame_counts_each_bin_by_hand() -> None:
    log = CHAT_MODERATOR.audit()
    bins = outcomes_frame(CHAT_MODERATOR, zone="Europe/Samara")  # whole hours from UTC
    assert list(bins.columns) == [*SUBMISSION_OUTCOMES, "actions"]
    assert (bins.dtypes == "int64").all()
    assert str(bins.index.tz) == "Europe/Samara"
    assert (bins.index[1:] - bins.index[:-1] == pd.Timedelta(minutes=5)).all()
    assert bins.index[0].isoformat() == "2020-04-29T18:20:00+04:00"
    by_hand = _bin_counts(log, 300)
    for start, row in bins.iterrows():
        seconds = int(start.timestamp())
        for column in bins.columns:
            assert row[column] == by_hand[seconds, column], (start, column)
    assert int(bins.to_numpy().sum()) == len(log)
    assert bins.sum().to_dict() == {
        "publish": 14, "mask-and-publish": 0, "hold": 174, "block": 10, "actions": 0,
    }  # fmt: skip


def test_outcomes_frame_of_a_frame_or_entries_is_the_same() -> None:
    frame = audit_frame(CHAT_MODERATOR, zone="Asia/Vladivostok")
    from_frame = outcomes_frame(frame, freq="15min")
    assert str(from_frame.index.tz) == "Asia/Vladivostok"  # the frame's own zone
    pd.testing.assert_frame_equal(
        from_frame, outcomes_frame(CHAT_MODERATOR.audit(), freq="15min", zone="Asia/Vladivostok")
    )
    moved = outcomes_frame(frame, freq=dt.timedelta(minutes=15), zone="UTC")
    assert str(moved.index.tz) == "UTC"
    assert moved.to_numpy().tolist() == from_frame.to_numpy().tolist()


def test_outcomes_frame_counts_other_entries_as_actions() -> None:
    moderator, _ = _replay(CHAT[:3])
    held = moderator.held()[0].message.id
    moderator.approve(held, by="expert", role="chat-expert")
    with pytest.raises(InvalidValueError):
        moderator.submit(CHAT[0])  # a resubmission: refused, logged, not a decision
    bins = outcomes_frame(moderator, freq="1h")
    assert len(bins) == 1
    assert bins.iloc[0].to_dict() == {
        "publish": 0, "mask-and-publish": 0, "hold": 3, "block": 0, "actions": 2,
    }  # fmt: skip


def test_outcomes_frame_day_bins_are_local_days() -> None:
    late = dt.datetime(2020, 4, 28, 22, 30, tzinfo=dt.UTC)  # 01:30 on the 29th in Moscow
    messages = tuple(
        ChatMessage(
            id=f"m{n}", chat="c", author=f"v{n}", role="speaker", text="Спасибо",
            sent_at=late + dt.timedelta(hours=n),
        )
        for n in range(3)
    )  # fmt: skip
    moderator, _ = _replay(messages)
    assert outcomes_frame(moderator, freq="1D")["publish"].tolist() == [2, 1]  # UTC days
    local = outcomes_frame(moderator, freq="1D", zone="Europe/Moscow")
    assert local["publish"].tolist() == [3]
    assert local.index[0].isoformat() == "2020-04-29T00:00:00+03:00"


def test_outcomes_frame_of_an_empty_log() -> None:
    bins = outcomes_frame([])
    assert len(bins) == 0
    assert list(bins.columns) == [*SUBMISSION_OUTCOMES, "actions"]


@pytest.mark.parametrize("freq", ["fortnightly", "0min", "-5min", 5, dt.timedelta(0)])
def test_outcomes_frame_refuses_a_bad_freq(freq: object) -> None:
    with pytest.raises(InvalidValueError, match="freq"):
        outcomes_frame(CHAT_MODERATOR, freq=freq)  # type: ignore[arg-type] # the error under test


def test_outcomes_frame_refuses_a_frame_that_is_not_an_audit_frame() -> None:
    with pytest.raises(InvalidValueError, match="outcome"):
        outcomes_frame(pd.DataFrame({"at": [], "action": []}))
    with pytest.raises(InvalidValueError, match=r"entries_or_frame\[0\]"):
        outcomes_frame([SAMPLE])  # not entries (pandas being untyped, mypy lets it through)
    naive = audit_frame(CHAT_MODERATOR)
    naive["at"] = naive["at"].dt.tz_localize(None)
    with pytest.raises(InvalidValueError, match="tz-aware"):
        outcomes_frame(naive)


@given(_chats(), mst.zones(russian_only=True), st.sampled_from([1, 5, 60]))
def test_outcomes_frame_of_any_submissions(
    messages: tuple[ChatMessage, ...], zone: str, minutes: int
) -> None:
    moderator, decisions = _replay(messages)
    bins = outcomes_frame(moderator, freq=f"{minutes}min", zone=zone)  # whole-hour zones
    assert str(bins.index.tz) == zone
    assert int(bins.to_numpy().sum()) == len(messages)
    totals = Counter(d.action.value for d in decisions)
    assert bins[list(SUBMISSION_OUTCOMES)].sum().to_dict() == {
        name: totals[name] for name in SUBMISSION_OUTCOMES
    }
    by_hand = _bin_counts(moderator.audit(), minutes * 60)
    found = {
        (int(start.timestamp()), column): int(count)
        for start, row in bins.iterrows()
        for column, count in row.items()
        if count
    }
    assert found == dict(by_hand)
