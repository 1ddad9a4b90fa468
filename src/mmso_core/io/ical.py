r"""Sessions and exhibition visits as an iCalendar (RFC 5545) calendar.

[`to_ical`][mmso_core.io.ical.to_ical] writes a whole programme, the sessions a visitor
chose, and optionally the stops of the visitor's exhibition
[`Itinerary`][mmso_core.exhibition.Itinerary], as one ``VCALENDAR`` text. It is built
with the ``icalendar`` library (``pip install 'mmso_core[ical]'``), imported only when
a calendar is written.

The output depends on its input alone: UIDs are name-based UUIDs (the same on every
run and machine), and ``DTSTAMP`` is the instant the caller passes (or reads from the
clock the caller injects), never the system time.

>>> from mmso_core.io.ical import to_ical
>>> from mmso_core.samples import mmso_2020
>>> text = to_ical(mmso_2020(), sessions=["samara-round-table"], stamp="2020-04-20T09:00Z")
>>> print("\n".join(line for line in text.splitlines() if line.startswith("DT")))
DTSTART:20200429T142000Z
DTEND:20200429T155000Z
DTSTAMP:20200420T090000Z
"""

import datetime as _dt
import unicodedata
import uuid
import zoneinfo
from collections.abc import Iterable
from typing import Any, Final, Literal

from mmso_core._checks import strings
from mmso_core._optional import require
from mmso_core._report import check_locale
from mmso_core._time import Clock, Instant, ZoneLike, to_instant
from mmso_core.errors import InvalidValueError
from mmso_core.exhibition import Itinerary, Stop
from mmso_core.io._ids import stable_uuid
from mmso_core.schedule import Cluster, Programme, Session
from mmso_core.schedule._model import _zone_name

__all__ = ["PRODID", "UID_NAMESPACE", "to_ical"]

PRODID: Final = "-//mmso_core//iCalendar export//EN"
"""The ``PRODID`` of every calendar written (without a version, so the output of a
given input stays the same from one release to the next)."""

UID_NAMESPACE: Final = uuid.UUID("6f1d3c52-8a0e-5b7e-9c41-2d5f0e8b7a13")
"""The namespace of the name-based (version 5) UUIDs used as UIDs (fixed for good:
changing it would change every UID, and calendars would get every event twice)."""

_LABELS: Final = {
    "en": {
        "moderator": "Moderator",
        "speakers": "Speakers",
        "channel": "Channel",
        "cluster": "Cluster",
        "relay": "Simulcast of",
        "stand": "Stand",
        "webinar": "Webinar",
        "exhibition": "Exhibition",
        "walk": "Walk",
        "metres": "m",
    },
    "ru": {
        "moderator": "Модератор",
        "speakers": "Спикеры",
        "channel": "Канал",
        "cluster": "Кластер",
        "relay": "Трансляция мероприятия",
        "stand": "Стенд",
        "webinar": "Вебинар",
        "exhibition": "Выставка",
        "walk": "Пешком",
        "metres": "м",
    },
}

# Characters iCalendar TEXT cannot carry (RFC 5545 3.3.11: no CONTROL but HTAB; the
# line break is written as an escaped "\n"), and lone surrogates (not UTF-8).
_ALLOWED_CONTROLS: Final = frozenset("\t\n")


