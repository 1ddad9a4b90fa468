"""Orienteering Problem with Time Windows (OPTW): one route that collects the most score.

A route leaves the depot (node 0) at the depot's opening time, visits some customers,
each at most once, and comes back by the depot's closing time (the *budget*). A visit
may start only inside its node's window ``[opens, closes]`` (the window bounds the
*start* of the visit); arriving early means waiting. Each visit takes its node's
duration and earns its score.

>>> from mmso_core.exhibition.optw import Instance, evaluate, solve
>>> instance = Instance.from_matrix(
...     [[0, 2, 3, 4], [2, 0, 2, 5], [3, 2, 0, 2], [4, 5, 2, 0]],
...     scores=[0, 5, 7, 4],
...     durations=[0, 1, 1, 1],
...     windows=[(0, 14), (0, 3), (4, 9), (0, 20)],
... )
>>> instance.budget, instance.travel(1, 2)
(14.0, 2.0)
>>> solution = solve(instance, time_limit=1.0, seed=0)
>>> solution.visits, solution.score, solution.starts, solution.returns_at
((1, 2, 3), 16.0, (2.0, 5.0, 8.0), 13.0)
>>> evaluate(instance, [3, 2, 1]).reason
'node 1: the visit would start at 10, after 3'

`read_instance` reads the standard benchmark files (Righini-Salani, Montemanni-Gambardella).
`solve` is an iterated local search after Vansteenwegen et al. (2009), "Iterated local
search for the team orienteering problem with time windows": insertions are checked in
constant time each from the route's *slack* (the "Wait"/"MaxShift" bookkeeping) instead of
re-simulating the route.
"""

import math
import random
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import final

import attrs

from mmso_core.errors import InvalidValueError

__all__ = [
    "EPSILON",
    "Evaluation",
    "Instance",
    "Node",
    "Solution",
    "evaluate",
    "read_instance",
    "solve",
]

#: Feasibility tolerance of `evaluate` (times are floats; sums of truncated distances
#: carry rounding noise of about 1e-12).
EPSILON = 1e-6
_TOLERANCE = 1e-7  # the search's own, tighter, so `evaluate` always agrees with it
_TINY = 1e-9  # the least shift a ratio divides by (shifts can be 0 or negative)


