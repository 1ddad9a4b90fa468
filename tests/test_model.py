"""The schedule's values refuse bad input at construction, naming field and value."""

import datetime as dt
import pickle
import zoneinfo

import attrs
import pytest
import pytz

from mmso_core import (
    Interval,
    InvalidValueError,
    MmsoError,
    NaiveDatetimeError,
    TzinfoMisuseError,
    UnknownIdError,
    UnknownRegionError,
    UnknownZoneError,
    region,
)
from mmso_core.schedule import (
    Channel,
    IntensityPolicy,
    Person,
    Phase,
    PhaseKind,
    Role,
    Salon,
    Session,
    SessionFormat,
)

START = "2020-04-29T17:20:00+03:00"
END = "2020-04-29T18:50:00+03:00"
NAIVE = dt.datetime(2020, 4, 29, 17, 20)  # noqa: DTZ001 - naive on purpose


def session(**changes: object) -> Session:
    fields: dict[str, object] = {
        "id": "s1",
        "title": "Круглый стол",
        "format": "round-table",
        "starts_at": START,
        "ends_at": END,
        "channel": "ch1",
        "moderator": "p1",
        "speakers": ("p2", "p3"),
        "technician": "p4",
        "chat_expert": "p5",
    }
    fields.update(changes)
    return Session(**fields)  # type: ignore[arg-type] # fields built as a loose dict


def test_session_accepts_every_kind_of_aware_time() -> None:
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    localized = pytz.timezone("Europe/Moscow").localize(NAIVE)
    for value in (START, dt.datetime(2020, 4, 29, 17, 20, tzinfo=moscow), localized):
        assert session(starts_at=value).starts_at == session().starts_at
    assert session().starts_at.isoformat() == "2020-04-29T14:20:00+00:00"


def test_session_properties() -> None:
    item = session()
    assert item.duration == dt.timedelta(minutes=90)
    assert item.interval == Interval(start=START, end=END)
    assert item.people() == (
        ("p1", Role.MODERATOR),
        ("p2", Role.SPEAKER),
        ("p3", Role.SPEAKER),
        ("p4", Role.TECHNICIAN),
        ("p5", Role.CHAT_EXPERT),
    )
    assert session(moderator=None, technician=None, chat_expert=None).people() == (
        ("p2", Role.SPEAKER),
        ("p3", Role.SPEAKER),
    )
    assert item.format is SessionFormat.ROUND_TABLE


@pytest.mark.parametrize(
    ("changes", "error", "fragments"),
    [
        (
            {"starts_at": NAIVE},
            NaiveDatetimeError,
            ["Session.starts_at"],
        ),
        (
            {"starts_at": dt.datetime(2020, 4, 29, 17, 20, tzinfo=pytz.timezone("Europe/Moscow"))},
            TzinfoMisuseError,
            ["Session.starts_at", "localize"],
        ),
        ({"ends_at": START}, InvalidValueError, ["Session.ends_at", "must be after starts_at"]),
        ({"ends_at": "2020-04-29T17:00+03:00"}, InvalidValueError, ["Session.ends_at"]),
        ({"id": ""}, InvalidValueError, ["Session.id"]),
        ({"title": "   "}, InvalidValueError, ["Session.title"]),
        ({"format": "karaoke"}, InvalidValueError, ["Session.format", "'karaoke'", "round-table"]),
        ({"format": 3}, InvalidValueError, ["Session.format"]),
        ({"speakers": "p2"}, InvalidValueError, ["Session.speakers", "not one"]),
        ({"speakers": ("p2", "p2")}, InvalidValueError, ["Session.speakers", "twice"]),
        ({"speakers": ("p2", "")}, InvalidValueError, ["Session.speakers"]),
        ({"moderator": ""}, InvalidValueError, ["Session.moderator"]),
        (
            {"audience_regions": ["Narnia"]},
            UnknownRegionError,
            ["Session.audience_regions", "Narnia"],
        ),
        ({"recording_available_at": "yesterday"}, InvalidValueError, ["recording_available_at"]),
    ],
)
def test_session_refuses_bad_input(
    changes: dict[str, object], error: type[MmsoError], fragments: list[str]
) -> None:
    with pytest.raises(error) as caught:
        session(**changes)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_audience_regions_accept_any_spelling_and_deduplicate() -> None:
    item = session(
        audience_regions=["Самарская область", "RU-SAM", 77, region("Kaliningrad Oblast")]
    )
    assert item.audience_regions == ("RU-SAM", "RU-MOW", "RU-KGD")
    assert session(audience_regions="63").audience_regions == ("RU-SAM",)


def test_person_zone_from_region_or_zone() -> None:
    samara = Person(id="p", name="A", region="Самарская область")
    assert (samara.zone, samara.home_zone) == (None, "Europe/Samara")
    assert Person(id="p", name="A", region="RU-KAM", zone=None).home_zone == "Asia/Kamchatka"
    assert Person(id="p", name="A", zone=zoneinfo.ZoneInfo("Asia/Omsk")).home_zone == "Asia/Omsk"
    assert Person(id="p", name="A", zone=region("RU-SAM")).zone == "Europe/Samara"
    # the home zone follows the region through evolve (regression: it used to go stale)
    assert attrs.evolve(samara, region="RU-KAM").home_zone == "Asia/Kamchatka"
    # an explicit zone wins over the region's
    assert Person(id="p", name="A", region="RU-SAM", zone="Asia/Omsk").home_zone == "Asia/Omsk"
    anyone = Person(id="p", name="A")
    assert (anyone.home_zone, anyone.region, anyone.availability) == (None, None, ())
    with pytest.raises(UnknownZoneError, match=r"Person\.zone"):
        Person(id="p", name="A", zone="Europe/Samarra")
    with pytest.raises(UnknownRegionError, match=r"Person\.region"):
        Person(id="p", name="A", region="Atlantis")


