"""The exhibition aggregate: integrity checked once, walking distances along the alleys.

Walking uses a heap-based Dijkstra over a graph whose nodes are the junctions and
the stands (each stand splits its alley), run once per starting place and cached.

>>> from mmso_core.samples import exhibition_2020
>>> expo = exhibition_2020()
>>> first, second = expo.stands[0].id, expo.stands[1].id
>>> walk = expo.walk(first, second)
>>> walk.metres > 0, walk.alleys[0] == expo.stand(first).alley
(True, True)
"""

import heapq
import itertools
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar, final

import attrs

from mmso_core._checks import instance_of, items, non_empty
from mmso_core._time import resolve_zone, zone_name
from mmso_core.errors import InvalidValueError, ModelError, UnknownIdError
from mmso_core.exhibition._model import (
    Alley,
    Exhibitor,
    ExhibitorKind,
    FloorPlan,
    Stand,
    Webinar,
    WebinarRoom,
)

__all__ = ["Exhibition", "Walk"]

_T = TypeVar("_T")
_Node = tuple[str, str]  # ("junction" | "stand", id)


@final
@attrs.frozen(kw_only=True)
class Walk:
    """A shortest walk between two places.

    Attributes:
        metres: Its length.
        alleys: The alleys walked along, in order (consecutive repeats merged).
    """

    metres: float
    alleys: tuple[str, ...]


def _exhibitors(value: Iterable[Exhibitor]) -> tuple[Exhibitor, ...]:
    return items(value, Exhibitor, "Exhibition.exhibitors")


def _stands(value: Iterable[Stand]) -> tuple[Stand, ...]:
    return items(value, Stand, "Exhibition.stands")


def _rooms(value: Iterable[WebinarRoom]) -> tuple[WebinarRoom, ...]:
    return items(value, WebinarRoom, "Exhibition.rooms")


def _webinars(value: Iterable[Webinar]) -> tuple[Webinar, ...]:
    return items(value, Webinar, "Exhibition.webinars")


def _zone(value: object) -> str:
    zone = resolve_zone(value, field="Exhibition.zone")  # type: ignore[arg-type] # refuses bad types
    if not isinstance(getattr(zone, "key", None), str):  # a fixed offset has no IANA name
        raise InvalidValueError(
            field="Exhibition.zone",
            value=value,
            reason="must be an IANA zone such as 'Europe/Moscow', not a fixed offset",
        )
    return zone_name(value)  # type: ignore[arg-type]


class _Walks:
    """The walking graph and a cache of shortest paths from each source (thread-safe)."""

    def __init__(self, plan: FloorPlan, stands: Sequence[Stand]) -> None:
        self.graph: defaultdict[_Node, list[tuple[_Node, float, str]]] = defaultdict(list)
        on_alley: defaultdict[str, list[Stand]] = defaultdict(list)
        for stand in stands:
            on_alley[stand.alley].append(stand)
        for alley in plan.alleys:
            points: list[tuple[float, _Node]] = [(0.0, ("junction", alley.start))]
            points += sorted((s.offset, ("stand", s.id)) for s in on_alley.get(alley.id, ()))
            points.append((alley.length, ("junction", alley.end)))
            for (low, a), (high, b) in itertools.pairwise(points):
                self.graph[a].append((b, high - low, alley.id))
                self.graph[b].append((a, high - low, alley.id))
        self._cache: dict[_Node, tuple[dict[_Node, float], dict[_Node, tuple[_Node, str]]]] = {}
        self._lock = threading.Lock()

    def tree(self, source: _Node) -> tuple[dict[_Node, float], dict[_Node, tuple[_Node, str]]]:
        with self._lock:
            found = self._cache.get(source)
        if found is not None:
            return found
        distance: dict[_Node, float] = {source: 0.0}
        previous: dict[_Node, tuple[_Node, str]] = {}
        heap: list[tuple[float, _Node]] = [(0.0, source)]
        while heap:
            metres, node = heapq.heappop(heap)
            if metres > distance[node]:
                continue
            for neighbour, length, alley in self.graph.get(node, ()):
                candidate = metres + length
                if candidate < distance.get(neighbour, float("inf")):
                    distance[neighbour] = candidate
                    previous[neighbour] = (node, alley)
                    heapq.heappush(heap, (candidate, neighbour))
        with self._lock:
            self._cache[source] = (distance, previous)
        return distance, previous


