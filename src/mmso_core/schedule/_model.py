"""The values of a salon's programme: salon, phases, people, channels, sessions.

Each value checks its own fields at construction and refuses bad input with an
[`MmsoError`][mmso_core.MmsoError] subclass naming the field and the value.
Cross-references (a session's moderator, its channel) are ids, checked once by the
aggregate [`Programme`][mmso_core.schedule.Programme].
"""

import datetime as _dt
import enum
import itertools
from collections.abc import Iterable
from typing import TypeVar, final

import attrs

from mmso_core._checks import (
    hours,
    instance_of,
    items,
    non_empty,
    optional_text,
    positive_int_or_none,
    sequence,
    strings,
)
from mmso_core._time import (
    Instant,
    Interval,
    ZoneLike,
    at_local,
    elapsed,
    resolve_zone,
    to_instant,
    zone_name,
)
from mmso_core.errors import InvalidValueError, UnknownIdError
from mmso_core.regions import Region, region

__all__ = [
    "Channel",
    "Cluster",
    "IntensityPolicy",
    "Person",
    "Phase",
    "PhaseKind",
    "Role",
    "Salon",
    "Session",
    "SessionFormat",
]


class SessionFormat(enum.StrEnum):
    """The format of a session (мероприятие)."""

    PLENARY = "plenary"
    PANEL = "panel"
    ROUND_TABLE = "round-table"
    WEBINAR = "webinar"
    WORKSHOP = "workshop"
    LECTURE = "lecture"
    TALK = "talk"
    PRESENTATION = "presentation"
    INTERVIEW = "interview"
    PROJECT_SESSION = "project-session"
    STRATEGY_SESSION = "strategy-session"
    DEBATE = "debate"
    OTHER = "other"

    def label(self, locale: str = "en") -> str:
        """The format's name in ``"en"`` or ``"ru"``: "round table", "круглый стол"."""
        english, russian = _FORMAT_NAMES[self.value]
        return russian if locale == "ru" else english


_FORMAT_NAMES: dict[str, tuple[str, str]] = {
    "plenary": ("plenary session", "пленарное заседание"),
    "panel": ("panel discussion", "панельная дискуссия"),
    "round-table": ("round table", "круглый стол"),
    "webinar": ("webinar", "вебинар"),
    "workshop": ("workshop", "мастер-класс"),
    "lecture": ("lecture", "лекция"),
    "talk": ("talk", "доклад"),
    "presentation": ("presentation", "презентация"),
    "interview": ("interview", "интервью"),
    "project-session": ("project session", "проектная сессия"),
    "strategy-session": ("strategy session", "стратегическая сессия"),
    "debate": ("debate", "дебаты"),
    "other": ("session of another format", "мероприятие другого формата"),
}


_CLUSTER_NAMES: dict[str, tuple[str, str]] = {
    "preschool": ("preschool education", "дошкольное образование"),
    "general": ("general education", "общее образование"),
    "additional": ("additional education", "дополнительное образование"),
    "career-guidance": ("career guidance", "профориентация"),
    "vocational": ("vocational education", "среднее профессиональное образование"),
    "higher": ("higher education", "высшее образование"),
    "state-policy": ("state policy", "государственная политика"),
    "inclusive": ("inclusive education", "инклюзивное образование"),
    "digital": ("digital education", "цифровое образование"),
    "family": ("family education", "семейное образование"),
}


class Cluster(enum.StrEnum):
    """The programme clusters of MMSO-2020 (a session's cluster may be any string)."""

    def label(self, locale: str = "en") -> str:
        """The cluster's name in ``"en"`` or ``"ru"``: "higher education", "высшее образование"."""
        english, russian = _CLUSTER_NAMES[self.value]
        return russian if locale == "ru" else english

    PRESCHOOL = "preschool"
    GENERAL = "general"
    ADDITIONAL = "additional"
    CAREER_GUIDANCE = "career-guidance"
    VOCATIONAL = "vocational"
    HIGHER = "higher"
    STATE_POLICY = "state-policy"
    INCLUSIVE = "inclusive"
    DIGITAL = "digital"
    FAMILY = "family"


class PhaseKind(enum.StrEnum):
    """The two phases of the salon: the intense main one and the continuation."""

    MAIN = "main"
    CONTINUATION = "continuation"


class Role(enum.StrEnum):
    """The roles a person holds in a session."""

    MODERATOR = "moderator"
    SPEAKER = "speaker"
    TECHNICIAN = "technician"
    CHAT_EXPERT = "chat-expert"


_E = TypeVar("_E", bound=enum.StrEnum)


