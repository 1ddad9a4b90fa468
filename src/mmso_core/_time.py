"""The one boundary where datetimes enter `mmso_core`.

Everything inside the library works on *instants*: aware ``pendulum.DateTime``
values normalised to UTC. This module turns whatever callers hold into instants
without ever rebuilding a value from its wall time (which is how pendulum and pytz
silently move times), and turns wall times into instants through one function with
an explicit policy for the two hours a year that are ambiguous or skipped.

>>> from mmso_core import to_instant, at_local
>>> to_instant("2020-04-29T17:20:00+03:00")
DateTime(2020, 4, 29, 14, 20, 0, tzinfo=Timezone('UTC'))
>>> at_local("2020-04-29 18:20", "Europe/Samara") == to_instant("2020-04-29T17:20+03:00")
True
"""

import contextlib
import datetime as _dt
import functools
import importlib
import re
from pathlib import Path
from typing import Any, Final, Literal, Protocol, TypeAlias, final, runtime_checkable

import attrs
import pendulum

from mmso_core.errors import (
    AmbiguousTimeError,
    InvalidValueError,
    NaiveDatetimeError,
    NonexistentTimeError,
    TzinfoMisuseError,
    UnknownZoneError,
)

__all__ = [
    "UTC",
    "Clock",
    "Disambiguate",
    "FixedClock",
    "Instant",
    "Interval",
    "ManualClock",
    "SystemClock",
    "ZoneLike",
    "at_local",
    "countdown",
    "humanize",
    "in_zone",
    "resolve_zone",
    "to_instant",
    "tz_database_version",
    "zone_name",
]

Instant: TypeAlias = pendulum.DateTime
"""An aware ``pendulum.DateTime`` in UTC: the only kind of time the library stores."""

UTC: Final = pendulum.UTC

Disambiguate: TypeAlias = Literal["raise", "earlier", "later", "compatible"]
"""Policy for wall times that happen twice (a fold) or never (a gap).

* ``"raise"``: refuse both (the default).
* ``"earlier"``: the first of two occurrences; in a gap, move back by the gap.
* ``"later"``: the second of two occurrences; in a gap, move forward by the gap.
* ``"compatible"``: RFC 5545's choice: the first occurrence; in a gap, move forward.
"""

_POLICIES: Final = frozenset({"raise", "earlier", "later", "compatible"})


@runtime_checkable
class HasZone(Protocol):
    """Anything that names its time zone, such as a [`Region`][mmso_core.regions.Region]."""

    @property
    def zone(self) -> str:
        """The IANA name of the zone."""


ZoneLike: TypeAlias = str | _dt.tzinfo | HasZone
"""An IANA zone name, a ``tzinfo`` (zoneinfo, pytz, pendulum, fixed offset), or a region."""

_PYTZ_BASE: type | None
try:  # pytz is a core dependency, but the boundary must not break if it goes missing
    _pytz: Any = importlib.import_module("pytz")
    _PYTZ_BASE = _pytz.BaseTzInfo
except ImportError:  # pragma: no cover - pytz is installed with mmso_core
    _pytz = None
    _PYTZ_BASE = None


# Names zoneinfo resolves but that are not zones: the host's own setting, old POSIX
# links, and the "right/" zones that count leap seconds (no other library here does).
_NOT_ZONES: Final = frozenset({"localtime", "posixrules", "Factory"})


@functools.lru_cache(maxsize=512)
def _zone_by_name(name: str) -> pendulum.Timezone:
    if name in _NOT_ZONES or name.startswith("right/"):
        raise UnknownZoneError(zone=name)
    try:
        return pendulum.timezone(name)  # type: ignore[return-value,unused-ignore] # names give Timezone
    except Exception as exc:  # pendulum raises InvalidTimezone, zoneinfo KeyError/ValueError
        raise UnknownZoneError(zone=name) from exc