@final
@attrs.frozen(kw_only=True)
class Exhibition:
    """The virtual exhibition: floor plan, exhibitors, stands, webinar rooms and webinars.

    Attributes:
        name: Display name.
        zone: The organiser's time zone.
        floor_plan: The map.
        exhibitors: Exhibitors.
        stands: Stands.
        rooms: Webinar rooms.
        webinars: Webinars.

    Raises:
        ModelError: With every problem found: duplicate ids, unknown alleys, junctions,
            exhibitors, stands or rooms, two stands in one place, stands beyond the end
            of their alley or unreachable from the entrance, webinars overlapping in a room.
    """

    name: str = attrs.field(validator=non_empty)
    floor_plan: FloorPlan = attrs.field(validator=instance_of(FloorPlan))
    exhibitors: tuple[Exhibitor, ...] = attrs.field(converter=_exhibitors)
    stands: tuple[Stand, ...] = attrs.field(converter=_stands)
    rooms: tuple[WebinarRoom, ...] = attrs.field(factory=tuple, converter=_rooms)
    webinars: tuple[Webinar, ...] = attrs.field(factory=tuple, converter=_webinars)
    zone: str = attrs.field(default="Europe/Moscow", converter=_zone)
    _by_id: dict[str, dict[str, Any]] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _walks: _Walks = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        plan = self.floor_plan
        by_id = {
            "junction": _unique(plan.junctions, "floor_plan.junctions", problems),
            "alley": _unique(plan.alleys, "floor_plan.alleys", problems),
            "exhibitor": _unique(self.exhibitors, "exhibitors", problems),
            "stand": _unique(self.stands, "stands", problems),
            "room": _unique(self.rooms, "rooms", problems),
            "webinar": _unique(self.webinars, "webinars", problems),
        }
        problems += _plan_problems(plan, by_id["junction"])
        clash = sorted(set(by_id["stand"]) & set(by_id["junction"]))
        if clash:
            problems.append(f"stands and junctions share ids {clash}")
        problems += _stand_problems(self.stands, by_id["exhibitor"], by_id["alley"])
        problems += [
            f"rooms[{position}] ({room.id!r}).stand: unknown stand {room.stand!r}"
            for position, room in enumerate(self.rooms)
            if room.stand not in by_id["stand"]
        ]
        problems += [
            f"webinars[{position}] ({webinar.id!r}).room: unknown room {webinar.room!r}"
            for position, webinar in enumerate(self.webinars)
            if webinar.room not in by_id["room"]
        ]
        problems += _room_overlaps(self.webinars)
        walks = _Walks(plan, [s for s in self.stands if s.alley in by_id["alley"]])
        if not problems:
            reach, _ = walks.tree(("junction", plan.entrance))
            problems += [
                f"stands[{position}] ({stand.id!r}): unreachable from the entrance"
                for position, stand in enumerate(self.stands)
                if ("stand", stand.id) not in reach
            ]
        if problems:
            raise ModelError(problems=problems)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_walks", walks)

    def _get(self, kind: str, key: str) -> Any:
        try:
            return self._by_id[kind][key]
        except KeyError:
            raise UnknownIdError(kind=kind, id=key) from None

    def stand(self, stand_id: str) -> Stand:
        """The stand with this id (``UnknownIdError`` otherwise)."""
        return self._get("stand", stand_id)  # type: ignore[no-any-return] # by kind

    def exhibitor(self, exhibitor_id: str) -> Exhibitor:
        """The exhibitor with this id."""
        return self._get("exhibitor", exhibitor_id)  # type: ignore[no-any-return]

    def room(self, room_id: str) -> WebinarRoom:
        """The webinar room with this id."""
        return self._get("room", room_id)  # type: ignore[no-any-return]

    def webinar(self, webinar_id: str) -> Webinar:
        """The webinar with this id."""
        return self._get("webinar", webinar_id)  # type: ignore[no-any-return]

    def alley(self, alley_id: str) -> Alley:
        """The alley with this id."""
        return self._get("alley", alley_id)  # type: ignore[no-any-return]

    def stands_of(self, kind: ExhibitorKind | str) -> tuple[Stand, ...]:
        """Stands of exhibitors of one kind."""
        wanted = ExhibitorKind(kind)
        return tuple(s for s in self.stands if self.exhibitor(s.exhibitor).kind is wanted)

    def _node(self, place: str) -> _Node:
        if place in self._by_id["stand"]:
            return ("stand", place)
        if place in self._by_id["junction"]:
            return ("junction", place)
        raise UnknownIdError(kind="place", id=place)

    def walk(self, start: str, end: str) -> Walk:
        """The shortest walk between two places (stand or junction ids)."""
        source, target = self._node(start), self._node(end)
        distance, previous = self._walks.tree(source)
        alleys: list[str] = []
        node = target
        while node != source:
            node, alley = previous[node]
            if not alleys or alleys[-1] != alley:
                alleys.append(alley)
        return Walk(metres=distance[target], alleys=tuple(reversed(alleys)))

    def metres(self, start: str, end: str) -> float:
        """The walking distance between two places, in metres."""
        distance, _ = self._walks.tree(self._node(start))
        return distance[self._node(end)]


