"""The values of the virtual exhibition: exhibitors, stands, webinar rooms, the floor plan.

"Interactive map of the education industry": exhibitors (businesses, regional
education systems, educational institutions) have stands along the alleys of a
map; a stand shows a video presentation, products and services, materials and the
contacts of its representatives, has a chat, and may host webinar rooms.
"""

import datetime as _dt
import enum
import itertools
from collections.abc import Iterable
from typing import final

import attrs

from mmso_core._checks import (
    field_name,
    items,
    non_empty,
    number,
    optional_text,
    positive_int,
    strings,
    timedelta,
)
from mmso_core._time import Instant, Interval, to_instant
from mmso_core.errors import InvalidValueError
from mmso_core.regions import region

__all__ = [
    "Alley",
    "Contact",
    "Exhibitor",
    "ExhibitorKind",
    "FloorPlan",
    "Junction",
    "Stand",
    "Video",
    "Webinar",
    "WebinarRoom",
]


class ExhibitorKind(enum.StrEnum):
    """Who exhibits: a business, a regional education system, an educational institution."""

    BUSINESS = "business"
    REGIONAL_SYSTEM = "regional-system"
    INSTITUTION = "institution"


def _strings(field: str, value: Iterable[str]) -> tuple[str, ...]:
    return strings(value, field)


def _exhibitor_kind(value: ExhibitorKind | str) -> ExhibitorKind:
    try:
        return ExhibitorKind(value)
    except ValueError:
        raise InvalidValueError(
            field="Exhibitor.kind",
            value=value,
            reason=f"must be one of {', '.join(k.value for k in ExhibitorKind)}",
        ) from None


def _exhibitor_region(value: object) -> str | None:
    return None if value is None else region(value, field="Exhibitor.region").iso  # type: ignore[arg-type] # region() refuses bad types


@final
@attrs.frozen(kw_only=True)
class Exhibitor:
    """A business, a regional education system or an educational institution.

    Attributes:
        id: Unique id.
        name: Display name.
        kind: ``ExhibitorKind``.
        region: ISO code of the region (required for a regional education system).
        website: Address of its site, if any.
    """

    id: str = attrs.field(validator=non_empty)
    name: str = attrs.field(validator=non_empty)
    kind: ExhibitorKind = attrs.field(converter=_exhibitor_kind)
    region: str | None = attrs.field(default=None, converter=_exhibitor_region)
    website: str | None = None

    @region.validator
    def _region_for_systems(self, _attribute: object, value: str | None) -> None:
        if self.kind is ExhibitorKind.REGIONAL_SYSTEM and value is None:
            raise InvalidValueError(
                field="Exhibitor.region", value=value, reason="a regional system needs its region"
            )


@final
@attrs.frozen(kw_only=True)
class Contact:
    """A representative to contact at a stand.

    Attributes:
        name: Full name.
        position: Their role at the exhibitor.
        email: E-mail address, if public.
    """

    name: str = attrs.field(validator=non_empty)
    position: str | None = None
    email: str | None = None


def _positive_duration(
    instance: object, attribute: "attrs.Attribute[_dt.timedelta]", value: object
) -> None:
    timedelta(value, field_name(instance, attribute), minimum=_dt.timedelta(0), strict=True)


@final
@attrs.frozen(kw_only=True)
class Video:
    """A stand's video presentation.

    Attributes:
        title: Title.
        duration: Length (what a stand visit takes by default).
        url: Where it streams, if known.
    """

    title: str = attrs.field(validator=non_empty)
    duration: _dt.timedelta = attrs.field(validator=_positive_duration)
    url: str | None = None


def _labels_clusters(value: Iterable[str]) -> frozenset[str]:
    return frozenset(_strings("Stand.clusters", value))


def _labels_tags(value: Iterable[str]) -> frozenset[str]:
    return frozenset(_strings("Stand.tags", value))


def _products(value: Iterable[str]) -> tuple[str, ...]:
    return _strings("Stand.products", value)


def _materials(value: Iterable[str]) -> tuple[str, ...]:
    return _strings("Stand.materials", value)


def _contacts(value: Iterable[Contact]) -> tuple[Contact, ...]:
    return items(value, Contact, "Stand.contacts")


def _opening(value: Iterable[Interval]) -> tuple[Interval, ...]:
    ordered = tuple(sorted(items(value, Interval, "Stand.opening_hours")))
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:
            raise InvalidValueError(
                field="Stand.opening_hours", value=(before, after), reason="must not overlap"
            )
    return ordered


def _offset(instance: object, attribute: object, value: float) -> None:
    number(value, "Stand.offset", minimum=0)


