"""The programme: the aggregate of a salon's people, channels and sessions.

Integrity is checked once, at construction, and every problem is reported in one
[`ModelError`][mmso_core.ModelError]. Indexes (by id, person, channel, cluster,
and sessions sorted by start as integer UTC microseconds) are built once too, so
queries and rules never scan all pairs.
"""

import bisect
import datetime as _dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, final

import attrs
import pendulum

from mmso_core._checks import instance_of, items
from mmso_core._report import Locale, check_locale
from mmso_core._time import (
    Instant,
    ZoneLike,
    at_local,
    countdown,
    in_zone,
    to_instant,
    zone_name,
)
from mmso_core.errors import InvalidValueError, ModelError, UnknownIdError
from mmso_core.schedule._broadcast import Broadcast
from mmso_core.schedule._model import (
    Channel,
    Person,
    Phase,
    PhaseKind,
    Role,
    Salon,
    Session,
)

if TYPE_CHECKING:
    from mmso_core.schedule._replan import Replan
    from mmso_core.schedule._rules import Rules

__all__ = ["Agenda", "AgendaEntry", "ChannelStatus", "Programme"]

_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()


def micros(instant: _dt.datetime) -> int:
    """An aware datetime as integer microseconds since the Unix epoch (for hot paths).

    Exact integer arithmetic on the fields: no float rounding, and no pendulum
    ``Interval`` built on the way.
    """
    seconds = (
        (instant.toordinal() - _EPOCH_ORDINAL) * 86_400
        + instant.hour * 3_600
        + instant.minute * 60
        + instant.second
    )
    offset = instant.utcoffset()
    if offset:
        seconds -= offset.days * 86_400 + offset.seconds
    return seconds * 1_000_000 + instant.microsecond


def _local_day(day: _dt.date | str) -> _dt.date:
    if isinstance(day, _dt.datetime):
        raise InvalidValueError(field="day", value=day, reason="must be a date, not a datetime")
    if isinstance(day, _dt.date):
        return day
    try:
        return _dt.date.fromisoformat(day)
    except (TypeError, ValueError):
        raise InvalidValueError(
            field="day", value=day, reason="must be a date (YYYY-MM-DD)"
        ) from None


def day_bounds(day: _dt.date, zone: ZoneLike) -> tuple[Instant, Instant]:
    """The instants at which a local day starts and the next one starts."""
    start = _dt.datetime.combine(day, _dt.time())
    return (
        at_local(start, zone, disambiguate="compatible"),
        at_local(start + _dt.timedelta(days=1), zone, disambiguate="compatible"),
    )


@attrs.frozen
class _Index:
    """Lookups built once per programme (not part of equality)."""

    sessions: dict[str, Session]
    people: dict[str, Person]
    channels: dict[str, Channel]
    order: tuple[Session, ...]
    starts: list[int]
    ends: list[int]
    by_person: dict[str, tuple[int, ...]]
    by_channel: dict[str, tuple[int, ...]]
    by_cluster: dict[str, tuple[int, ...]]
    channel_starts: dict[str, list[int]]
    max_duration: int
    phase_bounds: tuple[tuple[int, int], ...]


_T = TypeVar("_T")
_V = TypeVar("_V")


def _programme_people(value: Iterable[Person]) -> tuple[Person, ...]:
    return items(value, Person, "Programme.people")


def _programme_channels(value: Iterable[Channel]) -> tuple[Channel, ...]:
    return items(value, Channel, "Programme.channels")


def _programme_sessions(value: Iterable[Session]) -> tuple[Session, ...]:
    return items(value, Session, "Programme.sessions")