def to_ical(
    programme: Programme,
    *,
    stamp: _dt.datetime | str | Clock,
    sessions: Iterable[str] | None = None,
    itinerary: Itinerary | None = None,
    zone: ZoneLike | None = None,
    locale: Literal["en", "ru"] = "en",
) -> str:
    """Write sessions of a programme, and a visitor's itinerary, as an iCalendar text.

    Each session becomes a ``VEVENT`` with:

    * ``UID``: a version 5 UUID of the salon's name and the session's id, the same on
      every run (so a re-published calendar updates events instead of duplicating them);
    * ``DTSTAMP``: ``stamp`` in UTC, truncated to whole seconds;
    * ``DTSTART``/``DTEND``: the session's instants, in UTC (``...Z``) by default, or
      as local times with ``TZID`` when ``zone`` is given (see below);
    * ``SUMMARY``: the title; ``LOCATION``: the channel's name;
    * ``DESCRIPTION``: the format and cluster, the moderator and the speakers (with
      their organisations), the channel, and the original of a simulcast;
    * ``URL``: the channel's player address (``Channel.url``), left out when the
      channel has none;
    * ``CATEGORIES``: the format's code (``round-table``) and the cluster, if any.

    Each stop of ``itinerary`` becomes a ``VEVENT`` too: ``SUMMARY`` "Exhibition:
    <stand>" or "Webinar: <title>", the stop's visit as ``DTSTART``/``DTEND``,
    ``LOCATION`` the stand, ``DESCRIPTION`` the stand and the walk there,
    ``CATEGORIES`` ``exhibition`` and ``stand`` or ``webinar``, and a ``UID`` from the
    salon's name, the visitor's id, the stop's id and how many times the route visited
    that stop before. An itinerary has no addresses, so stops carry no ``URL``.

    Events are sorted by start, then end, then UID.

    With ``zone``, times are written as wall times with ``TZID`` and the calendar gets
    one ``VTIMEZONE``, generated from the tz database only for the days the events
    span (a day of margin each side): the observance in effect on the first day, from
    the change of offset that began it, and one observance per change after it, with
    no RRULE or RDATE lists. A time in the second occurrence of a repeated hour cannot
    be written as a wall time (RFC 5545 reads a repeated wall time as its first
    occurrence), so an event with such a time is written in UTC instead.

    Args:
        programme: The programme.
        stamp: The ``DTSTAMP`` of every event: when the calendar was made. An aware
            datetime or ISO 8601 string (anything [`to_instant`][mmso_core.to_instant]
            accepts), or a [`Clock`][mmso_core.Clock] that is read once.
        sessions: Ids of the sessions to write, in any order; all sessions (relays
            included) when omitted.
        itinerary: A visitor's exhibition route (from
            [`plan_route`][mmso_core.exhibition.plan_route] or
            [`suggest_route`][mmso_core.exhibition.suggest_route]); every stop of it
            must work (``itinerary.feasible``).
        zone: Write local times in this IANA zone (a name, a zoneinfo ``tzinfo`` or a
            region) with a ``VTIMEZONE``; UTC when omitted.
        locale: Language of the descriptions and labels: ``"en"`` or ``"ru"``.

    Returns:
        The calendar as text, with the CRLF line ends and 75-octet folded lines of RFC
        5545. Encode it as UTF-8 to publish it (``Path.write_bytes(text.encode())``,
        or open the file with ``newline=""`` so the line ends stay CRLF).

    Raises:
        MissingExtraError: ``icalendar`` is not installed (extra ``ical``).
        UnknownIdError: A session id is not in the programme.
        UnknownZoneError: ``zone`` is not in the tz database.
        InvalidValueError: Anything else that cannot make a calendar: the programme
            or the itinerary of a wrong type, an id listed twice, an itinerary with
            stops that do not work, nothing to write, a fixed-offset ``zone``, a naive
            ``stamp``, a time with fractions of a second (iCalendar holds whole
            seconds), or a text with control characters.
    """
    if not isinstance(programme, Programme):
        raise InvalidValueError(field="programme", value=programme, reason="must be a Programme")
    lang = check_locale(locale)
    stamp_at = _stamp(stamp)
    chosen = _sessions(programme, sessions)
    stops = _stops(itinerary)
    tz_name = _zone_name(zone, "zone")
    if not chosen and not stops:
        raise InvalidValueError(
            field="sessions",
            value=(),
            reason="a calendar needs at least one event: choose sessions or give an "
            "itinerary with stops",
        )
    icalendar = require("icalendar", extra="ical", feature="iCalendar calendars")
    tz = None if tz_name is None else zoneinfo.ZoneInfo(tz_name)
    scope = programme.salon.name
    events = [
        _session_event(icalendar, programme=programme, session=s, locale=lang, scope=scope, tz=tz)
        for s in chosen
    ]
    if itinerary is not None:
        events.extend(
            _stop_events(
                icalendar, itinerary=itinerary, stops=stops, locale=lang, scope=scope, tz=tz
            )
        )
    events.sort(key=lambda item: item[0])
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("NAME", _text(programme.salon.name, "Salon.name"))
    calendar.add("X-WR-CALNAME", _text(programme.salon.name, "Salon.name"))
    if any("TZID" in event[name].params for _, event in events for name in _WHEN):
        # local times were written (icalendar writes UTC-like zones as UTC): define the zone
        assert tz is not None
        assert tz_name is not None
        first = min(key[0] for key, _ in events)
        last = max(key[1] for key, _ in events)
        calendar.add_component(_vtimezone(icalendar, tz, tz_name, first, last))
    dtstamp = _whole_seconds(stamp_at.replace(microsecond=0), "stamp")
    for _, event in events:
        event.add("DTSTAMP", dtstamp)
        calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))