def resolve_zone(tz: ZoneLike, *, field: str | None = None) -> _dt.tzinfo:
    """Return a ``tzinfo`` usable with PEP 495 ``fold`` for any zone-like value.

    IANA names become ``pendulum.Timezone`` (a ``zoneinfo.ZoneInfo``); pytz zones are
    replaced by the zoneinfo zone of the same name (pytz ignores ``fold``); fixed
    offsets stay fixed offsets; a region gives its main zone.

    Args:
        tz: The zone: a name such as ``"Europe/Samara"``, a ``tzinfo``, or a region.
        field: Named in the error message when the zone is unknown.

    Returns:
        A ``tzinfo``.

    Raises:
        UnknownZoneError: The name is not in the tz database (or is not a zone at all).

    >>> resolve_zone("Europe/Samara")
    Timezone('Europe/Samara')
    """
    if isinstance(tz, str):
        try:
            return _zone_by_name(tz)
        except UnknownZoneError:
            raise UnknownZoneError(zone=tz, field=field) from None
    if _PYTZ_BASE is not None and isinstance(tz, _PYTZ_BASE):
        name = getattr(tz, "zone", None)
        if name is None:  # pytz.FixedOffset
            offset = tz.utcoffset(None)  # type: ignore[union-attr] # a pytz zone is a tzinfo
            assert offset is not None
            return _dt.timezone(offset)
        return resolve_zone(str(name), field=field)
    if isinstance(tz, _dt.tzinfo):
        return tz
    if isinstance(tz, HasZone):
        return resolve_zone(tz.zone, field=field)
    raise UnknownZoneError(zone=tz, field=field)


def zone_name(tz: ZoneLike) -> str:
    """Return the IANA name of a zone-like value (or its ``tzname`` for fixed offsets).

    >>> zone_name("Asia/Kamchatka")
    'Asia/Kamchatka'
    """
    zone = resolve_zone(tz)
    key = getattr(zone, "key", None)
    if isinstance(key, str):
        return key
    return str(zone.tzname(None))


def _from_aware(value: _dt.datetime, field: str | None = None) -> Instant:
    """Convert an aware datetime to an instant through its UTC offset (no wall rebuild)."""
    try:
        utc = value.astimezone(_dt.UTC)
    except OverflowError:
        raise InvalidValueError(
            field=field or "value",
            value=value.isoformat(),
            reason="lies outside the range of datetime once converted to UTC",
        ) from None
    return pendulum.DateTime(
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        utc.second,
        utc.microsecond,
        tzinfo=UTC,
    )


def _check_aware(value: _dt.datetime, field: str | None) -> None:
    """Refuse the pytz trap and wall times that do not exist in their zone."""
    tz = value.tzinfo
    if _PYTZ_BASE is not None and isinstance(tz, _PYTZ_BASE):
        name = getattr(tz, "zone", None)
        normalize = getattr(tz, "normalize", None)
        if name is not None and normalize is not None and tz is _pytz.timezone(name):
            # The zone object itself was attached with tzinfo=: it stands for the
            # zone's first offset (local mean time). Detect by normalising.
            normal = normalize(value)
            if normal.replace(tzinfo=None) != value.replace(tzinfo=None):
                raise TzinfoMisuseError(value=value, zone=str(name), field=field)
        # A pytz-localized value carries its offset: the instant is exact.
        return
    if isinstance(tz, _dt.timezone | pendulum.FixedTimezone):
        return
    offset = value.utcoffset()
    other = value.replace(fold=1 - value.fold).utcoffset()
    if offset is None or other is None or offset == other:
        return
    # PEP 495: in a gap fold=0 gives the offset before the transition (the smaller).
    in_gap = (offset < other) if value.fold == 0 else (offset > other)
    if in_gap:
        raise NonexistentTimeError(
            wall=value.replace(tzinfo=None, fold=0), zone=_tz_label(tz), field=field
        )


def _tz_label(tz: _dt.tzinfo | None) -> str:
    key = getattr(tz, "key", None) or getattr(tz, "zone", None)
    return str(key) if key else str(tz)