@final
@attrs.frozen(kw_only=True)
class Programme:
    """A salon's whole programme: people, channels and sessions, consistent with each other.

    Attributes:
        salon: The salon and its phases.
        people: Everyone taking part.
        channels: The players sessions stream in.
        sessions: The sessions.

    Raises:
        ModelError: With every problem found: duplicate ids, references to unknown
            people, channels or sessions, relays of relays.
    """

    salon: Salon = attrs.field(validator=instance_of(Salon))
    people: tuple[Person, ...] = attrs.field(converter=_programme_people)
    channels: tuple[Channel, ...] = attrs.field(converter=_programme_channels)
    sessions: tuple[Session, ...] = attrs.field(converter=_programme_sessions)
    _index: _Index = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        people = _by_id(self.people, "people", problems)
        channels = _by_id(self.channels, "channels", problems)
        sessions = _by_id(self.sessions, "sessions", problems)
        for position, session in enumerate(self.sessions):
            where = f"sessions[{position}] ({session.id!r})"
            if session.channel not in channels:
                problems.append(f"{where}.channel: unknown channel {session.channel!r}")
            for person, role in session.people():
                if person not in people:
                    problems.append(f"{where}.{_role_field(role)}: unknown person {person!r}")
            for field in ("follows_up", "relay_of"):
                target = getattr(session, field)
                if target is None:
                    continue
                if target == session.id:
                    problems.append(f"{where}.{field}: refers to the session itself")
                elif target not in sessions:
                    problems.append(f"{where}.{field}: unknown session {target!r}")
                elif field == "relay_of" and sessions[target].relay_of is not None:
                    problems.append(
                        f"{where}.relay_of: {target!r} is itself a relay; "
                        f"relay the original {sessions[target].relay_of!r}"
                    )
                elif field == "relay_of" and (
                    sessions[target].starts_at != session.starts_at
                    or sessions[target].ends_at != session.ends_at
                ):
                    problems.append(
                        f"{where}.relay_of: a simulcast runs at its original's times "
                        f"({target!r}: {sessions[target].starts_at.isoformat()}–"
                        f"{sessions[target].ends_at.isoformat()})"
                    )
        if problems:
            raise ModelError(problems=problems)
        object.__setattr__(self, "_index", self._build_index(sessions, people, channels))

    def _build_index(
        self,
        sessions: dict[str, Session],
        people: dict[str, Person],
        channels: dict[str, Channel],
    ) -> _Index:
        order = tuple(sorted(self.sessions, key=lambda s: (s.starts_at, s.ends_at, s.id)))
        starts = [micros(s.starts_at) for s in order]
        ends = [micros(s.ends_at) for s in order]
        by_person: defaultdict[str, list[int]] = defaultdict(list)
        by_channel: defaultdict[str, list[int]] = defaultdict(list)
        by_cluster: defaultdict[str, list[int]] = defaultdict(list)
        for position, session in enumerate(order):
            for person in dict.fromkeys(p for p, _ in session.people()):
                by_person[person].append(position)
            by_channel[session.channel].append(position)
            if session.cluster is not None:
                by_cluster[session.cluster].append(position)
        phase_bounds = tuple(
            (micros(i.start), micros(i.end))
            for i in (phase.interval(self.salon.zone) for phase in self.salon.phases)
        )
        return _Index(
            sessions=sessions,
            people=people,
            channels=channels,
            order=order,
            starts=starts,
            ends=ends,
            by_person={k: tuple(v) for k, v in by_person.items()},
            by_channel={k: tuple(v) for k, v in by_channel.items()},
            by_cluster={k: tuple(v) for k, v in by_cluster.items()},
            channel_starts={k: [starts[p] for p in v] for k, v in by_channel.items()},
            max_duration=max((e - s for s, e in zip(starts, ends, strict=True)), default=0),
            phase_bounds=phase_bounds,
        )

    # --- lookups -----------------------------------------------------------------

    def session(self, session_id: str) -> Session:
        """The session with this id.

        Raises:
            UnknownIdError: No such session.
        """
        return _lookup(self._index.sessions, "session", session_id)

    def person(self, person_id: str) -> Person:
        """The person with this id.

        Raises:
            UnknownIdError: No such person.
        """
        return _lookup(self._index.people, "person", person_id)

    def channel(self, channel_id: str) -> Channel:
        """The channel with this id.

        Raises:
            UnknownIdError: No such channel.
        """
        return _lookup(self._index.channels, "channel", channel_id)

    # --- queries (all return sessions sorted by start) ------------------------------

    @property
    def ordered(self) -> tuple[Session, ...]:
        """All sessions sorted by start, then end, then id."""
        return self._index.order

    def _at(self, positions: Iterable[int]) -> tuple[Session, ...]:
        order = self._index.order
        return tuple(order[i] for i in positions)

    def _between(self, start: int, end: int) -> tuple[Session, ...]:
        """Sessions starting in ``[start, end)`` (microseconds)."""
        starts = self._index.starts
        low = bisect.bisect_left(starts, start)
        high = bisect.bisect_left(starts, end)
        return self._index.order[low:high]

    def sessions_on(
        self, day: _dt.date | str, *, zone: ZoneLike | None = None
    ) -> tuple[Session, ...]:
        """Sessions that start on a local day in a zone (the salon's zone by default)."""
        start, end = day_bounds(_local_day(day), zone if zone is not None else self.salon.zone)
        return self._between(micros(start), micros(end))

    def sessions_in_phase(self, phase: Phase | PhaseKind | str) -> tuple[Session, ...]:
        """Sessions that start within a phase (given as itself, its kind or its name)."""
        found = self.salon.phase(phase)
        start, end = self._index.phase_bounds[self.salon.phases.index(found)]
        return self._between(start, end)

    def phase_of(self, session: Session | str) -> Phase | None:
        """The phase a session starts in, if any."""
        item = session if isinstance(session, Session) else self.session(session)
        start = micros(item.starts_at)
        for phase, (low, high) in zip(self.salon.phases, self._index.phase_bounds, strict=True):
            if low <= start < high:
                return phase
        return None

    def sessions_of(self, person_id: str, *, role: Role | str | None = None) -> tuple[Session, ...]:
        """Sessions a person takes part in (in any role, or in ``role``)."""
        self.person(person_id)
        found = self._at(self._index.by_person.get(person_id, ()))
        if role is None:
            return found
        try:
            wanted = Role(role)
        except ValueError:
            raise InvalidValueError(
                field="role", value=role, reason=f"roles are {', '.join(r.value for r in Role)}"
            ) from None
        return tuple(s for s in found if (person_id, wanted) in s.people())

    def sessions_in_channel(self, channel_id: str) -> tuple[Session, ...]:
        """Sessions streamed in a channel."""
        self.channel(channel_id)
        return self._at(self._index.by_channel.get(channel_id, ()))

    def sessions_in_cluster(self, cluster: str) -> tuple[Session, ...]:
        """Sessions of a programme cluster."""
        return self._at(self._index.by_cluster.get(cluster, ()))

    def live_at(self, instant: _dt.datetime | str) -> tuple[Session, ...]:
        """Sessions live at an instant (``starts_at <= instant < ends_at``)."""
        moment = micros(to_instant(instant, field="instant"))
        index = self._index
        high = bisect.bisect_right(index.starts, moment)
        low = bisect.bisect_left(index.starts, moment - index.max_duration)
        return tuple(index.order[i] for i in range(low, high) if index.ends[i] > moment)

    def channel_status(
        self, at: _dt.datetime | str, *, broadcasts: Iterable[Broadcast] = ()
    ) -> tuple["ChannelStatus", ...]:
        """What is live in each channel at an instant, and what comes next there.

        By default the schedule says what is live. Given the sessions' broadcasts, their
        logs say it instead: a session that runs over is still live, one that has not
        gone live is not, and each status carries its running overrun.

        >>> from mmso_core.samples import mmso_2020
        >>> statuses = mmso_2020().channel_status("2020-04-29T17:05+03:00")
        >>> regions = next(s for s in statuses if s.channel.name == "Зал «Регионы»")
        >>> regions.next.id, regions.countdown("ru")
        ('samara-round-table', 'через 15 минут')
        """
        moment = to_instant(at, field="at")
        point = micros(moment)
        index = self._index
        logs = {b.session.id: b for b in broadcasts}
        on_air = {b.session.channel: b for b in logs.values() if b.live_at(moment)}
        statuses = []
        for channel in self.channels:
            positions = index.by_channel.get(channel.id, ())
            starts = index.channel_starts.get(channel.id, [])
            upcoming = bisect.bisect_right(starts, point)
            live = None
            earliest = point - index.max_duration
            for slot in range(upcoming - 1, -1, -1):  # latest start first
                if starts[slot] < earliest:
                    break
                if index.ends[positions[slot]] > point:
                    live = index.order[positions[slot]]
                    break
            broadcast = on_air.get(channel.id)
            if broadcast is not None:
                live = broadcast.session
            elif live is not None and live.id in logs:
                live = None  # its log says it is not on air
            following = index.order[positions[upcoming]] if upcoming < len(positions) else None
            statuses.append(
                ChannelStatus(
                    channel=channel, at=moment, live=live, next=following, broadcast=broadcast
                )
            )
        return tuple(statuses)

    def with_delay(
        self, session_id: str, delay: _dt.timedelta, *, rules: "Rules | None" = None
    ) -> "Replan":
        """Re-plan after an overrun: the session ends ``delay`` later.

        The later sessions of its channel move as little as needed to keep the
        changeover (their relays move with them, and the shift cascades into the
        relays' channels); the report lists what the shift breaks.

        Args:
            session_id: The session that overran (a relay stands for its original).
            delay: How much later it ends (>= 0).
            rules: The rules whose changeover and checks apply (``Rules()`` by default).

        Returns:
            The new programme, what moved, and the violations the move introduced.
        """
        from mmso_core.schedule._replan import replan  # noqa: PLC0415 - replan needs check()

        return replan(self, session_id, delay, rules=rules)

    def agenda(self, zone: ZoneLike, *, day: _dt.date | str | None = None) -> "Agenda":
        """The programme (or one local day of it) as seen in a zone or region.

        Args:
            zone: Where the reader is: an IANA zone, a ``tzinfo`` or a region.
            day: A local day in that zone; all days when omitted.
        """
        sessions = self.ordered if day is None else self.sessions_on(day, zone=zone)
        name = zone_name(zone)
        entries = tuple(
            AgendaEntry(
                session=s,
                channel_name=self._index.channels[s.channel].name,
                starts_local=in_zone(s.starts_at, zone),
                ends_local=in_zone(s.ends_at, zone),
            )
            for s in sessions
        )
        return Agenda(zone=name, entries=entries)