def _unique(items: Sequence[Any], field: str, problems: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for position, item in enumerate(items):
        if item.id in found:
            problems.append(f"{field}[{position}].id: duplicate id {item.id!r}")
        else:
            found[item.id] = item
    return found


def _plan_problems(plan: FloorPlan, junctions: dict[str, Any]) -> list[str]:
    problems = []
    if plan.entrance not in junctions:
        problems.append(f"floor_plan.entrance: unknown junction {plan.entrance!r}")
    for position, alley in enumerate(plan.alleys):
        where = f"floor_plan.alleys[{position}] ({alley.id!r})"
        problems += [
            f"{where}: unknown junction {end!r}"
            for end in (alley.start, alley.end)
            if end not in junctions
        ]
        if alley.start == alley.end:
            problems.append(f"{where}: starts where it ends")
    return problems


def _stand_problems(
    stands: Sequence[Stand], exhibitors: dict[str, Any], alleys: dict[str, Alley]
) -> list[str]:
    problems = []
    places: dict[tuple[str, float], str] = {}
    for position, stand in enumerate(stands):
        where = f"stands[{position}] ({stand.id!r})"
        if stand.exhibitor not in exhibitors:
            problems.append(f"{where}.exhibitor: unknown exhibitor {stand.exhibitor!r}")
        alley = alleys.get(stand.alley)
        if alley is None:
            problems.append(f"{where}.alley: unknown alley {stand.alley!r}")
            continue
        if stand.offset > alley.length:
            problems.append(
                f"{where}.offset: {stand.offset} m is beyond the end of alley "
                f"{alley.id!r} ({alley.length} m)"
            )
        spot = (stand.alley, round(float(stand.offset), 6))
        if spot in places:
            problems.append(
                f"{where}: stands {places[spot]!r} and {stand.id!r} are in one place "
                f"({stand.offset} m along {stand.alley!r})"
            )
        places.setdefault(spot, stand.id)
    return problems


def _room_overlaps(webinars: Sequence[Webinar]) -> list[str]:
    """Webinars that overlap in one room, by a sweep over each room's sorted webinars."""
    by_room: defaultdict[str, list[Webinar]] = defaultdict(list)
    for webinar in webinars:
        by_room[webinar.room].append(webinar)
    problems = []
    for room, held in sorted(by_room.items()):
        held.sort(key=lambda w: (w.starts_at, w.ends_at, w.id))
        latest: Webinar | None = None
        for webinar in held:
            if latest is not None and webinar.starts_at < latest.ends_at:
                problems.append(
                    f"webinars {latest.id!r} and {webinar.id!r} overlap in room {room!r}"
                )
            if latest is None or webinar.ends_at > latest.ends_at:
                latest = webinar
    return problems