# RFC 9557 suffixes: a zone and/or tags in brackets, 2020-04-29T17:20+03:00[Europe/Moscow]
_SUFFIXES = re.compile(r"(?:\[[^\[\]]*\])+$")
_SUFFIX_ITEM = re.compile(r"\[!?([^\[\]]*)\]")


def _split_suffix(raw: str) -> tuple[str, str | None]:
    """Split an RFC 9557 suffix off: (the date-time, the zone if one is named)."""
    match = _SUFFIXES.search(raw)
    if match is None:
        return raw, None
    items = _SUFFIX_ITEM.findall(match.group())
    zones = [item for item in items if "=" not in item]  # key=value items are tags
    return raw[: match.start()], (zones[0] if zones else None)


def _parse_string(text: str, tz: ZoneLike | None, field: str | None) -> Instant:
    raw, suffix_zone = _split_suffix(text.strip())
    try:
        parsed = _dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidValueError(
            field=field or "value",
            value=text,
            reason="not an ISO 8601 date-time (expected e.g. '2020-04-29T17:20:00+03:00')",
        ) from None
    if parsed.tzinfo is None:
        zone = suffix_zone if suffix_zone is not None else tz
        if zone is None:
            raise NaiveDatetimeError(value=parsed, field=field)
        return at_local(parsed, zone, field=field)
    instant = _from_aware(parsed, field)
    # RFC 9557 section 2: "Z" and "-00:00" say the local offset is unknown, so any
    # zone after them is consistent; an explicit offset must match the zone's.
    unknown_offset = raw[-1:] in ("Z", "z") or raw.endswith("-00:00")
    if suffix_zone is not None and not unknown_offset:
        local = instant.astimezone(resolve_zone(suffix_zone, field=field))
        if local.utcoffset() != parsed.utcoffset():
            raise InvalidValueError(
                field=field or "value",
                value=text,
                reason=f"offset {parsed.utcoffset()} does not match zone {suffix_zone} "
                f"at that instant ({local.utcoffset()})",
            )
    return instant


def to_instant(
    value: _dt.datetime | str, tz: ZoneLike | None = None, *, field: str | None = None
) -> Instant:
    """Convert an aware datetime or an ISO 8601 / RFC 9557 string to an instant.

    The conversion goes through the value's UTC offset, never through its wall time,
    so values from any tz library keep their exact instant. Naive input is refused
    unless ``tz`` names its zone (then it goes through [`at_local`][mmso_core.at_local]
    with ``disambiguate="raise"``). ``tz`` is ignored for aware input.

    Args:
        value: An aware ``datetime`` (zoneinfo, ``datetime.timezone``, pytz-localized,
            pendulum) or a string such as ``"2020-04-29T17:20:00+03:00"`` or
            ``"2020-04-29T17:20:00+03:00[Europe/Moscow]"``.
        tz: The zone of a naive value.
        field: Named in error messages.

    Returns:
        The instant, an aware ``pendulum.DateTime`` in UTC.

    Raises:
        NaiveDatetimeError: The value has no zone and ``tz`` is not given.
        TzinfoMisuseError: A pytz zone was attached with ``tzinfo=``.
        NonexistentTimeError: The value's wall time is skipped in its zone.
        InvalidValueError: The value is neither a datetime nor an ISO string.

    >>> import datetime as dt, zoneinfo
    >>> samara = zoneinfo.ZoneInfo("Europe/Samara")
    >>> to_instant(dt.datetime(2020, 4, 29, 18, 20, tzinfo=samara)).isoformat()
    '2020-04-29T14:20:00+00:00'
    """
    if type(value) is pendulum.DateTime and value.tzinfo is UTC:
        return value  # already an instant (the common case on hot paths)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            if tz is None:
                raise NaiveDatetimeError(value=value, field=field)
            return at_local(value, tz, field=field)
        _check_aware(value, field)
        return _from_aware(value, field)
    if isinstance(value, str):
        return _parse_string(value, tz, field)
    raise InvalidValueError(
        field=field or "value",
        value=value,
        reason=f"expected an aware datetime or an ISO 8601 string, not {type(value).__name__}",
    )