def _lookup(table: Mapping[str, _V], kind: str, key: str) -> _V:
    try:
        return table[key]
    except KeyError:
        raise UnknownIdError(kind=kind, id=key) from None


def _by_id(items: Sequence[Any], field: str, problems: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for position, item in enumerate(items):
        if item.id in found:
            problems.append(f"{field}[{position}].id: duplicate id {item.id!r}")
        else:
            found[item.id] = item
    return found


def _role_field(role: Role) -> str:
    return {
        Role.MODERATOR: "moderator",
        Role.SPEAKER: "speakers",
        Role.TECHNICIAN: "technician",
        Role.CHAT_EXPERT: "chat_expert",
    }[role]


@final
@attrs.frozen(kw_only=True)
class ChannelStatus:
    """One channel (player) at one instant.

    Attributes:
        channel: The channel.
        at: The instant.
        live: The session live in it then, if any.
        next: The next session to start in it after ``at``, if any.
        broadcast: The live session's broadcast, when the caller gave the logs.
    """

    channel: Channel
    at: Instant
    live: Session | None
    next: Session | None
    broadcast: Broadcast | None = None

    def countdown(self, locale: Locale = "en") -> str | None:
        """How soon the next session starts: "in 15 minutes", "через 15 минут"."""
        return None if self.next is None else countdown(self.at, self.next.starts_at, locale)

    @property
    def overrun(self) -> _dt.timedelta | None:
        """How far the live session runs past its scheduled end (needs its broadcast)."""
        return None if self.broadcast is None else self.broadcast.overrun(self.at)


@final
@attrs.frozen(kw_only=True)
class AgendaEntry:
    """One session as seen from a zone.

    Attributes:
        session: The session.
        channel_name: The name of its channel.
        starts_local: Start, local to the agenda's zone.
        ends_local: End, local to the agenda's zone.
    """

    session: Session
    channel_name: str
    starts_local: pendulum.DateTime
    ends_local: pendulum.DateTime

    def relative(self, now: _dt.datetime | str, locale: Locale = "en") -> str:
        """When the session runs relative to ``now``: "in 2 hours", "через 15 минут"...

        ``now`` comes from the caller's clock: the library never reads the system time.
        """
        check_locale(locale)
        moment = to_instant(now, field="now")
        start, end = self.session.starts_at, self.session.ends_at
        if start <= moment < end:
            return "идёт сейчас" if locale == "ru" else "live now"
        if moment < start:
            return countdown(moment, start, locale)
        ago = countdown(moment, end, locale)
        return f"закончилось {ago}" if locale == "ru" else f"ended {ago}"


@final
@attrs.frozen(kw_only=True)
class Agenda:
    """Sessions with their local times in one zone.

    Attributes:
        zone: The zone's name.
        entries: The entries, sorted by start.
    """

    zone: str
    entries: tuple[AgendaEntry, ...]

    def to_text(self, locale: Locale = "en", *, now: _dt.datetime | str | None = None) -> str:
        """Render the agenda by local day; with ``now``, say how far off each session is.

        Day headings and relative times are humanised with pendulum's locales
        ("среда, 29 апреля 2020", "через 2 часа").
        """
        check_locale(locale)
        lines: list[str] = []
        current: _dt.date | None = None
        for entry in self.entries:
            day = entry.starts_local.date()
            if day != current:
                current = day
                heading = entry.starts_local.format("dddd, D MMMM YYYY", locale=locale)
                lines.append(f"{heading} ({self.zone})")
            span = f"{entry.starts_local:%H:%M}–{entry.ends_local:%H:%M}"
            line = f"  {span}  {entry.session.title} [{entry.channel_name}]"
            if now is not None:
                line += f" — {entry.relative(now, locale)}"
            lines.append(line)
        return "\n".join(lines)
