"""Visitors' routes: timing a route the visitor built, and suggesting one.

Walking times are whole seconds (rounded up) and so are visit lengths, so the route
a solver plans and the timing of the same stops agree to the second.
"""

import datetime as _dt
import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Literal, final

import attrs

from mmso_core._report import Report, Severity, Violation, check_locale
from mmso_core._time import Instant, Interval, elapsed, in_zone
from mmso_core.errors import InvalidValueError, UnknownIdError
from mmso_core.exhibition import optw
from mmso_core.exhibition._exhibition import Exhibition
from mmso_core.exhibition._model import Stand, Webinar

__all__ = ["ROUTE_CODES", "Itinerary", "Stop", "Visitor", "plan_route", "suggest_route"]

ROUTE_CODES = ("webinar-missed", "room-full", "stand-closed", "out-of-time")
"""The stable codes of what does not work in a route."""

DEFAULT_VISIT = _dt.timedelta(minutes=5)
_NO_LIMIT = 86_400.0  # "no time limit" for a search bounded by its iterations
_SECOND = _dt.timedelta(seconds=1)


def _interests(value: Mapping[str, float]) -> Mapping[str, float]:
    result: dict[str, float] = {}
    for label, weight in dict(value).items():
        if not isinstance(label, str) or not label:
            raise InvalidValueError(
                field="Visitor.interests", value=label, reason="labels are strings"
            )
        if (
            not isinstance(weight, int | float)
            or isinstance(weight, bool)
            or not math.isfinite(weight)
            or weight < 0
        ):
            raise InvalidValueError(
                field=f"Visitor.interests[{label!r}]", value=weight, reason="must be a number >= 0"
            )
        result[label] = float(weight)
    return MappingProxyType(result)


def _speed(instance: object, attribute: object, value: object) -> None:
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidValueError(
            field="Visitor.speed", value=value, reason="must be metres/second > 0"
        )