# --- input ------------------------------------------------------------------------


def _stamp(value: object) -> Instant:
    # Datetimes first: a pendulum DateTime has a ``now()`` classmethod, so it passes for
    # a Clock and would read the system time.
    if isinstance(value, _dt.datetime | str):
        return to_instant(value, field="stamp")
    if isinstance(value, Clock):
        return to_instant(value.now(), field="stamp")
    raise InvalidValueError(
        field="stamp",
        value=value,
        reason="must be an aware datetime, an ISO 8601 string or a Clock",
    )


def _sessions(programme: Programme, value: Iterable[str] | None) -> list[Session]:
    if value is None:
        return list(programme.ordered)
    ids = strings(value, "sessions", unique=True)
    return [programme.session(session_id) for session_id in ids]


def _stops(itinerary: object) -> tuple[Stop, ...]:
    if itinerary is None:
        return ()
    if not isinstance(itinerary, Itinerary):
        raise InvalidValueError(
            field="itinerary", value=itinerary, reason="must be an exhibition Itinerary"
        )
    if not itinerary.feasible:
        problems = "; ".join(v.message() for v in itinerary.report.violations)
        raise InvalidValueError(
            field="itinerary",
            value=tuple(v.code for v in itinerary.report.violations),
            reason=f"has stops that do not work, fix the route first: {problems}",
        )
    return itinerary.stops


def _text(value: str, field: str) -> str:
    for char in value:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _ALLOWED_CONTROLS) or category == "Cs":
            raise InvalidValueError(
                field=field,
                value=value,
                reason=f"contains the control character {char!r}, which iCalendar "
                "text cannot carry",
            )
    return value


def _whole_seconds(instant: Instant, field: str) -> _dt.datetime:
    if instant.microsecond:
        raise InvalidValueError(
            field=field,
            value=instant.isoformat(),
            reason="has fractions of a second, which iCalendar cannot hold",
        )
    return _dt.datetime(
        instant.year,
        instant.month,
        instant.day,
        instant.hour,
        instant.minute,
        instant.second,
        tzinfo=_dt.UTC,
    )


def _uid(*parts: str) -> str:
    return str(stable_uuid(UID_NAMESPACE, "\x1f".join(parts)))


# --- the zone -------------------------------------------------------------------

_HOUR: Final = _dt.timedelta(hours=1)
_DAY: Final = _dt.timedelta(days=1)
_LOOK_BACK: Final = _dt.timedelta(days=400)


