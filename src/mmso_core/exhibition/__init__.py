"""The virtual exhibition: stands on a map of alleys, visitors' routes, route suggestion.

>>> import datetime as dt
>>> from mmso_core import Interval
>>> from mmso_core.exhibition import Visitor, suggest_route
>>> from mmso_core.samples import exhibition_2020
>>> visitor = Visitor(
...     available=Interval(start="2020-04-27T11:00+03:00", end="2020-04-27T12:30+03:00"),
...     interests={"digital": 3, "программирование": 2},
... )
>>> route = suggest_route(exhibition_2020(), visitor, max_iterations=200)
>>> route.feasible, route.interest > 0
(True, True)
"""

from mmso_core.exhibition import optw
from mmso_core.exhibition._exhibition import Exhibition, Walk
from mmso_core.exhibition._model import (
    Alley,
    Contact,
    Exhibitor,
    ExhibitorKind,
    FloorPlan,
    Junction,
    Stand,
    Video,
    Webinar,
    WebinarRoom,
)
from mmso_core.exhibition._routes import (
    ROUTE_CODES,
    Itinerary,
    Stop,
    Visitor,
    plan_route,
    suggest_route,
)

__all__ = [
    "ROUTE_CODES",
    "Alley",
    "Contact",
    "Exhibition",
    "Exhibitor",
    "ExhibitorKind",
    "FloorPlan",
    "Itinerary",
    "Junction",
    "Stand",
    "Stop",
    "Video",
    "Visitor",
    "Walk",
    "Webinar",
    "WebinarRoom",
    "optw",
    "plan_route",
    "suggest_route",
]