def test_person_availability_is_sorted_and_typed() -> None:
    late = Interval(start="2020-04-30T10:00Z", end="2020-04-30T12:00Z")
    early = Interval(start="2020-04-29T10:00Z", end="2020-04-29T12:00Z")
    assert Person(id="p", name="A", availability=[late, early]).availability == (early, late)
    with pytest.raises(InvalidValueError, match=r"Person\.availability"):
        Person(id="p", name="A", availability=["2020-04-29"])  # type: ignore[list-item] # the wrong type on purpose


def test_phase_days_and_interval() -> None:
    phase = Phase(kind="main", name="ММСО", first_day="2020-04-26", last_day="2020-04-29")
    assert phase.kind is PhaseKind.MAIN
    assert phase.days() == tuple(dt.date(2020, 4, d) for d in range(26, 30))
    span = phase.interval("Europe/Moscow")
    assert span.start.isoformat() == "2020-04-25T21:00:00+00:00"
    assert span.end.isoformat() == "2020-04-29T21:00:00+00:00"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"kind": "side"}, "Phase.kind"),
        ({"first_day": dt.datetime(2020, 4, 26, tzinfo=dt.UTC)}, "not a datetime"),
        ({"first_day": "26.04.2020"}, "Phase.first_day"),
        ({"last_day": 20200429}, "Phase.last_day"),
        ({"last_day": "2020-04-25"}, "must not be before first_day"),
        ({"name": ""}, "Phase.name"),
    ],
)
def test_phase_refuses_bad_input(changes: dict[str, object], fragment: str) -> None:
    fields: dict[str, object] = {
        "kind": "main",
        "name": "ММСО",
        "first_day": "2020-04-26",
        "last_day": "2020-04-29",
    }
    fields.update(changes)
    with pytest.raises(InvalidValueError, match=fragment):
        Phase(**fields)  # type: ignore[arg-type] # wrong types on purpose


def test_intensity_policy() -> None:
    policy = IntensityPolicy(
        max_parallel=8, daily_hours=("10:00", dt.time(21)), allowed_formats=["webinar"]
    )
    assert policy.daily_hours == (dt.time(10), dt.time(21))
    assert policy.allowed_formats == frozenset({SessionFormat.WEBINAR})
    assert IntensityPolicy(allowed_formats="panel").allowed_formats == frozenset({"panel"})
    assert IntensityPolicy().max_parallel is None


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"max_parallel": 0}, "max_parallel"),
        ({"max_per_day": True}, "max_per_day"),
        ({"max_per_day": 2.5}, "max_per_day"),
        ({"daily_hours": ("21:00", "10:00")}, "end must be after start"),
        ({"daily_hours": ("10:00",)}, "pair"),
        ({"daily_hours": ("ten", "21:00")}, "local time"),
        ({"daily_hours": (dt.time(10, tzinfo=dt.UTC), "21:00")}, "local time"),
        ({"allowed_formats": ["karaoke"]}, "allowed_formats"),
    ],
)
def test_intensity_policy_refuses_bad_input(changes: dict[str, object], fragment: str) -> None:
    with pytest.raises(InvalidValueError, match=fragment):
        IntensityPolicy(**changes)  # type: ignore[arg-type] # wrong types on purpose


def test_salon_sorts_phases_and_finds_them() -> None:
    main = Phase(kind="main", name="ММСО", first_day="2020-04-26", last_day="2020-04-29")
    more = Phase(
        kind="continuation", name="ММСО: продолжение", first_day="2020-04-30", last_day="2020-05-08"
    )
    salon = Salon(name="ММСО-2020", phases=[more, main])
    assert salon.phases == (main, more)
    assert salon.zone == "Europe/Moscow"
    assert salon.phase("main") is main
    assert salon.phase(PhaseKind.CONTINUATION) is more
    assert salon.phase("ММСО: продолжение") is more
    assert salon.phase(main) is main
    with pytest.raises(UnknownIdError, match="unknown phase id 'finale'"):
        salon.phase("finale")


def test_salon_refuses_bad_input() -> None:
    main = Phase(kind="main", name="A", first_day="2020-04-26", last_day="2020-04-29")
    clash = Phase(kind="continuation", name="B", first_day="2020-04-29", last_day="2020-05-08")
    with pytest.raises(InvalidValueError, match="must not share days"):
        Salon(name="S", phases=[main, clash])
    with pytest.raises(InvalidValueError, match=r"Salon\.phases"):
        Salon(name="S", phases=["main"])  # type: ignore[list-item] # the wrong type on purpose
    with pytest.raises(UnknownZoneError, match=r"Salon\.zone"):
        Salon(name="S", zone="Moscow")
    assert Salon(name="S", zone=region("RU-SAM")).zone == "Europe/Samara"


def test_channel() -> None:
    assert Channel(id="ch1", name="Главная сцена").url is None
    with pytest.raises(InvalidValueError, match=r"Channel\.name"):
        Channel(id="ch1", name="")


def test_values_are_frozen_equal_hashable_and_pickle() -> None:
    item = session(audience_regions=["RU-SAM"])
    assert item == session(audience_regions=["63"])
    assert hash(item) == hash(session(audience_regions=["63"]))
    assert pickle.loads(pickle.dumps(item)) == item
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        item.title = "x"  # type: ignore[misc] # frozen on purpose
    assert attrs.evolve(item, title="Другое").title == "Другое"