def _must(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise InvalidValueError(
            field="Visitor.must_visit", value=value, reason="must be a set of ids"
        )
    return frozenset(value)


def _visit_length(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, _dt.timedelta) or value <= _dt.timedelta(0):
        raise InvalidValueError(
            field="Visitor.default_visit", value=value, reason="must be a positive timedelta"
        )


@final
@attrs.frozen(kw_only=True)
class Visitor:
    """A visitor of the exhibition.

    Attributes:
        available: When they can visit.
        interests: Weights of clusters and tags; a stand's interest is the sum of the
            weights of its clusters and tags.
        start: Where they begin (a junction or stand id; the entrance by default).
        speed: Walking pace in metres per second.
        must_visit: Stands they want to see whatever else they choose.
        default_visit: How long a stand without a video takes.
        id: An id for reports.
    """

    available: Interval
    interests: Mapping[str, float] = attrs.field(factory=dict, converter=_interests)
    start: str | None = None
    speed: float = attrs.field(default=1.2, validator=_speed)
    must_visit: frozenset[str] = attrs.field(factory=frozenset, converter=_must)
    default_visit: _dt.timedelta = attrs.field(default=DEFAULT_VISIT, validator=_visit_length)
    id: str = "visitor"

    def interest(self, labels: Iterable[str]) -> float:
        """The interest of something with these clusters and tags."""
        return sum(self.interests.get(label, 0.0) for label in set(labels))


@final
@attrs.frozen(kw_only=True)
class Stop:
    """One stop of an itinerary.

    Attributes:
        id: The stand or webinar id.
        kind: ``"stand"`` or ``"webinar"``.
        title: The stand's name or the webinar's title.
        stand: The stand walked to (a webinar's room's stand).
        alleys: The alleys walked along to get there.
        metres: The walking distance.
        arrives_at: Arrival.
        waits: Waiting before the visit starts.
        starts_at: Start of the visit.
        ends_at: End of the visit.
        interest: What the stop is worth to the visitor.
    """

    id: str
    kind: Literal["stand", "webinar"]
    title: str
    stand: str
    alleys: tuple[str, ...]
    metres: float
    arrives_at: Instant
    waits: _dt.timedelta
    starts_at: Instant
    ends_at: Instant
    interest: float


@final
@attrs.frozen(kw_only=True)
class Itinerary:
    """A timed route and what does not work in it.

    Attributes:
        visitor: The visitor.
        stops: The stops in the visitor's order.
        report: Violations with the codes of ``ROUTE_CODES``.
        interest: The total interest of the stops that work (each stand counted once).
    """

    visitor: Visitor
    stops: tuple[Stop, ...]
    report: Report
    interest: float

    @property
    def ends_at(self) -> Instant:
        """When the last visit ends (the start of availability for an empty route)."""
        return self.stops[-1].ends_at if self.stops else self.visitor.available.start

    @property
    def feasible(self) -> bool:
        """Whether every stop works."""
        return not self.report.violations

    def to_text(self, zone: str, locale: Literal["en", "ru"] = "en") -> str:
        """One line per stop (local times in ``zone``), the interest, and what fails."""
        check_locale(locale)
        ru = locale == "ru"
        lines = []
        for stop in self.stops:
            start, end = in_zone(stop.starts_at, zone), in_zone(stop.ends_at, zone)
            walk = f"{stop.metres:.0f} м пешком" if ru else f"{stop.metres:.0f} m walk"
            kind = ("Вебинар: " if ru else "Webinar: ") if stop.kind == "webinar" else ""
            lines.append(f"{start:%H:%M}–{end:%H:%M}  {kind}{stop.title} [{stop.id}] ({walk})")
        if not self.stops:
            lines.append("Ничего не подходит." if ru else "Nothing fits.")
        label = "Интерес маршрута" if ru else "Interest of the route"
        lines.append(f"{label}: {self.interest:g}")
        lines.extend(v.message(locale) for v in self.report.violations)
        return "\n".join(lines)


def _walk_seconds(metres: float, speed: float) -> int:
    return math.ceil(metres / speed - 1e-9)


def _whole(delta: _dt.timedelta) -> int:
    return math.ceil(delta / _SECOND)


def _visit_seconds(stand: Stand, visitor: Visitor) -> int:
    return _whole(stand.video.duration if stand.video is not None else visitor.default_visit)


def _worth(target: Stand | Webinar, stand: Stand, visitor: Visitor) -> float:
    """What a stop is worth: the interest of its labels; a webinar's grows with its length.

    A stand visit is a short look (a few minutes of video); a webinar is live contact
    for half an hour or more, so it is worth its labels' interest times
    ``1 + minutes / 30``.
    """
    if isinstance(target, Webinar):
        labels = target.clusters or stand.clusters | stand.tags
        minutes = elapsed(target.starts_at, target.ends_at) / _dt.timedelta(minutes=1)
        return visitor.interest(labels) * (1 + minutes / 30)
    return visitor.interest(target.clusters | target.tags)


def _violation(code: str, stop: str, en: str, ru: str) -> Violation:
    return Violation(code=code, severity=Severity.ERROR, subjects=(stop,), en=en, ru=ru)


def _stop_target(exhibition: Exhibition, stop: str) -> Stand | Webinar:
    try:
        return exhibition.webinar(stop)
    except UnknownIdError:
        pass
    try:
        return exhibition.stand(stop)
    except UnknownIdError:
        raise UnknownIdError(kind="stand or webinar", id=stop) from None


def plan_route(exhibition: Exhibition, visitor: Visitor, stops: Sequence[str]) -> Itinerary:
    """Time the visitor's own order of stands and webinars (no reordering).

    For each stop: the alleys walked, arrival, waiting, start and end of the visit (the
    stand's video, or the webinar's interval), and a report of what does not work:
    ``webinar-missed``, ``room-full``, ``stand-closed``, ``out-of-time``.

    Raises:
        UnknownIdError: A stop is neither a stand nor a webinar.
    """
    if isinstance(stops, str):
        raise InvalidValueError(field="stops", value=stops, reason="must be a sequence of ids")
    place = visitor.start if visitor.start is not None else exhibition.floor_plan.entrance
    clock = visitor.available.start
    done: list[Stop] = []
    problems: list[Violation] = []
    counted: set[str] = set()
    interest = 0.0
    for stop in stops:
        target = _stop_target(exhibition, stop)
        stand = (
            exhibition.stand(exhibition.room(target.room).stand)
            if isinstance(target, Webinar)
            else target
        )
        walk = exhibition.walk(place, stand.id)
        arrives = clock + _walk_seconds(walk.metres, visitor.speed) * _SECOND
        broken = False
        worth = _worth(target, stand, visitor)
        if isinstance(target, Webinar):
            full = target.registered >= exhibition.room(target.room).capacity
            if full:  # turned away at the door: no time spent
                starts = ends = arrives
            elif arrives > target.starts_at:  # joins late for what is left, if anything
                starts, ends = arrives, max(arrives, target.ends_at)
            else:
                starts, ends = target.starts_at, target.ends_at
            if arrives > target.starts_at:
                broken = True
                problems.append(
                    _violation(
                        "webinar-missed",
                        stop,
                        f"webinar {stop} starts before the visitor can get there",
                        f"к началу вебинара {stop} посетитель не успевает",
                    )
                )
            if full:
                broken = True
                problems.append(
                    _violation(
                        "room-full",
                        stop,
                        f"the room of webinar {stop} is full",
                        f"комната вебинара {stop} заполнена",
                    )
                )
            kind: Literal["stand", "webinar"] = "webinar"
        else:
            length = _visit_seconds(target, visitor) * _SECOND
            opening = _opening_start(target, arrives, length)
            starts = arrives if opening is None else opening
            if opening is None:
                broken = True
                problems.append(
                    _violation(
                        "stand-closed",
                        stop,
                        f"stand {stop} is closed when the visitor gets there",
                        f"стенд {stop} закрыт, когда посетитель до него доходит",
                    )
                )
            ends = starts + length
            kind = "stand"
        if ends > visitor.available.end:
            broken = True
            problems.append(
                _violation(
                    "out-of-time",
                    stop,
                    f"the visit to {stop} ends after the visitor's time is up",
                    f"посещение {stop} заканчивается позже, чем у посетителя есть время",
                )
            )
        if not broken and stop not in counted:
            counted.add(stop)
            interest += worth
        done.append(
            Stop(
                id=stop,
                kind=kind,
                title=target.title if isinstance(target, Webinar) else target.name,
                stand=stand.id,
                alleys=walk.alleys,
                metres=walk.metres,
                arrives_at=arrives,
                waits=elapsed(arrives, starts),
                starts_at=starts,
                ends_at=ends,
                interest=worth,
            )
        )
        clock, place = ends, stand.id
    return Itinerary(
        visitor=visitor, stops=tuple(done), report=Report(violations=problems), interest=interest
    )


def _opening_start(stand: Stand, arrives: Instant, length: _dt.timedelta) -> Instant | None:
    """The earliest start at or after arrival such that the whole visit is within hours."""
    if not stand.opening_hours:
        return arrives
    for span in stand.opening_hours:
        start = max(arrives, span.start)
        if start + length <= span.end:
            return start
    return None


def suggest_route(
    exhibition: Exhibition,
    visitor: Visitor,
    *,
    time_limit: float | None = None,
    seed: int = 0,
    max_iterations: int | None = None,
) -> Itinerary:
    """Choose and order stands and webinars for the most interest in the visitor's time.

    Webinars are joined from their start; stands are visited while open; walking takes
    the visitor's pace; the visitor's must-visit stands are in the route. Underneath is
    the general OPTW solver of ``mmso_core.exhibition.optw``.

    Args:
        exhibition: The exhibition.
        visitor: The visitor, with interests, time and must-visit stands.
        time_limit: Seconds of search. By default 1 s, or, when ``max_iterations`` is
            given, no limit: then the same seed gives the same route on every machine.
        seed: Seed of the search.
        max_iterations: Stop after this many iterations of the search.

    A stand open in several stretches of the visitor's time is offered in its longest
    one; a webinar is joined at its start.

    Raises:
        InvalidValueError: The must-visit stands cannot all fit.
    """
    origin = visitor.start if visitor.start is not None else exhibition.floor_plan.entrance
    available = visitor.available
    budget = _whole(available.duration)
    places = [origin]
    stops: list[str] = []
    scores: list[float] = [0.0]
    services: list[float] = [0.0]
    windows: list[tuple[float, float]] = [(0.0, float(budget))]
    must: list[int] = []
    unknown = sorted(visitor.must_visit - {s.id for s in exhibition.stands})
    if unknown:
        raise UnknownIdError(kind="stand", id=unknown[0])
    for stand in exhibition.stands:
        worth = _worth(stand, stand, visitor)
        if worth <= 0 and stand.id not in visitor.must_visit:
            continue
        length = _visit_seconds(stand, visitor)
        window = _stand_window(stand, available, length, budget)
        if window is None:
            if stand.id in visitor.must_visit:
                raise InvalidValueError(
                    field="Visitor.must_visit",
                    value=stand.id,
                    reason="the stand is not open long enough in the visitor's time",
                )
            continue
        if stand.id in visitor.must_visit:
            must.append(len(stops) + 1)
        places.append(stand.id)
        stops.append(stand.id)
        scores.append(worth)
        services.append(float(length))
        windows.append(window)
    for webinar in exhibition.webinars:
        room = exhibition.room(webinar.room)
        stand = exhibition.stand(room.stand)
        worth = _worth(webinar, stand, visitor)
        begin = elapsed(available.start, webinar.starts_at) / _SECOND
        lasts = elapsed(webinar.starts_at, webinar.ends_at) / _SECOND
        if worth <= 0 or webinar.registered >= room.capacity:
            continue
        if begin < 0 or begin != int(begin) or begin + lasts > budget:
            continue
        places.append(stand.id)
        stops.append(webinar.id)
        scores.append(worth)
        services.append(lasts)
        windows.append((begin, begin))
    travel = [
        [
            0.0 if j == 0 else float(_walk_seconds(exhibition.metres(a, b), visitor.speed))
            for j, b in enumerate(places)
        ]
        for a in places
    ]
    instance = optw.Instance.from_matrix(
        travel, scores=scores, durations=services, windows=windows, budget=float(budget)
    )
    if time_limit is None:
        time_limit = 1.0 if max_iterations is None else _NO_LIMIT
    solution = optw.solve(
        instance, time_limit=time_limit, seed=seed, must_visit=must, max_iterations=max_iterations
    )
    return plan_route(exhibition, visitor, [stops[node - 1] for node in solution.visits])


def _stand_window(
    stand: Stand, available: Interval, length: int, budget: int
) -> tuple[float, float] | None:
    """The start window (seconds from the visitor's start) of the longest opening."""
    spans = stand.opening_hours or (available,)
    best: tuple[float, float] | None = None
    for span in spans:
        low = max(0, math.ceil(elapsed(available.start, span.start) / _SECOND))
        high = min(budget, math.floor(elapsed(available.start, span.end) / _SECOND)) - length
        if high >= low and (best is None or high - low > best[1] - best[0]):
            best = (float(low), float(high))
    return best