def _member(enum_type: type[_E], value: object, field: str) -> _E:
    if isinstance(value, enum_type):
        return value
    if not isinstance(value, str):
        raise InvalidValueError(field=field, value=value, reason=f"must be a {enum_type.__name__}")
    try:
        return enum_type(str(value))
    except ValueError:
        allowed = ", ".join(repr(item.value) for item in enum_type)
        raise InvalidValueError(
            field=field, value=value, reason=f"must be one of {allowed}"
        ) from None


def _zone_name(value: ZoneLike | None, field: str) -> str | None:
    """Store a zone by its IANA name; fixed offsets cannot follow DST, so they are refused."""
    if value is None:
        return None
    zone = resolve_zone(value, field=field)
    if not isinstance(getattr(zone, "key", None), str):
        raise InvalidValueError(
            field=field,
            value=value,
            reason="must be an IANA zone such as 'Europe/Samara' (a fixed offset cannot "
            "follow the zone's clock changes)",
        )
    return zone_name(value)


def _date(value: object, field: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        raise InvalidValueError(
            field=field, value=value, reason="must be a calendar date, not a datetime"
        )
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidValueError(field=field, value=value, reason="must be a date (YYYY-MM-DD)")


# Named converters: mypy's attrs plugin reads the accepted input types from them, and
# each names its field in the errors it raises.


def _policy_daily_hours(
    value: "tuple[_dt.time | str, _dt.time | str] | None",
) -> tuple[_dt.time, _dt.time] | None:
    return None if value is None else hours(value, "IntensityPolicy.daily_hours")


def _policy_allowed_formats(
    value: "Iterable[SessionFormat | str] | None",
) -> frozenset["SessionFormat"] | None:
    field = "IntensityPolicy.allowed_formats"
    if value is None:
        return None
    listed = (value,) if isinstance(value, str) else sequence(value, field)
    return frozenset(_member(SessionFormat, item, field) for item in listed)


def _phase_kind(value: "PhaseKind | str") -> "PhaseKind":
    return _member(PhaseKind, value, "Phase.kind")


def _phase_first_day(value: _dt.date | str) -> _dt.date:
    return _date(value, "Phase.first_day")


def _phase_last_day(value: _dt.date | str) -> _dt.date:
    return _date(value, "Phase.last_day")


def _salon_zone(value: ZoneLike) -> str:
    name = _zone_name(value, "Salon.zone")
    if name is None:
        raise InvalidValueError(field="Salon.zone", value=value, reason="the salon needs a zone")
    return name


def _person_zone(value: ZoneLike | None) -> str | None:
    return _zone_name(value, "Person.zone")


def _session_format(value: "SessionFormat | str") -> "SessionFormat":
    return _member(SessionFormat, value, "Session.format")


def _session_starts_at(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="Session.starts_at")


def _session_ends_at(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="Session.ends_at")


def _session_recording(value: _dt.datetime | str | None) -> Instant | None:
    return None if value is None else to_instant(value, field="Session.recording_available_at")


def _session_speakers(value: Iterable[str]) -> tuple[str, ...]:
    return strings(value, "Session.speakers", unique=True)


def _session_audience(value: "Iterable[str | Region] | str | Region") -> tuple[str, ...]:
    field = "Session.audience_regions"
    listed = (value,) if isinstance(value, str | Region) else sequence(value, field)
    codes: list[str] = []
    for item in listed:
        code = region(item, field=field).iso
        if code not in codes:
            codes.append(code)
    return tuple(codes)


@final
@attrs.frozen(kw_only=True)
class IntensityPolicy:
    """How intense a phase may be.

    Attributes:
        max_parallel: At most this many sessions live at once (relays not counted).
        max_per_day: At most this many sessions start on one local day of the salon.
        daily_hours: Sessions run within these local hours of the salon's zone.
        allowed_formats: Formats allowed in the phase (``None``: all).
    """

    max_parallel: int | None = attrs.field(default=None, validator=positive_int_or_none)
    max_per_day: int | None = attrs.field(default=None, validator=positive_int_or_none)
    daily_hours: tuple[_dt.time, _dt.time] | None = attrs.field(
        default=None, converter=_policy_daily_hours
    )
    allowed_formats: frozenset[SessionFormat] | None = attrs.field(
        default=None, converter=_policy_allowed_formats
    )


@final
@attrs.frozen(kw_only=True)
class Phase:
    """A phase of the salon: whole local days in the salon's zone, with an intensity policy.

    Attributes:
        kind: ``main`` or ``continuation``.
        name: Display name, e.g. ``"ММСО: продолжение"``.
        first_day: First local day.
        last_day: Last local day (inclusive).
        policy: The intensity policy.
    """

    kind: PhaseKind = attrs.field(converter=_phase_kind)
    name: str = attrs.field(validator=non_empty)
    first_day: _dt.date = attrs.field(converter=_phase_first_day)
    last_day: _dt.date = attrs.field(converter=_phase_last_day)
    policy: IntensityPolicy = attrs.field(
        factory=IntensityPolicy, validator=instance_of(IntensityPolicy)
    )

    @last_day.validator
    def _last_after_first(self, _attribute: object, value: _dt.date) -> None:
        if value < self.first_day:
            raise InvalidValueError(
                field="Phase.last_day",
                value=value.isoformat(),
                reason=f"must not be before first_day {self.first_day.isoformat()}",
            )

    def days(self) -> tuple[_dt.date, ...]:
        """The phase's local days, in order."""
        count = (self.last_day - self.first_day).days + 1
        return tuple(self.first_day + _dt.timedelta(days=i) for i in range(count))

    def interval(self, zone: ZoneLike) -> Interval:
        """The phase as an interval: from the first day's midnight to the day after the last."""
        start = _dt.datetime.combine(self.first_day, _dt.time())
        end = _dt.datetime.combine(self.last_day + _dt.timedelta(days=1), _dt.time())
        return Interval(
            start=at_local(start, zone, disambiguate="compatible"),
            end=at_local(end, zone, disambiguate="compatible"),
        )


def _phases(value: Iterable[Phase]) -> tuple[Phase, ...]:
    phases = tuple(sorted(items(value, Phase, "Salon.phases"), key=lambda phase: phase.first_day))
    for before, after in itertools.pairwise(phases):
        if after.first_day <= before.last_day:
            raise InvalidValueError(
                field="Salon.phases",
                value=(before.name, after.name),
                reason="phases must not share days",
            )
    first_main = next((p.first_day for p in phases if p.kind is PhaseKind.MAIN), None)
    for phase in phases:
        if phase.kind is PhaseKind.CONTINUATION and (
            first_main is None or phase.first_day < first_main
        ):
            raise InvalidValueError(
                field="Salon.phases",
                value=phase.name,
                reason="a continuation phase comes after a main phase",
            )
    return phases


@final
@attrs.frozen(kw_only=True)
class Salon:
    """The salon: its name, the organiser's zone and its phases (sorted, disjoint).

    >>> salon = Salon(
    ...     name="ММСО-2020",
    ...     zone="Europe/Moscow",
    ...     phases=[Phase(kind="main", name="ММСО", first_day="2020-04-26", last_day="2020-04-29")],
    ... )
    >>> salon.phases[0].interval(salon.zone).start.isoformat()
    '2020-04-25T21:00:00+00:00'
    """

    name: str = attrs.field(validator=non_empty)
    zone: str = attrs.field(default="Europe/Moscow", converter=_salon_zone)
    phases: tuple[Phase, ...] = attrs.field(factory=tuple, converter=_phases)

    def phase(self, key: "Phase | PhaseKind | str") -> Phase:
        """Find a phase by itself, its kind or its name.

        Raises:
            UnknownIdError: The salon has no such phase.
        """
        for item in self.phases:
            if key in (item, item.kind, item.name):
                return item
        raise UnknownIdError(kind="phase", id=str(key))


def _availability(value: Iterable[Interval]) -> tuple[Interval, ...]:
    return tuple(sorted(items(value, Interval, "Person.availability")))


def _region_code(value: str | Region | None) -> str | None:
    return None if value is None else region(value, field="Person.region").iso


@final
@attrs.frozen(kw_only=True)
class Person:
    """Someone who takes part: a moderator, speaker, technician or chat expert.

    Attributes:
        id: Unique id.
        name: Full name.
        organisation: Organisation, if known.
        region: ISO code of the home region (given as a code, number, name or ``Region``).
        zone: Home time zone, if it differs from the region's main zone (see
            ``home_zone``, which is never stale after ``attrs.evolve(region=...)``).
        availability: When the person can be on air; empty means always.

    >>> Person(id="p1", name="Анна Петрова", region="Самарская область").home_zone
    'Europe/Samara'
    """

    id: str = attrs.field(validator=non_empty)
    name: str = attrs.field(validator=non_empty)
    organisation: str | None = attrs.field(default=None, validator=optional_text)
    region: str | None = attrs.field(default=None, converter=_region_code)
    zone: str | None = attrs.field(default=None, converter=_person_zone)
    availability: tuple[Interval, ...] = attrs.field(factory=tuple, converter=_availability)

    @property
    def home_zone(self) -> str | None:
        """Where the person lives: ``zone`` if given, else the region's main zone."""
        if self.zone is not None:
            return self.zone
        return None if self.region is None else region(self.region).zone


@final
@attrs.frozen(kw_only=True)
class Channel:
    """A channel: the player a session streams in on the salon's site.

    Attributes:
        id: Unique id.
        name: Display name.
        url: The player's address, if known.
    """

    id: str = attrs.field(validator=non_empty)
    name: str = attrs.field(validator=non_empty)
    url: str | None = attrs.field(default=None, validator=optional_text)


@final
@attrs.frozen(kw_only=True)
class Session:
    """One session (мероприятие) of the forum, streamed in one channel.

    Attributes:
        id: Unique id.
        title: Title.
        format: The format (``SessionFormat`` or its value, e.g. ``"round-table"``).
        starts_at: Start instant (anything ``to_instant`` accepts).
        ends_at: End instant, after ``starts_at`` (half-open).
        channel: Id of the channel (player) it streams in.
        moderator: Id of the moderator, seen and heard throughout.
        speakers: Ids of the speakers, in the order they go on air.
        technician: Id of the technician who brings speakers on air.
        chat_expert: Id of the expert who moderates the chat.
        cluster: Programme cluster (see ``Cluster``; any string is allowed).
        audience_regions: ISO codes of the regions the session is for (empty: everyone).
        follows_up: Id of the main-phase session this continuation session continues.
        relay_of: Id of the session this one simulcasts in another channel.
        recording_available_at: When the recording becomes available, if known.

    >>> s = Session(
    ...     id="s1",
    ...     title="Круглый стол",
    ...     format="round-table",
    ...     starts_at="2020-04-29T17:20+03:00",
    ...     ends_at="2020-04-29T18:50+03:00",
    ...     channel="ch1",
    ...     audience_regions=["Самарская область"],
    ... )
    >>> s.audience_regions, s.duration
    (('RU-SAM',), datetime.timedelta(seconds=5400))
    """

    id: str = attrs.field(validator=non_empty)
    title: str = attrs.field(validator=non_empty)
    format: SessionFormat = attrs.field(converter=_session_format)
    starts_at: Instant = attrs.field(converter=_session_starts_at)
    ends_at: Instant = attrs.field(converter=_session_ends_at)
    channel: str = attrs.field(validator=non_empty)
    moderator: str | None = attrs.field(default=None, validator=optional_text)
    speakers: tuple[str, ...] = attrs.field(factory=tuple, converter=_session_speakers)
    technician: str | None = attrs.field(default=None, validator=optional_text)
    chat_expert: str | None = attrs.field(default=None, validator=optional_text)
    cluster: str | None = attrs.field(default=None, validator=optional_text)
    audience_regions: tuple[str, ...] = attrs.field(factory=tuple, converter=_session_audience)
    follows_up: str | None = attrs.field(default=None, validator=optional_text)
    relay_of: str | None = attrs.field(default=None, validator=optional_text)
    recording_available_at: Instant | None = attrs.field(default=None, converter=_session_recording)

    @ends_at.validator
    def _ends_after_start(self, _attribute: object, value: Instant) -> None:
        if value <= self.starts_at:
            raise InvalidValueError(
                field="Session.ends_at",
                value=value.isoformat(),
                reason=f"must be after starts_at {self.starts_at.isoformat()}",
            )

    @recording_available_at.validator
    def _recording_after_end(self, _attribute: object, value: Instant | None) -> None:
        if value is not None and value < self.ends_at:
            raise InvalidValueError(
                field="Session.recording_available_at",
                value=value.isoformat(),
                reason=f"a recording exists only after the end {self.ends_at.isoformat()}",
            )

    @property
    def interval(self) -> Interval:
        """``[starts_at, ends_at)`` as an ``Interval``."""
        return Interval(start=self.starts_at, end=self.ends_at)

    @property
    def duration(self) -> _dt.timedelta:
        """How long the session lasts (a plain ``timedelta``)."""
        return elapsed(self.starts_at, self.ends_at)

    def people(self) -> tuple[tuple[str, Role], ...]:
        """Every person taking part, with their role, moderator first."""
        pairs: list[tuple[str, Role]] = []
        if self.moderator is not None:
            pairs.append((self.moderator, Role.MODERATOR))
        pairs.extend((speaker, Role.SPEAKER) for speaker in self.speakers)
        if self.technician is not None:
            pairs.append((self.technician, Role.TECHNICIAN))
        if self.chat_expert is not None:
            pairs.append((self.chat_expert, Role.CHAT_EXPERT))
        return tuple(pairs)