def at_local(
    wall: _dt.datetime | str,
    tz: ZoneLike,
    *,
    disambiguate: Disambiguate = "raise",
    field: str | None = None,
) -> Instant:
    """Turn a wall time in a zone into an instant, with an explicit policy for DST edges.

    Args:
        wall: A naive ``datetime`` or an ISO 8601 string without an offset.
        tz: The zone the wall time is read in (a name, a ``tzinfo`` or a region).
        disambiguate: What to do with a wall time that happens twice or never:
            ``"raise"`` (default), ``"earlier"``, ``"later"`` or ``"compatible"``.
        field: Named in error messages.

    Returns:
        The instant.

    Raises:
        AmbiguousTimeError: The wall time happens twice and the policy is ``"raise"``.
        NonexistentTimeError: The wall time is skipped and the policy is ``"raise"``.
        UnknownZoneError: The zone is unknown.
        InvalidValueError: ``wall`` already has an offset, or the policy is unknown.

    >>> at_local("2026-03-29 02:30", "Europe/Berlin", disambiguate="compatible").isoformat()
    '2026-03-29T01:30:00+00:00'
    >>> at_local("2026-10-25 02:30", "Europe/Berlin", disambiguate="later").isoformat()
    '2026-10-25T01:30:00+00:00'
    """
    if disambiguate not in _POLICIES:
        raise InvalidValueError(
            field="disambiguate",
            value=disambiguate,
            reason="must be one of 'raise', 'earlier', 'later', 'compatible'",
        )
    if isinstance(wall, str):
        try:
            parsed = _dt.datetime.fromisoformat(wall.strip())
        except ValueError:
            raise InvalidValueError(
                field=field or "wall",
                value=wall,
                reason="not an ISO 8601 local date-time (expected e.g. '2020-04-29 17:20')",
            ) from None
        wall = parsed
    if not isinstance(wall, _dt.datetime):
        raise InvalidValueError(
            field=field or "wall",
            value=wall,
            reason=f"expected a naive datetime, not {type(wall).__name__}",
        )
    if wall.utcoffset() is not None:
        raise InvalidValueError(
            field=field or "wall",
            value=wall,
            reason="already has a time zone; use to_instant() for aware values",
        )
    zone = resolve_zone(tz, field=field)
    wall = wall.replace(tzinfo=None)  # a tzinfo without an offset says nothing
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    offset_first, offset_second = first.utcoffset(), second.utcoffset()
    if offset_first == offset_second:
        return _from_aware(first, field)
    if offset_first is None or offset_second is None:  # pragma: no cover - zones have offsets
        return _from_aware(first, field)
    if offset_first > offset_second:  # a fold: the wall time happens twice
        if disambiguate == "raise":
            raise AmbiguousTimeError(wall=wall, zone=_tz_label(zone), field=field)
        return _from_aware(second if disambiguate == "later" else first, field)
    # A gap: fold=0 reads it with the offset before the jump (lands later),
    # fold=1 with the offset after it (lands earlier).
    if disambiguate == "raise":
        raise NonexistentTimeError(wall=wall, zone=_tz_label(zone), field=field)
    return _from_aware(second if disambiguate == "earlier" else first, field)