def _vtimezone(
    icalendar: Any, tz: zoneinfo.ZoneInfo, name: str, first: _dt.datetime, last: _dt.datetime
) -> Any:
    """A VTIMEZONE for a day before ``first`` to a day after ``last`` (UTC instants).

    The first observance is the one in effect at the start, from the change of offset
    that began it (looked for up to 400 days back; the start itself if none), then one
    observance per change up to the end. Each starts at the instant of its change,
    written, as RFC 5545 3.6.5 says, as a wall time in the offset in use *before* it
    (``TZOFFSETFROM``). No RRULE, no RDATE lists: a short, explicit definition.

    Why not ``icalendar.Timezone.from_tzinfo``: it writes the onset of a skipped hour in
    the offset after it, an hour late, and starts with an observance whose offset does
    not change; vobject (through dateutil) reads such a zone as UTC when that offset is
    +00:00 and falls back to pytz.
    """
    start, end = first - _DAY, last + _DAY
    zone = icalendar.Timezone()
    zone.add("TZID", name)
    state = _observance(start, tz)
    onset, before = _began(start, tz, state)
    zone.add_component(_observance_component(icalendar, onset, state, before))
    at = start
    while at < end:
        step = min(at + _HOUR, end)
        if _observance(step, tz) != state:
            at = _change(at, step, tz, state)
            before, state = state[0], _observance(at, tz)
            zone.add_component(_observance_component(icalendar, at, state, before))
        else:
            at = step
    return zone


def _began(
    start: _dt.datetime, tz: zoneinfo.ZoneInfo, state: "_Observance"
) -> tuple[_dt.datetime, _dt.timedelta]:
    """When the observance in effect at ``start`` began, and the offset before it."""
    at = start
    while at > start - _LOOK_BACK:
        earlier = at - _DAY
        old = _observance(earlier, tz)
        if old != state:
            # (with two changes in that day, the first: it is still before every event)
            return _change(earlier, at, tz, old), old[0]
        at = earlier
    return start, state[0]


_Observance = tuple[_dt.timedelta, str, bool]


def _observance(instant: _dt.datetime, tz: zoneinfo.ZoneInfo) -> _Observance:
    local = instant.astimezone(tz)
    offset, dst = local.utcoffset(), local.dst()
    assert offset is not None
    # DAYLIGHT whenever tzdata says DST, "negative DST" included (Irish winter time,
    # Morocco in Ramadan): dateutil then sees the change as one of daylight saving
    return offset, str(local.tzname()), bool(dst)


def _change(
    low: _dt.datetime, high: _dt.datetime, tz: zoneinfo.ZoneInfo, state: _Observance
) -> _dt.datetime:
    """The first whole second in ``(low, high]`` whose observance differs from ``state``."""
    lo, hi = 0, int((high - low).total_seconds())
    while hi - lo > 1:
        middle = (lo + hi) // 2
        if _observance(low + _dt.timedelta(seconds=middle), tz) == state:
            lo = middle
        else:
            hi = middle
    return low + _dt.timedelta(seconds=hi)


def _observance_component(
    icalendar: Any, onset: _dt.datetime, state: _Observance, offset_from: _dt.timedelta
) -> Any:
    offset, tzname, dst = state
    component = icalendar.TimezoneDaylight() if dst else icalendar.TimezoneStandard()
    component.add("DTSTART", (onset + offset_from).replace(tzinfo=None))
    component.add("TZOFFSETFROM", offset_from)
    component.add("TZOFFSETTO", offset)
    component.add("TZNAME", tzname)
    return component


# --- events -----------------------------------------------------------------------

_SortKey = tuple[_dt.datetime, _dt.datetime, str]
_WHEN: Final = ("DTSTART", "DTEND")


def _second_of_repeated(utc: _dt.datetime, tz: zoneinfo.ZoneInfo) -> bool:
    """Whether the instant's wall time in ``tz`` is the second of a repeated one."""
    local = utc.astimezone(tz)
    return local.fold == 1 and local.replace(fold=0).utcoffset() != local.utcoffset()


def _event(
    icalendar: Any,
    *,
    uid: str,
    starts: _dt.datetime,
    ends: _dt.datetime,
    tz: zoneinfo.ZoneInfo | None,
) -> tuple[_SortKey, Any]:
    """A VEVENT with its UID, DTSTART and DTEND: both in UTC, or both local with TZID.

    RFC 5545 reads a repeated wall time as its first occurrence, so an event with a time
    in the second one is written wholly in UTC (readers such as recurring-ical-events
    get the end wrong when an event mixes the two forms).
    """
    event = icalendar.Event()
    event.add("UID", uid)
    local = tz is not None and not (
        _second_of_repeated(starts, tz) or _second_of_repeated(ends, tz)
    )
    event.add("DTSTART", starts.astimezone(tz) if local else starts)
    event.add("DTEND", ends.astimezone(tz) if local else ends)
    return (starts, ends, uid), event