@final
@attrs.frozen(kw_only=True)
class Stand:
    """An exhibitor's stand at a place along an alley.

    Attributes:
        id: Unique id.
        name: Display name.
        exhibitor: Id of the exhibitor.
        alley: Id of the alley it stands on.
        offset: Metres from the alley's first junction.
        clusters: Programme clusters it belongs to.
        tags: Free tags (topics, audiences).
        video: Its video presentation, if any.
        products: Products and services shown.
        materials: Materials a visitor can take away (titles or addresses).
        contacts: Representatives to contact.
        chat: Id of the stand's chat.
        opening_hours: When it is staffed and open (empty: always).
    """

    id: str = attrs.field(validator=non_empty)
    name: str = attrs.field(validator=non_empty)
    exhibitor: str = attrs.field(validator=non_empty)
    alley: str = attrs.field(validator=non_empty)
    offset: float = attrs.field(validator=_offset)
    clusters: frozenset[str] = attrs.field(factory=frozenset, converter=_labels_clusters)
    tags: frozenset[str] = attrs.field(factory=frozenset, converter=_labels_tags)
    video: Video | None = None
    products: tuple[str, ...] = attrs.field(factory=tuple, converter=_products)
    materials: tuple[str, ...] = attrs.field(factory=tuple, converter=_materials)
    contacts: tuple[Contact, ...] = attrs.field(factory=tuple, converter=_contacts)
    chat: str | None = attrs.field(default=None, validator=optional_text)
    opening_hours: tuple[Interval, ...] = attrs.field(factory=tuple, converter=_opening)

    def open_at(self, instant: _dt.datetime | str) -> bool:
        """Whether the stand is open at an instant."""
        if not self.opening_hours:
            return True
        return any(span.contains(instant) for span in self.opening_hours)


@final
@attrs.frozen(kw_only=True)
class WebinarRoom:
    """A webinar room at a stand, where representatives meet visitors live.

    Attributes:
        id: Unique id.
        name: Display name.
        stand: Id of the stand it belongs to (where a visitor walks to join).
        capacity: How many visitors it holds.
    """

    id: str = attrs.field(validator=non_empty)
    name: str = attrs.field(validator=non_empty)
    stand: str = attrs.field(validator=non_empty)
    capacity: int = attrs.field(validator=positive_int)


def _webinar_start(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="Webinar.starts_at")


def _webinar_end(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="Webinar.ends_at")


def _registered(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidValueError(
            field="Webinar.registered", value=value, reason="must be an integer >= 0"
        )


@final
@attrs.frozen(kw_only=True)
class Webinar:
    """A webinar at fixed times in a room.

    Attributes:
        id: Unique id.
        title: Title.
        room: Id of the room.
        starts_at: Start.
        ends_at: End (after the start).
        host: Who hosts it.
        registered: Visitors registered so far (the room is full at its capacity).
        clusters: Programme clusters it belongs to.
    """

    id: str = attrs.field(validator=non_empty)
    title: str = attrs.field(validator=non_empty)
    room: str = attrs.field(validator=non_empty)
    starts_at: Instant = attrs.field(converter=_webinar_start)
    ends_at: Instant = attrs.field(converter=_webinar_end)
    host: str | None = None
    registered: int = attrs.field(default=0, validator=_registered)
    clusters: frozenset[str] = attrs.field(factory=frozenset, converter=_labels_clusters)

    @ends_at.validator
    def _after_start(self, _attribute: object, value: Instant) -> None:
        if value <= self.starts_at:
            raise InvalidValueError(
                field="Webinar.ends_at",
                value=value.isoformat(),
                reason=f"must be after starts_at {self.starts_at.isoformat()}",
            )

    @property
    def interval(self) -> Interval:
        """``[starts_at, ends_at)``."""
        return Interval(start=self.starts_at, end=self.ends_at)


def _coordinate(instance: object, attribute: "attrs.Attribute[float]", value: float) -> None:
    number(value, field_name(instance, attribute))


@final
@attrs.frozen(kw_only=True)
class Junction:
    """A point where alleys meet (coordinates in metres, for drawing the map).

    Attributes:
        id: Unique id.
        x: East coordinate.
        y: North coordinate.
    """

    id: str = attrs.field(validator=non_empty)
    x: float = attrs.field(default=0.0, validator=_coordinate)
    y: float = attrs.field(default=0.0, validator=_coordinate)


def _length(instance: object, attribute: object, value: float) -> None:
    number(value, "Alley.length", minimum=0, strict=True)


@final
@attrs.frozen(kw_only=True)
class Alley:
    """An alley between two junctions, walkable both ways.

    Attributes:
        id: Unique id.
        name: Display name.
        start: Id of its first junction (stand offsets count from here).
        end: Id of its other junction.
        length: Length in metres.
        cluster: The programme cluster its stands are grouped by, if any.
    """

    id: str = attrs.field(validator=non_empty)
    name: str = attrs.field(validator=non_empty)
    start: str = attrs.field(validator=non_empty)
    end: str = attrs.field(validator=non_empty)
    length: float = attrs.field(validator=_length)
    cluster: str | None = None


def _junctions(value: Iterable[Junction]) -> tuple[Junction, ...]:
    return items(value, Junction, "FloorPlan.junctions")


def _alleys(value: Iterable[Alley]) -> tuple[Alley, ...]:
    return items(value, Alley, "FloorPlan.alleys")


@final
@attrs.frozen(kw_only=True)
class FloorPlan:
    """The map: junctions joined by alleys, and the entrance.

    Attributes:
        junctions: The junctions.
        alleys: The alleys.
        entrance: Id of the junction where visitors come in.
    """

    junctions: tuple[Junction, ...] = attrs.field(converter=_junctions)
    alleys: tuple[Alley, ...] = attrs.field(converter=_alleys)
    entrance: str = attrs.field(validator=non_empty)