def in_zone(instant: _dt.datetime | str, tz: ZoneLike) -> pendulum.DateTime:
    """Show an instant as local time in a zone (for display, on the way out).

    >>> in_zone("2020-04-29T14:20:00Z", "Europe/Samara").isoformat()
    '2020-04-29T18:20:00+04:00'
    """
    moment = to_instant(instant)
    zone = resolve_zone(tz)
    key = getattr(zone, "key", None)
    if isinstance(key, str) and not isinstance(zone, pendulum.Timezone):
        # a plain ZoneInfo: show it as the same named zone, not a bare offset (unless
        # it was loaded from a file under a key the database does not know)
        with contextlib.suppress(UnknownZoneError):
            zone = _zone_by_name(key)
    if isinstance(zone, _dt.timezone):
        fixed = zone.utcoffset(None)
        zone = pendulum.FixedTimezone(fixed.days * 86_400 + fixed.seconds)
    try:
        if isinstance(zone, pendulum.Timezone | pendulum.FixedTimezone):
            return moment.in_tz(zone)
        local = moment.astimezone(zone)  # any other tzinfo (dateutil...): keep its offset
    except OverflowError:
        raise InvalidValueError(
            field="instant",
            value=moment.isoformat(),
            reason=f"lies outside the range of datetime in {zone_name(tz)}",
        ) from None
    offset = local.utcoffset()
    assert offset is not None  # astimezone gives an aware value
    return pendulum.DateTime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=pendulum.FixedTimezone(offset.days * 86_400 + offset.seconds),
    )


def humanize(start: _dt.datetime | str, end: _dt.datetime | str, locale: str = "en") -> str:
    """How long from one instant to another, in words: "15 minutes", "2 часа".

    Uses pendulum's locales; the order of the two instants does not matter.

    >>> humanize("2020-04-29T17:05+03:00", "2020-04-29T17:20+03:00", "ru")
    '15 минут'
    """
    if locale not in ("en", "ru"):
        raise InvalidValueError(field="locale", value=locale, reason="must be 'en' or 'ru'")
    first, second = to_instant(start, field="start"), to_instant(end, field="end")
    return first.diff_for_humans(second, absolute=True, locale=locale)


def countdown(now: _dt.datetime | str, then: _dt.datetime | str, locale: str = "en") -> str:
    """When ``then`` happens, seen from ``now``: "in 15 minutes", "2 часа назад".

    >>> countdown("2020-04-29T17:05+03:00", "2020-04-29T17:20+03:00", "ru")
    'через 15 минут'
    >>> countdown("2020-04-29T16:59+03:00", "2020-04-29T17:20+03:00", "ru")
    'через 21 минуту'
    >>> countdown("2020-04-29T19:20+03:00", "2020-04-29T17:20+03:00")
    '2 hours ago'
    """
    words = humanize(now, then, locale)
    if locale == "ru":  # "через" and "назад" take the accusative: 1 минуту, 21 неделю
        words = _RU_ACCUSATIVE.sub(lambda match: _RU_FEMININE[match.group(0)], words)
    if to_instant(then, field="then") >= to_instant(now, field="now"):
        return f"через {words}" if locale == "ru" else f"in {words}"
    return f"{words} назад" if locale == "ru" else f"{words} ago"


_RU_FEMININE: Final = {"секунда": "секунду", "минута": "минуту", "неделя": "неделю"}
_RU_ACCUSATIVE: Final = re.compile(r"\b(?:секунда|минута|неделя)\b")


def elapsed(start: _dt.datetime, end: _dt.datetime) -> _dt.timedelta:
    """``end - start`` as a plain ``timedelta``.

    pendulum's subtraction returns its ``Interval``, whose ``//`` by a ``timedelta``
    raises ``AttributeError`` (pendulum 3.3); the library's durations are plain.
    """
    return _dt.datetime.__sub__(end, start)


def _interval_start(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="Interval.start")


def _interval_end(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="Interval.end")