def _session_event(
    icalendar: Any,
    *,
    programme: Programme,
    session: Session,
    locale: Literal["en", "ru"],
    scope: str,
    tz: zoneinfo.ZoneInfo | None,
) -> tuple[_SortKey, Any]:
    where = f"sessions[{session.id!r}]"
    key, event = _event(
        icalendar,
        uid=_uid("session", scope, session.id),
        starts=_whole_seconds(session.starts_at, f"{where}.starts_at"),
        ends=_whole_seconds(session.ends_at, f"{where}.ends_at"),
        tz=tz,
    )
    channel = programme.channel(session.channel)
    labels = _LABELS[locale]
    lines = [session.format.label(locale).capitalize()]
    if session.cluster is not None:
        lines.append(f"{labels['cluster']}: {_cluster_label(session.cluster, locale)}")
    if session.moderator is not None:
        lines.append(f"{labels['moderator']}: {_person(programme, session.moderator)}")
    if session.speakers:
        lines.append(f"{labels['speakers']}:")
        lines.extend(f"- {_person(programme, p)}" for p in session.speakers)
    player = channel.name if channel.url is None else f"{channel.name} — {channel.url}"
    lines.append(f"{labels['channel']}: {player}")
    if session.relay_of is not None:
        lines.append(f"{labels['relay']}: {programme.session(session.relay_of).title}")
    event.add("SUMMARY", _text(session.title, f"{where}.title"))
    event.add("DESCRIPTION", _text("\n".join(lines), f"{where} description"))
    event.add("LOCATION", _text(channel.name, f"channels[{channel.id!r}].name"))
    if channel.url is not None:
        event.add("URL", _text(channel.url, f"channels[{channel.id!r}].url"))
    categories = [session.format.value]
    if session.cluster is not None:
        categories.append(_text(session.cluster, f"{where}.cluster"))
    event.add("CATEGORIES", categories)
    return key, event


def _cluster_label(cluster: str, locale: Literal["en", "ru"]) -> str:
    try:
        return Cluster(cluster).label(locale)
    except ValueError:
        return cluster


def _person(programme: Programme, person_id: str) -> str:
    person = programme.person(person_id)
    if person.organisation is None:
        return person.name
    return f"{person.name} ({person.organisation})"


def _stop_events(
    icalendar: Any,
    *,
    itinerary: Itinerary,
    stops: tuple[Stop, ...],
    locale: Literal["en", "ru"],
    scope: str,
    tz: zoneinfo.ZoneInfo | None,
) -> list[tuple[_SortKey, Any]]:
    labels = _LABELS[locale]
    events = []
    seen: dict[str, int] = {}
    for position, stop in enumerate(stops):
        where = f"itinerary.stops[{position}]"
        visit = seen.get(stop.id, 0)
        seen[stop.id] = visit + 1
        key, event = _event(
            icalendar,
            uid=_uid("stop", scope, itinerary.visitor.id, stop.id, str(visit)),
            starts=_whole_seconds(stop.starts_at, f"{where}.starts_at"),
            ends=_whole_seconds(stop.ends_at, f"{where}.ends_at"),
            tz=tz,
        )
        head = labels["webinar"] if stop.kind == "webinar" else labels["exhibition"]
        summary = stop.title
        if not summary.casefold().startswith(head.casefold()):  # "Webinar: Webinar: ..."
            summary = f"{head}: {summary}"
        walk = f"{labels['walk']}: {stop.metres:.0f} {labels['metres']}"
        event.add("SUMMARY", _text(summary, f"{where}.title"))
        event.add("LOCATION", _text(f"{labels['stand']} {stop.stand}", f"{where}.stand"))
        event.add(
            "DESCRIPTION", _text(f"{labels['stand']}: {stop.stand}\n{walk}", f"{where}.stand")
        )
        event.add("CATEGORIES", ["exhibition", stop.kind])
        events.append((key, event))
    return events