def _finite(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValueError(field=field, value=value, reason="must be a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidValueError(field=field, value=value, reason="must be finite")
    return number


def _non_negative(field: str, value: object) -> float:
    number = _finite(field, value)
    if number < 0:
        raise InvalidValueError(field=field, value=value, reason="must not be negative")
    return number


def _coordinate(value: object) -> float | None:
    return None if value is None else _finite("Node.x/y", value)


def _opens(value: object) -> float:
    return _finite("Node.opens", value)


def _closes(value: object) -> float:
    return _finite("Node.closes", value)


def _score(value: object) -> float:
    return _non_negative("Node.score", value)


def _duration(value: object) -> float:
    return _non_negative("Node.duration", value)


def _node_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(field="Node.id", value=value, reason="must be an int >= 0")
    return value


@final
@attrs.frozen(kw_only=True)
class Node:
    """A place of the instance: the depot (id 0) or a customer.

    Attributes:
        id: The node's number: its row in the travel-time matrix; 0 is the depot.
        opens: Earliest start of the visit (for the depot: when the route starts).
        closes: Latest start of the visit (for the depot: the budget, when the route
            must be back).
        score: What visiting it earns (0 for the depot).
        duration: How long a visit takes (0 for the depot).
        x: Abscissa, when the node has coordinates.
        y: Ordinate, when the node has coordinates.
    """

    id: int = attrs.field(converter=_node_id)
    opens: float = attrs.field(converter=_opens)
    closes: float = attrs.field(converter=_closes)
    score: float = attrs.field(default=0.0, converter=_score)
    duration: float = attrs.field(default=0.0, converter=_duration)
    x: float | None = attrs.field(default=None, converter=_coordinate)
    y: float | None = attrs.field(default=None, converter=_coordinate)

    def __attrs_post_init__(self) -> None:
        if self.closes < self.opens:
            raise InvalidValueError(
                field=f"Node({self.id}).closes",
                value=self.closes,
                reason=f"the window closes before it opens at {self.opens}",
            )
        if self.id == 0 and (self.score or self.duration):
            raise InvalidValueError(
                field="Node(0)",
                value=(self.score, self.duration),
                reason="the depot must have score 0 and duration 0",
            )


def _nodes(value: Iterable[Node]) -> tuple[Node, ...]:
    nodes = tuple(value)
    if not nodes:
        raise InvalidValueError(field="Instance.nodes", value=nodes, reason="needs the depot")
    for index, node in enumerate(nodes):
        if not isinstance(node, Node) or node.id != index:
            raise InvalidValueError(
                field=f"Instance.nodes[{index}]",
                value=node,
                reason=f"must be a Node with id {index} (nodes are numbered in order)",
            )
    return nodes


def _times(value: Iterable[Iterable[float]]) -> tuple[tuple[float, ...], ...]:
    rows = tuple(tuple(row) for row in value)
    for i, row in enumerate(rows):
        if len(row) != len(rows):
            raise InvalidValueError(
                field=f"Instance.times[{i}]",
                value=len(row),
                reason=f"the matrix must be square: row has {len(row)} entries, not {len(rows)}",
            )
        for j, entry in enumerate(row):
            _non_negative(f"Instance.times[{i}][{j}]", entry)
    return tuple(tuple(float(entry) for entry in row) for row in rows)


def _truncate(distance: float, decimals: int | None) -> float:
    if decimals is None:
        return distance
    scale = 10.0**decimals
    scaled = distance * scale
    nearest = round(scaled)
    if abs(scaled - nearest) <= 1e-9 * max(1.0, scaled):  # 2.3 computed as 2.2999999999
        return nearest / scale
    return math.floor(scaled) / scale


@final
@attrs.frozen(kw_only=True)
class Instance:
    """An OPTW instance: nodes (node 0 is the depot) and travel times between them.

    Build one from a travel-time matrix (`from_matrix`), from nodes with coordinates
    (`from_nodes`), or from a benchmark file (`read_instance`).

    Attributes:
        nodes: The depot and the customers, ``nodes[i].id == i``.
        times: ``times[i][j]`` is the travel time from node i to node j.
        name: A label (the benchmark's name for instances read from files).
    """

    nodes: tuple[Node, ...] = attrs.field(converter=_nodes)
    times: tuple[tuple[float, ...], ...] = attrs.field(converter=_times, repr=False)
    name: str = "optw"

    def __attrs_post_init__(self) -> None:
        if len(self.times) != len(self.nodes):
            raise InvalidValueError(
                field="Instance.times",
                value=len(self.times),
                reason=f"needs one row per node ({len(self.nodes)})",
            )

    @property
    def depot(self) -> Node:
        """Node 0: where the route starts and ends."""
        return self.nodes[0]

    @property
    def customers(self) -> tuple[Node, ...]:
        """The nodes that can be visited (all but the depot)."""
        return self.nodes[1:]

    @property
    def budget(self) -> float:
        """When the route must be back at the depot: the depot's closing time."""
        return self.nodes[0].closes

    def travel(self, i: int, j: int) -> float:
        """The travel time from node ``i`` to node ``j``."""
        return self.times[i][j]

    @classmethod
    def from_matrix(
        cls,
        times: Sequence[Sequence[float]],
        *,
        scores: Sequence[float],
        durations: Sequence[float] | None = None,
        windows: Sequence[tuple[float, float]] | None = None,
        budget: float | None = None,
        name: str = "optw",
    ) -> "Instance":
        """An instance from a travel-time matrix (e.g. walking times on a floor plan).

        Every sequence has one entry per node, indexed like the matrix; entry 0 is the
        depot, whose score and duration must be 0 and whose window is (start of the
        route, budget).

        Args:
            times: Square matrix of travel times, ``times[i][j]`` from i to j.
            scores: What each visit earns.
            durations: How long each visit takes (default: 0 for every node).
            windows: ``(opens, closes)`` per node, bounding the start of each visit
                (default: ``(0, budget)`` for every node).
            budget: The depot's closing time; required without ``windows``, and when
                given with them it must equal ``windows[0][1]``.
            name: A label.

        Returns:
            The instance.

        Raises:
            InvalidValueError: On sequences of the wrong length or bad values.
        """
        size = len(times)
        if not size:
            raise InvalidValueError(field="times", value=times, reason="needs the depot (row 0)")
        if windows is None:
            if budget is None:
                raise InvalidValueError(
                    field="budget", value=None, reason="is required when windows are not given"
                )
            windows = [(0.0, budget)] * size
        if durations is None:
            durations = [0.0] * size
        for label, sequence in (("scores", scores), ("durations", durations), ("windows", windows)):
            if len(sequence) != size:
                raise InvalidValueError(
                    field=label,
                    value=len(sequence),
                    reason=f"needs one entry per node ({size}, like the matrix)",
                )
        if budget is not None and windows[0][1] != budget:
            raise InvalidValueError(
                field="budget", value=budget, reason="differs from the depot's closing time"
            )
        nodes = [
            Node(id=i, opens=w[0], closes=w[1], score=scores[i], duration=durations[i])
            for i, w in enumerate(windows)
        ]
        return cls(nodes=nodes, times=times, name=name)

    @classmethod
    def from_nodes(
        cls, nodes: Iterable[Node], *, decimals: int | None = None, name: str = "optw"
    ) -> "Instance":
        """An instance whose travel times are the Euclidean distances between nodes.

        Args:
            nodes: The depot and the customers, in id order, all with coordinates.
            decimals: Truncate distances to this many decimals (the benchmark
                convention: 1 for Solomon-based sets, 2 for Cordeau's); ``None`` keeps
                them exact.
            name: A label.

        Returns:
            The instance.

        Raises:
            InvalidValueError: When a node has no coordinates.
        """
        nodes = _nodes(nodes)
        points: list[tuple[float, float]] = []
        for node in nodes:
            if node.x is None or node.y is None:
                raise InvalidValueError(
                    field=f"nodes[{node.id}]", value=node, reason="has no coordinates"
                )
            points.append((node.x, node.y))
        times = [
            [_truncate(math.hypot(xi - xj, yi - yj), decimals) for xj, yj in points]
            for xi, yi in points
        ]
        return cls(nodes=nodes, times=times, name=name)


_PR = re.compile(r"^pr\d+", re.IGNORECASE)


def _bad_line(where: str, number: int, line: str, problem: str) -> InvalidValueError:
    return InvalidValueError(field=f"{where} line {number}", value=line.strip(), reason=problem)


def _numbers(where: str, number: int, line: str) -> list[float]:
    try:
        return [float(token) for token in line.split()]
    except ValueError:
        raise _bad_line(where, number, line, "expected numbers only") from None


def read_instance(
    path_or_text: str | Path, *, decimals: int | None = None, name: str | None = None
) -> Instance:
    """Read an instance in the standard OPTW/TOPTW benchmark format.

    The format (KU Leuven's ``TOPTW_format.txt``): line 1 ``k v N t``, line 2 ``D Q``,
    then ``N + 1`` lines ``i x y d S f a list... O C`` (the depot first). LF and CRLF
    line endings are accepted.

    Args:
        path_or_text: A path (``str`` or `Path`), or the file's text (a ``str`` with a
            line break).
        decimals: How many decimals distances are truncated to. By default 2 for
            Cordeau-based instances (named ``pr...``, or with coordinates of three
            decimals) and 1 otherwise (Solomon-based sets), as the format note says.
        name: The instance's name (default: the file's stem, or ``"optw"``).

    Returns:
        The instance.

    Raises:
        InvalidValueError: Naming the line and the problem when the text is malformed.
    """
    if isinstance(path_or_text, Path) or "\n" not in path_or_text:
        path = Path(path_or_text)
        text = path.read_text(encoding="utf-8")
        where = path.name
        label = path.stem if name is None else name
    else:
        text = path_or_text
        where = "text"
        label = "optw" if name is None else name
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) < 3:
        raise InvalidValueError(
            field=where, value=len(lines), reason="expected a header of two lines and nodes"
        )
    header = _numbers(where, 1, lines[0])
    if len(header) != 4 or not header[2].is_integer() or header[2] < 0:
        raise _bad_line(where, 1, lines[0], "expected 'k v N t' with N a whole number")
    count = int(header[2]) + 1
    if len(_numbers(where, 2, lines[1])) != 2:
        raise _bad_line(where, 2, lines[1], "expected 'D Q'")
    if len(lines) != count + 2:
        raise InvalidValueError(
            field=where,
            value=len(lines) - 2,
            reason=f"line 1 announces {count - 1} customers, so {count} node lines are expected",
        )
    nodes: list[Node] = []
    three_decimals = False
    for index, line in enumerate(lines[2:]):
        number = index + 3
        values = _numbers(where, number, line)
        if len(values) < 9 or not values[6].is_integer() or len(values) != 9 + int(values[6]):
            raise _bad_line(where, number, line, "expected 'i x y d S f a <a values> O C'")
        if values[0] != index:
            raise _bad_line(where, number, line, f"expected node number {index}")
        tokens = line.split()
        three_decimals = three_decimals or any(len(t.partition(".")[2]) >= 3 for t in tokens[1:3])
        try:
            nodes.append(
                Node(
                    id=index,
                    x=values[1],
                    y=values[2],
                    duration=values[3],
                    score=values[4],
                    opens=values[-2],
                    closes=values[-1],
                )
            )
        except InvalidValueError as error:
            raise _bad_line(where, number, line, f"{error.field}: {error.reason}") from None
    if decimals is None:
        decimals = 2 if _PR.match(label) or three_decimals else 1
    return Instance.from_nodes(nodes, decimals=decimals, name=label)


@final
@attrs.frozen(kw_only=True)
class Evaluation:
    """The timing of a route, as `evaluate` simulates it.

    Attributes:
        feasible: Every visit starts within its window and the route is back by the
            budget.
        score: Total score of the visits (0 when the route names unknown or repeated
            nodes).
        starts: The start of each visit, in route order (empty when the route names
            unknown or repeated nodes).
        returns_at: When the route is back at the depot (``nan`` when not simulated).
        reason: Why the route is infeasible (the first problem), ``None`` if feasible.
    """

    feasible: bool
    score: float
    starts: tuple[float, ...]
    returns_at: float
    reason: str | None


def evaluate(instance: Instance, visits: Iterable[int]) -> Evaluation:
    """Simulate the route depot -> ``visits`` -> depot.

    The route leaves the depot when it opens; at each node it waits for the window to
    open, starts (which must be no later than the window closes, with a tolerance of
    `EPSILON`), stays for the node's duration and travels on.

    Args:
        instance: The instance.
        visits: Node ids in visiting order, without the depot.

    Returns:
        The evaluation; a route naming the depot, an unknown node or a node twice is
        infeasible with that reason.

    Raises:
        InvalidValueError: When a visit is not an int.
    """
    route = tuple(visits)
    for visit in route:
        if isinstance(visit, bool) or not isinstance(visit, int):
            raise InvalidValueError(field="visits", value=visit, reason="node ids must be ints")
    size = len(instance.nodes)
    seen: set[int] = set()
    for visit in route:
        problem = (
            "the depot (node 0) is not a visit"
            if visit == 0
            else f"unknown node {visit}"
            if not 0 < visit < size
            else f"node {visit} is visited twice"
            if visit in seen
            else None
        )
        if problem is not None:
            return Evaluation(
                feasible=False, score=0.0, starts=(), returns_at=math.nan, reason=problem
            )
        seen.add(visit)
    nodes, times = instance.nodes, instance.times
    depot = nodes[0]
    clock = depot.opens
    previous = 0
    starts: list[float] = []
    reason: str | None = None
    for visit in route:
        node = nodes[visit]
        start = max(clock + times[previous][visit], node.opens)
        if reason is None and start > node.closes + EPSILON:
            reason = f"node {visit}: the visit would start at {start:g}, after {node.closes:g}"
        starts.append(start)
        clock = start + node.duration
        previous = visit
    back = clock + times[previous][0]
    if reason is None and back > depot.closes + EPSILON:
        reason = f"back at the depot at {back:g}, after the budget {depot.closes:g}"
    return Evaluation(
        feasible=reason is None,
        score=float(sum(nodes[v].score for v in route)),
        starts=tuple(starts),
        returns_at=back,
        reason=reason,
    )


@final
@attrs.frozen(kw_only=True)
class Solution:
    """A route found by `solve`.

    Attributes:
        visits: Node ids in visiting order, without the depot.
        starts: The start of each visit.
        score: Total score of the visits.
        returns_at: When the route is back at the depot.
        iterations: How many iterations the search ran.
        elapsed: Seconds the search took.
    """

    visits: tuple[int, ...]
    starts: tuple[float, ...]
    score: float
    returns_at: float
    iterations: int
    elapsed: float


# The search goes back to its best route after 2 iterations per visit without a new best
# (at least 5, at most 50): short routes cycle sooner.
_RESTORE_PER_VISIT, _RESTORE_MIN, _RESTORE_MAX = 2, 5, 50
_NOISE = 0.3  # after going back, scores are scaled by random factors in [0.7, 1.3] once
_RANDOM_START = 0.2  # how often a shake starts at a random position
_EXHAUSTIVE_MUST_VISIT = 8  # must-visit sets up to this size are ordered exhaustively

# A slot is a place to insert a node: after node ``i`` (which the route leaves at
# ``departure``), before node ``j`` (reached at ``arrival_j``); the insertion must not
# delay the arrival at ``j`` by more than ``limit``. ``p`` is the position of ``i``.
_Slot = tuple[int, float, int, int, float, float]


class _Search:
    """The route under search, with its timing, as plain lists of floats.

    The route is a list of node ids that starts and ends with the depot. For each of its
    positions: the arrival, the departure (after waiting and the visit) and the *slack*:
    how much later the route could arrive there and still keep every later window and
    the budget (Vansteenwegen et al.'s Wait + MaxShift).
    """

    def __init__(self, instance: Instance, locked: frozenset[int]) -> None:
        nodes = instance.nodes
        self.locked = locked
        self.opens = [node.opens for node in nodes]
        self.closes = [node.closes for node in nodes]
        self.durations = [node.duration for node in nodes]
        self.scores = [node.score for node in nodes]
        self.rows = [list(row) for row in instance.times]
        self.columns = [list(column) for column in zip(*instance.times, strict=True)]
        self.route: list[int] = [0, 0]
        self.score = 0.0
        self.arrivals: list[float] = []
        self.departures: list[float] = []
        self.slacks: list[float] = []
        self.retime()
        self.reachable = [k for k in range(1, len(nodes)) if self.fits_alone(k)]
        self.candidates = [k for k in self.reachable if self.scores[k] > 0 and k not in locked]

    def fits_alone(self, k: int) -> bool:
        """Whether the route depot -> k -> depot is feasible."""
        start = max(self.opens[0] + self.rows[0][k], self.opens[k])
        back = start + self.durations[k] + self.rows[k][0]
        return start <= self.closes[k] + _TOLERANCE and back <= self.closes[0] + _TOLERANCE

    def retime(self) -> None:
        """Recompute arrivals, departures and slacks of the route."""
        route, rows, opens, closes, durations = (
            self.route,
            self.rows,
            self.opens,
            self.closes,
            self.durations,
        )
        size = len(route)
        arrivals = [0.0] * size
        departures = [0.0] * size
        clock = opens[0]
        arrivals[0] = departures[0] = clock
        previous = 0
        for p in range(1, size):
            j = route[p]
            arrival = clock + rows[previous][j]
            arrivals[p] = arrival
            opening = opens[j]
            clock = (arrival if arrival > opening else opening) + durations[j]
            departures[p] = clock
            previous = j
        slacks = [0.0] * size
        slack = closes[0] - arrivals[-1]
        slacks[-1] = slack
        for p in range(size - 2, 0, -1):
            j = route[p]
            arrival = arrivals[p]
            opening = opens[j]
            wait = opening - arrival if opening > arrival else 0.0
            room = closes[j] - arrival - wait
            slack = wait + (room if room < slack else slack)
            slacks[p] = slack
        self.arrivals, self.departures, self.slacks = arrivals, departures, slacks

    def insert(self, k: int, position: int) -> None:
        """Visit ``k`` right after the route's ``position``."""
        self.route.insert(position + 1, k)
        self.score += self.scores[k]
        self.retime()

    def insert_greedily(self, pool: list[int], noise: list[float] | None = None) -> None:
        """Insert nodes of ``pool`` by best score**2 / shift until none fits.

        ``noise`` (a factor per node), when given, scales the scores of the ratio.

        The shift of an insertion is how much later it makes the route arrive at the
        next node; it is feasible when the shift is within that node's slack. Only the
        positions whose timing allows the node's window are tried (two bisections:
        departures and latest arrivals both grow along the route).
        """
        opens, closes, durations, scores = self.opens, self.closes, self.durations, self.scores
        rows, columns = self.rows, self.columns
        tolerance = _TOLERANCE
        while pool:
            route, departures, arrivals, slacks = (
                self.route,
                self.departures,
                self.arrivals,
                self.slacks,
            )
            count = len(route) - 1
            latest_arrivals = [a + s for a, s in zip(arrivals[1:], slacks[1:], strict=True)]
            segments = list(
                zip(
                    range(count),
                    route,
                    departures,
                    route[1:],
                    arrivals[1:],
                    slacks[1:],
                    strict=False,
                )
            )
            best_ratio = -1.0
            best_node = best_position = -1
            for k in pool:
                latest = closes[k] + tolerance
                opening = opens[k]
                duration = durations[k]
                first = bisect_left(latest_arrivals, opening + duration - tolerance)
                into = columns[k]
                out = rows[k]
                shift_k = math.inf
                position = -1
                for p, i, departure, j, arrival_j, slack_j in segments[
                    first : bisect_right(departures, latest, first, count)
                ]:
                    arrival = departure + into[i]
                    if arrival > latest:
                        continue
                    shift = (
                        (arrival if arrival > opening else opening) + duration + out[j] - arrival_j
                    )
                    if shift < shift_k and shift <= slack_j + tolerance:
                        shift_k = shift
                        position = p
                if position >= 0:
                    score = scores[k] if noise is None else scores[k] * noise[k]
                    ratio = score * score / (shift_k if shift_k > _TINY else _TINY)
                    if ratio > best_ratio:
                        best_ratio = ratio
                        best_node = k
                        best_position = position
            if best_node < 0:
                return
            pool.remove(best_node)
            self.insert(best_node, best_position)

    def replacement_slots(self, q: int) -> list[_Slot]:
        """The slots to insert a node into once the visit at position ``q`` is removed.

        Positions refer to the route before the removal. Before ``q`` an insertion
        delays the nodes up to ``q - 1``: their own windows and waits (``limit`` and
        ``waits``) and the slack of the node after ``q`` bound the delay. After ``q``
        the route is re-timed without the removed visit.
        """
        route, arrivals, departures, slacks = (
            self.route,
            self.arrivals,
            self.departures,
            self.slacks,
        )
        opens, closes, durations, rows = self.opens, self.closes, self.durations, self.rows
        previous, following = route[q - 1], route[q + 1]
        arrival_next, slack_next = arrivals[q + 1], slacks[q + 1]
        skipped = departures[q - 1] + rows[previous][following]
        room = slack_next + arrival_next - skipped
        slots = [(q - 1, departures[q - 1], previous, following, arrival_next, slack_next)]
        limit = math.inf
        waits = 0.0
        for p in range(q - 2, -1, -1):
            node = route[p + 1]
            arrival = arrivals[p + 1]
            opening = opens[node]
            wait = opening - arrival if opening > arrival else 0.0
            ceiling = closes[node] - arrival - wait
            limit = wait + (ceiling if ceiling < limit else limit)
            waits += wait
            bound = waits + room
            slots.append((p, departures[p], route[p], node, arrival, min(limit, bound)))
        clock = skipped
        for p in range(q + 1, len(route) - 1):
            node = route[p]
            opening = opens[node]
            start = clock if clock > opening else opening
            if start > closes[node] + _TOLERANCE:  # travel times without triangle inequality
                break
            departure = start + durations[node]
            following = route[p + 1]
            slots.append((p, departure, node, following, arrivals[p + 1], slacks[p + 1]))
            clock = departure + rows[node][following]
        return slots

    def best_replacement(self, pool: list[int]) -> tuple[int, int, int] | None:
        """The best exchange of a visit for a node of ``pool`` that raises the score.

        Returns:
            ``(q, k, p)``: remove the visit at position ``q``, visit ``k`` right after
            position ``p`` (positions of the current route), or ``None``.
        """
        opens, closes, durations, scores = self.opens, self.closes, self.durations, self.scores
        rows, columns = self.rows, self.columns
        tolerance = _TOLERANCE
        best_gain = 0.0
        best_shift = math.inf
        move = None
        ordered = sorted(pool, key=lambda k: opens[k] + durations[k])
        for q in range(1, len(self.route) - 1):
            removed = self.route[q]
            if removed in self.locked:
                continue
            score_removed = scores[removed]
            better = [k for k in ordered if scores[k] > score_removed]
            keys = [opens[k] + durations[k] for k in better]
            for p, departure, i, j, arrival_j, bound in self.replacement_slots(q):
                limit = bound + tolerance
                for k in better[: bisect_right(keys, arrival_j + limit)]:
                    arrival = departure + columns[k][i]
                    if arrival > closes[k] + tolerance:
                        continue
                    opening = opens[k]
                    shift = (
                        (arrival if arrival > opening else opening)
                        + durations[k]
                        + rows[k][j]
                        - arrival_j
                    )
                    if shift <= limit:
                        gain = scores[k] - score_removed
                        if gain > best_gain or (gain == best_gain and shift < best_shift):
                            best_gain, best_shift, move = gain, shift, (q, k, p)
        return move

    def replace(self, move: tuple[int, int, int], pool: list[int]) -> None:
        """Apply a move of `best_replacement`."""
        q, k, p = move
        route = self.route
        removed = route[q]
        if p < q:
            self.route = [*route[: p + 1], k, *route[p + 1 : q], *route[q + 1 :]]
        else:
            self.route = [*route[:q], *route[q + 1 : p + 1], k, *route[p + 1 :]]
        self.score += self.scores[k] - self.scores[removed]
        pool.remove(k)
        pool.append(removed)
        self.retime()

    def improve(self, pool: list[int]) -> None:
        """Local search: insert greedily, then exchange visits for better nodes."""
        self.insert_greedily(pool)
        while (move := self.best_replacement(pool)) is not None:
            self.replace(move, pool)
            self.insert_greedily(pool)

    def remove_run(self, first: int, length: int) -> list[int]:
        """Remove up to ``length`` unlocked visits from position ``first`` on."""
        removed: list[int] = []
        kept = self.route[:first]
        for k in self.route[first:-1]:
            if len(removed) < length and k not in self.locked:
                removed.append(k)
            else:
                kept.append(k)
        kept.append(0)
        self.route = kept
        self.score -= sum(self.scores[k] for k in removed)
        self.retime()
        return removed

    def remove_random(self, count: int, rng: random.Random) -> list[int]:
        """Remove ``count`` unlocked visits (or all of them if fewer) drawn at random."""
        unlocked = [k for k in self.route[1:-1] if k not in self.locked]
        removed = rng.sample(unlocked, min(count, len(unlocked)))
        gone = set(removed)
        self.route = [k for k in self.route if k not in gone]
        self.score -= sum(self.scores[k] for k in removed)
        self.retime()
        return removed

    def restore(self, route: list[int], score: float) -> list[int]:
        """Go back to ``route``; returns the new pool of insertable nodes."""
        self.route = route[:]
        self.score = score
        self.retime()
        visited = set(route)
        return [k for k in self.candidates if k not in visited]


def _must_visit(instance: Instance, must_visit: Iterable[int]) -> tuple[int, ...]:
    nodes = tuple(must_visit)
    for k in nodes:
        if isinstance(k, bool) or not isinstance(k, int) or not 0 < k < len(instance.nodes):
            raise InvalidValueError(
                field="must_visit", value=k, reason="must name customers (node ids 1..n)"
            )
    if len(set(nodes)) != len(nodes):
        raise InvalidValueError(field="must_visit", value=nodes, reason="names a node twice")
    return nodes


def _ordered_exhaustively(search: _Search, nodes: Sequence[int]) -> list[int] | None:
    """The order of ``nodes`` that comes back to the depot earliest (depth-first)."""
    rows, opens, closes, durations = search.rows, search.opens, search.closes, search.durations
    budget = closes[0] + _TOLERANCE
    best: list[int] | None = None
    best_back = math.inf
    order: list[int] = []

    def extend(last: int, clock: float, left: list[int]) -> None:
        nonlocal best, best_back
        if not left:
            back = clock + rows[last][0]
            if back <= budget and back < best_back:
                best, best_back = order[:], back
            return
        for k in left:
            start = max(clock + rows[last][k], opens[k])
            if start > closes[k] + _TOLERANCE or start + durations[k] >= best_back:
                continue
            order.append(k)
            extend(k, start + durations[k], [m for m in left if m != k])
            order.pop()

    extend(0, opens[0], list(nodes))
    return best


def _ordered_by_insertion(search: _Search, nodes: Sequence[int]) -> list[int] | None:
    """Insert ``nodes`` by closing time, each where it delays the route least."""
    for k in sorted(nodes, key=lambda k: (search.closes[k], search.opens[k], k)):
        pool = [k]
        search.insert_greedily(pool)
        if pool:
            return None
    return search.route[1:-1]


def _start(search: _Search, locked: Sequence[int]) -> None:
    """Put the must-visit nodes on the route, or raise."""
    if not locked:
        return
    for k in locked:
        if k not in search.reachable:
            raise InvalidValueError(
                field="must_visit",
                value=k,
                reason="this node cannot be visited within its window and the budget",
            )
    if len(locked) <= _EXHAUSTIVE_MUST_VISIT:
        order = _ordered_exhaustively(search, locked)
        proof = "no route visits them all"
    else:
        order = _ordered_by_insertion(search, locked)
        proof = "no route through all of them was found (by insertion in closing order)"
    if order is None:
        raise InvalidValueError(field="must_visit", value=tuple(locked), reason=proof)
    search.route = [0, *order, 0]
    search.score = sum(search.scores[k] for k in order)
    search.retime()


def _iterate(
    search: _Search, rng: random.Random, *, deadline: float, max_iterations: int | None
) -> tuple[list[int], int]:
    """The iterated local search from the route of ``search``: best route, iterations."""
    pool = search.candidates[:]
    best_route, best_score = search.route[:], search.score
    iterations = stale = 0
    length, first = 1, 1 + rng.randrange(1 << 16)
    restored = False
    while True:
        search.improve(pool)
        iterations += 1
        if search.score > best_score + _TINY:
            best_route, best_score = search.route[:], search.score
            length = 1
            stale = 0
        else:
            stale += 1
            patience = _RESTORE_PER_VISIT * (len(search.route) - 2)
            if stale >= min(max(patience, _RESTORE_MIN), _RESTORE_MAX):
                stale = 0
                pool = search.restore(best_route, best_score)
                restored = True
        visits = len(search.route) - 2
        if (
            not pool
            or visits == len(search.locked)
            or iterations == max_iterations
            or time.perf_counter() >= deadline
        ):
            return best_route, iterations
        if rng.random() < _RANDOM_START:
            first = rng.randint(1, visits)
        first = (first - 1) % visits + 1
        if restored:
            removed = search.remove_random(rng.randint(1, max(1, visits // 2)), rng)
            noise = [1.0 + _NOISE * (2.0 * rng.random() - 1.0) for _ in search.scores]
            search.insert_greedily(pool, noise)
            restored = False
        else:
            removed = search.remove_run(first, length)
            search.insert_greedily(pool)
        pool.extend(removed)
        first += length
        length = length + 1 if length < visits else 1


def solve(
    instance: Instance,
    *,
    time_limit: float = 1.0,
    seed: int = 0,
    must_visit: Iterable[int] = (),
    max_iterations: int | None = None,
) -> Solution:
    """Find a high-scoring feasible route (a heuristic: no proof of optimality).

    An iterated local search after Vansteenwegen et al. (2009). Each iteration
    improves the route (insertions by best score**2 / shift; exchanges of a visit for
    an unvisited node of higher score, anywhere on the route, followed by insertions)
    and then shakes it: it removes a run of consecutive visits and re-fills the route,
    first without them. The run's start moves along the route (now and then to a
    random position) and its length grows until a new best route is found. After 50
    iterations without one, the search goes back to the best route and removes random
    visits from it. Every check of an insertion takes constant time thanks to the
    slack of each position (Wait + MaxShift).

    Must-visit nodes stay on the route in the order found first: for up to 8 of them
    the order that returns to the depot earliest (exhaustive), for more an order
    built by insertion.

    Args:
        instance: The instance.
        time_limit: Seconds to search (measured with `time.perf_counter`).
        seed: Seed of the random choices; the same seed gives the same sequence of
            iterations.
        must_visit: Customers that every returned route visits.
        max_iterations: Stop after this many iterations at the latest: with it, the
            result does not depend on the machine's speed as long as the time limit is
            not reached first.

    Returns:
        The best route found; its `Solution.starts` are `evaluate`'s. The search stops
        early when the route visits every customer with a score that can be reached.

    Raises:
        InvalidValueError: On bad arguments; when ``must_visit`` names a node that
            cannot be visited at all; when no feasible route through all of
            ``must_visit`` exists (up to 8 nodes) or is found (more).
    """
    began = time.perf_counter()
    if _finite("time_limit", time_limit) < 0:
        raise InvalidValueError(field="time_limit", value=time_limit, reason="must be >= 0")
    if max_iterations is not None and (
        isinstance(max_iterations, bool)
        or not isinstance(max_iterations, int)
        or max_iterations < 1
    ):
        raise InvalidValueError(
            field="max_iterations", value=max_iterations, reason="must be an int >= 1 or None"
        )
    locked = _must_visit(instance, must_visit)
    search = _Search(instance, frozenset(locked))
    _start(search, locked)
    best_route, iterations = _iterate(
        search,
        random.Random(seed),
        deadline=began + time_limit,
        max_iterations=max_iterations,
    )
    visits_found = tuple(best_route[1:-1])
    evaluation = evaluate(instance, visits_found)
    if not evaluation.feasible:
        raise AssertionError(f"solve built an infeasible route: {evaluation.reason}")
    return Solution(
        visits=visits_found,
        starts=evaluation.starts,
        score=evaluation.score,
        returns_at=evaluation.returns_at,
        iterations=iterations,
        elapsed=time.perf_counter() - began,
    )