@final
@attrs.frozen(kw_only=True, order=True)
class Interval:
    """A half-open span of time ``[start, end)`` between two instants, ``end > start``.

    Both ends accept anything [`to_instant`][mmso_core.to_instant] does.

    >>> a = Interval(start="2020-04-29T17:20+03:00", end="2020-04-29T18:50+03:00")
    >>> b = Interval(start="2020-04-29T18:50+03:00", end="2020-04-29T19:30+03:00")
    >>> a.overlaps(b), a.duration
    (False, datetime.timedelta(seconds=5400))
    """

    start: Instant = attrs.field(converter=_interval_start)
    end: Instant = attrs.field(converter=_interval_end)

    @end.validator
    def _end_after_start(self, _attribute: object, value: Instant) -> None:
        if value <= self.start:
            raise InvalidValueError(
                field="Interval.end",
                value=value.isoformat(),
                reason=f"must be after start {self.start.isoformat()}",
            )

    @property
    def duration(self) -> _dt.timedelta:
        """The length of the interval (a plain ``timedelta``)."""
        return elapsed(self.start, self.end)

    def overlaps(self, other: "Interval") -> bool:
        """Whether the two half-open intervals share any instant."""
        return self.start < other.end and other.start < self.end

    def contains(self, instant: _dt.datetime | str) -> bool:
        """Whether ``start <= instant < end``."""
        moment = to_instant(instant)
        return self.start <= moment < self.end

    def covers(self, other: "Interval") -> bool:
        """Whether ``other`` lies wholly inside this interval."""
        return self.start <= other.start and other.end <= self.end

    def in_zone(self, tz: ZoneLike) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        """Both ends as local times in a zone."""
        return in_zone(self.start, tz), in_zone(self.end, tz)


@runtime_checkable
class Clock(Protocol):
    """The only way anything in `mmso_core` learns the current time: callers inject it."""

    def now(self) -> Instant:
        """Return the current instant."""


@final
@attrs.frozen
class SystemClock:
    """The real clock, for production front ends."""

    def now(self) -> Instant:
        """Return the current instant read from the system."""
        return pendulum.now(UTC)


def _clock_at(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="at")


@final
@attrs.frozen(kw_only=True)
class FixedClock:
    """A clock that is always at one instant (for tests and reproducible reports).

    >>> FixedClock(at="2020-04-29T17:20+03:00").now().isoformat()
    '2020-04-29T14:20:00+00:00'
    """

    at: Instant = attrs.field(converter=_clock_at)

    def now(self) -> Instant:
        """Return the fixed instant."""
        return self.at


@final
@attrs.define(kw_only=True)
class ManualClock:
    """A clock tests move by hand; it never goes backwards.

    >>> import datetime as dt
    >>> clock = ManualClock(at="2020-04-29T14:20Z")
    >>> clock.advance(dt.timedelta(minutes=15)).isoformat()
    '2020-04-29T14:35:00+00:00'
    """

    at: Instant = attrs.field(converter=_clock_at)

    def now(self) -> Instant:
        """Return the clock's current instant."""
        return self.at

    def advance(self, delta: _dt.timedelta) -> Instant:
        """Move the clock forward by ``delta`` (>= 0) and return the new instant."""
        if not isinstance(delta, _dt.timedelta) or delta < _dt.timedelta(0):
            raise InvalidValueError(
                field="ManualClock.advance", value=delta, reason="a clock never goes backwards"
            )
        self.at = self.at + delta
        return self.at


_VERSION_LINE = re.compile(r"#\s*version\s+(\S+)")


def tz_database_version() -> str:
    """Return the version of the tz database the library reads zones from.

    Zones come from ``zoneinfo``'s search path first (the system database) and from the
    ``tzdata`` package otherwise, exactly as pendulum and ``zoneinfo`` find them. The
    system copy and the ``tzdata`` or pytz copies can differ in one process: this says
    which one the library's answers rest on, e.g. ``"2025b"``.

    >>> version = tz_database_version()
    >>> len(version) == 5 and version[:4].isdigit() and version[4].isalpha()
    True
    """
    import zoneinfo  # noqa: PLC0415 - only needed here

    for directory in zoneinfo.TZPATH:
        base = Path(directory)
        if (base / "Europe" / "Moscow").is_file():
            version = _read_version(base / "tzdata.zi")
            if version is not None:
                return version
    tzdata = importlib.import_module("tzdata")  # the fallback zoneinfo itself uses (no stubs)
    return str(tzdata.IANA_VERSION)


def _read_version(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8") as handle:
            match = _VERSION_LINE.match(handle.readline())
    except OSError:
        return None
    return match.group(1) if match else None
