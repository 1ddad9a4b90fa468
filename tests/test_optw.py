"""The OPTW solver: benchmark files, route evaluation, and the search itself.

Tests that read the shared benchmark data skip (with the reason) where it is absent.
No test asserts on timing: searches are capped by ``max_iterations``.
"""

import csv
import itertools
import math
import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mmso_core.errors import InvalidValueError
from mmso_core.exhibition import optw
from mmso_core.exhibition.optw import (
    EPSILON,
    Evaluation,
    Instance,
    Node,
    Solution,
    evaluate,
    read_instance,
    solve,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "optw"
EXACT = DATA / "righini_salani_results" / "solomon_100"
SOLOMON = [
    *(f"c1{k:02d}" for k in range(1, 10)),
    *(f"r1{k:02d}" for k in range(1, 13)),
    *(f"rc1{k:02d}" for k in range(1, 9)),
]
UNFINISHED = {"r104", "r108"}  # Righini & Salani's runs that did not finish (SOURCES.md)


@pytest.fixture
def data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"the shared OPTW benchmark data is absent ({DATA})")
    return DATA


# --- reading instances -----------------------------------------------------------------

TEXT = """\
4 1 3 1
0 100
  0 0.00 0.00 0.00 0.00 0 0 0 50
  1 3.00 4.00 2.00 10.00 1 1 1 0 20
  2 1.00 1.00 1.00 5.00 1 2 1 2 5 30
  3 0.00 2.00 0.00 7.00 1 0 10 40
"""


def test_read_instance_from_text() -> None:
    instance = read_instance(TEXT)
    assert instance.name == "optw"
    assert instance.budget == 50.0
    assert instance.depot == Node(id=0, opens=0, closes=50, x=0, y=0)
    assert [n.id for n in instance.customers] == [1, 2, 3]
    assert instance.nodes[1] == Node(id=1, x=3, y=4, duration=2, score=10, opens=0, closes=20)
    assert instance.nodes[2].opens == 5.0
    assert instance.nodes[2].closes == 30.0
    assert instance.travel(0, 1) == 5.0
    assert instance.travel(0, 2) == 1.4  # sqrt(2), truncated to one decimal
    assert instance.travel(1, 2) == instance.travel(2, 1) == 3.6  # sqrt(13) = 3.605...
    assert read_instance(TEXT.replace("\n", "\r\n")) == instance


def test_read_instance_decimals() -> None:
    assert read_instance(TEXT, decimals=2).travel(0, 2) == 1.41
    assert read_instance(TEXT, name="pr99").travel(0, 2) == 1.41  # Cordeau-style name
    assert read_instance(TEXT, name="pr99", decimals=1).travel(0, 2) == 1.4
    three = TEXT.replace("1.00 1.00 1.00", "1.000 1.000 1.00")
    assert read_instance(three).travel(0, 2) == 1.41  # coordinates as in Cordeau's files
    assert read_instance(TEXT, name="pr99").name == "pr99"


def test_truncation_of_distances() -> None:
    def distance(x: float, decimals: int | None) -> float:
        nodes = [Node(id=0, opens=0, closes=9, x=0, y=0), Node(id=1, opens=0, closes=9, x=x, y=0)]
        return Instance.from_nodes(nodes, decimals=decimals).travel(0, 1)

    assert distance(math.sqrt(2), 1) == 1.4
    assert distance(math.sqrt(2), 2) == 1.41
    assert distance(math.sqrt(2), None) == math.sqrt(2)
    assert distance(2.39, 1) == 2.3  # down, not to the nearest
    assert distance(0.29, 2) == 0.29  # 0.29 * 100 is 28.999999999999996 in floats
    assert distance(7.0, 1) == 7.0


def test_read_instance_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "pr42.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode())
    by_path = read_instance(path)
    assert by_path.name == "pr42"
    assert by_path.travel(0, 2) == 1.41
    assert read_instance(str(path), name="x", decimals=1).travel(0, 2) == 1.4


def test_read_real_instances(data: Path) -> None:
    c101 = read_instance(data / "c101.txt")
    assert (c101.name, len(c101.customers), c101.budget) == ("c101", 100, 1236.0)
    assert c101.nodes[1] == Node(id=1, x=45, y=68, duration=90, score=10, opens=912, closes=967)
    assert c101.travel(0, 1) == 18.6  # sqrt(349) = 18.68...
    pr01 = read_instance(str(data / "pr01.txt"))  # CRLF, two decimals
    assert (len(pr01.customers), pr01.budget) == (48, 1000.0)
    assert pr01.nodes[1] == Node(
        id=1, x=-29.730, y=64.136, duration=2, score=12, opens=354, closes=509
    )
    expected = math.floor(math.hypot(-10.442 + 29.730, 19.999 - 64.136) * 100) / 100
    assert pr01.travel(0, 1) == expected == 48.16
    c204 = read_instance(data / "c204.txt")  # CRLF
    assert (len(c204.customers), c204.budget) == (100, 3390.0)


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("4 1 0 1\n0 100\n", "text", "header of two lines"),
        ("4 1 x 1\n0 100\n 0 0 0 0 0 0 0 0 50\n", "line 1", "numbers only"),
        ("4 1 1.5 1\n0 100\n 0 0 0 0 0 0 0 0 50\n", "line 1", "'k v N t'"),
        ("4 1 0\n0 100\n 0 0 0 0 0 0 0 0 50\n", "line 1", "'k v N t'"),
        ("4 1 0 1\n0\n 0 0 0 0 0 0 0 0 50\n", "line 2", "'D Q'"),
        ("4 1 1 1\n0 100\n 0 0 0 0 0 0 0 0 50\n", "text", "2 node lines"),
        ("4 1 0 1\n0 100\n 0 0 0 0 0 0 1 0 50\n", "line 3", "'i x y d S f a"),
        ("4 1 0 1\n0 100\n 0 0 0 0 0 0 0.5 0 50\n", "line 3", "'i x y d S f a"),
        ("4 1 0 1\n0 100\n 0 0 0 0 0\n", "line 3", "'i x y d S f a"),
        ("4 1 1 1\n0 100\n 0 0 0 0 0 0 0 0 50\n 2 1 1 1 1 1 0 0 50\n", "line 4", "number 1"),
        ("4 1 1 1\n0 100\n 0 0 0 0 0 0 0 0 50\n 1 1 1 1 1 1 0 40 30\n", "line 4", "closes"),
        ("4 1 1 1\n0 100\n 0 0 0 0 5 0 0 0 50\n 1 1 1 1 1 1 0 0 50\n", "line 3", "depot"),
        ("4 1 1 1\n0 100\n 0 0 0 0 0 0 0 0 50\n 1 1 1 1 -1 1 0 0 50\n", "line 4", "negative"),
        ("4 1 1 1\n0 100\n 0 0 0 0 0 0 0 0 50\n 1 1 1 1 1 1 0 nan 50\n", "line 4", "finite"),
    ],
)
def test_read_instance_refuses_bad_text(text: str, where: str, problem: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        read_instance(text)
    assert caught.value.field.endswith(where)
    assert problem in caught.value.reason


def test_read_instance_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("4 1 0 1\n0 100\n 0 0 0 0 0 0 0 0 fifty\n")
    with pytest.raises(InvalidValueError, match=r"bad\.txt line 3: expected numbers"):
        read_instance(path)


def test_trailing_blank_lines_are_fine() -> None:
    assert read_instance(TEXT + "\n  \n") == read_instance(TEXT)


# --- building instances ---------------------------------------------------------------


def test_from_matrix() -> None:
    instance = Instance.from_matrix([[0, 1], [2, 0]], scores=[0, 3], budget=10, name="two")
    assert instance.name == "two"
    assert instance.nodes[1] == Node(id=1, opens=0, closes=10, score=3)
    assert (instance.travel(0, 1), instance.travel(1, 0)) == (1.0, 2.0)
    same = Instance.from_matrix(
        [[0, 1], [2, 0]], scores=[0, 3], durations=[0, 0], windows=[(0, 10), (0, 10)], budget=10
    )
    assert same.nodes == instance.nodes


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"times": [], "scores": [], "budget": 1}, "times"),
        ({"times": [[0]], "scores": [0]}, "budget"),
        ({"times": [[0]], "scores": [0], "windows": [(0, 5)], "budget": 6}, "budget"),
        ({"times": [[0, 1], [1, 0]], "scores": [0], "budget": 5}, "scores"),
        ({"times": [[0, 1], [1, 0]], "scores": [0, 1], "durations": [0], "budget": 5}, "durations"),
        ({"times": [[0, 1], [1, 0]], "scores": [0, 1], "windows": [(0, 5)]}, "windows"),
        ({"times": [[0, 1], [1]], "scores": [0, 1], "budget": 5}, "Instance.times[1]"),
        ({"times": [[0, -1], [1, 0]], "scores": [0, 1], "budget": 5}, "Instance.times[0][1]"),
        ({"times": [[0, math.inf], [1, 0]], "scores": [0, 1], "budget": 5}, "Instance.times[0][1]"),
        ({"times": [[0, "1"], [1, 0]], "scores": [0, 1], "budget": 5}, "Instance.times[0][1]"),
        ({"times": [[0, 1], [1, 0]], "scores": [0, -1], "budget": 5}, "Node.score"),
        ({"times": [[0, 1], [1, 0]], "scores": [1, 1], "budget": 5}, "Node(0)"),
        (
            {"times": [[0, 1], [1, 0]], "scores": [0, 1], "durations": [1, 0], "budget": 5},
            "Node(0)",
        ),
        ({"times": [[0, 1], [1, 0]], "scores": [0, 1], "windows": [(0, 5), (3, 2)]}, "closes"),
        ({"times": [[0, 1], [1, 0]], "scores": [0, True], "budget": 5}, "Node.score"),
    ],
)
def test_from_matrix_refuses_bad_input(arguments: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Instance.from_matrix(**arguments)  # type: ignore[arg-type]
    assert field in caught.value.field


def test_instance_and_node_validation() -> None:
    depot = Node(id=0, opens=0, closes=5)
    with pytest.raises(InvalidValueError, match="needs the depot"):
        Instance(nodes=[], times=[])
    with pytest.raises(InvalidValueError, match=r"nodes\[1\]: must be a Node with id 1"):
        Instance(nodes=[depot, Node(id=2, opens=0, closes=5)], times=[[0, 1], [1, 0]])
    with pytest.raises(InvalidValueError, match="one row per node"):
        Instance(nodes=[depot], times=[[0, 1], [1, 0]])
    with pytest.raises(InvalidValueError, match="has no coordinates"):
        Instance.from_nodes([depot])
    with pytest.raises(InvalidValueError, match=r"Node\.id"):
        Node(id=-1, opens=0, closes=1)
    with pytest.raises(InvalidValueError, match=r"Node\.id"):
        Node(id=True, opens=0, closes=1)
    with pytest.raises(InvalidValueError, match=r"Node\.opens: must be a number"):
        Node(id=1, opens="0", closes=1)
    with pytest.raises(InvalidValueError, match=r"Node\.duration: must not be negative"):
        Node(id=1, opens=0, closes=1, duration=-1)
    with pytest.raises(InvalidValueError, match=r"Node\.x/y: must be finite"):
        Node(id=1, opens=0, closes=1, x=math.nan, y=0)
    with pytest.raises(InvalidValueError, match=r"Node\.closes: must be finite"):
        Node(id=1, opens=0, closes=math.inf)


# --- evaluating routes -------------------------------------------------------------------


def _exact_solution(path: Path) -> tuple[int, list[int], list[float]] | None:
    """Prize, visits and start times of a finished Righini-Salani run, else None."""
    text = path.read_text(encoding="utf-8")
    summary = re.search(r"^\S+ & (\d+) & (\d+) &", text, re.MULTILINE)
    if summary is None:
        return None
    block = text.rsplit("Best Feasible Path", 1)[1]
    prize = re.search(r"Prize:(\d+)\s+Customers:(\d+)", block)
    visits = re.search(r"Usr :(.*)", block)
    times = re.search(r"Time :(.*)", block)
    assert prize
    assert visits
    assert times
    assert prize.groups() == summary.groups()
    return int(prize[1]), [int(v) for v in visits[1].split()], [float(t) for t in times[1].split()]


@pytest.mark.parametrize("name", [n for n in SOLOMON if n not in UNFINISHED])
def test_evaluate_reproduces_the_exact_solutions(data: Path, name: str) -> None:
    instance = read_instance(data / f"{name}.txt")
    with (data / "optw_best_known_m1.csv").open(encoding="utf-8") as table:
        optimum = {row["instance"]: row["righini_salani_opt"] for row in csv.DictReader(table)}
    finished = 0
    for variant in ("full", "conservative"):
        exact = _exact_solution(EXACT / f"{name}_100.dssr.{variant}")
        if exact is None:
            continue
        finished += 1
        prize, visits, times = exact
        evaluation = evaluate(instance, visits)
        assert evaluation.feasible, evaluation.reason
        assert evaluation.score == prize == float(optimum[name])
        assert evaluation.starts == pytest.approx(times, abs=1e-6)
    assert finished


def test_unfinished_exact_runs_are_the_documented_ones(data: Path) -> None:
    unfinished = {
        name
        for name in SOLOMON
        if all(
            _exact_solution(EXACT / f"{name}_100.dssr.{variant}") is None
            for variant in ("full", "conservative")
        )
    }
    assert unfinished == UNFINISHED


SMALL = Instance.from_matrix(
    [[0, 2, 3, 4], [2, 0, 2, 5], [3, 2, 0, 2], [4, 5, 2, 0]],
    scores=[0, 5, 7, 4],
    durations=[0, 1, 1, 1],
    windows=[(0, 12), (0, 3), (4, 9), (0, 20)],
)


def test_evaluate_times_a_route() -> None:
    assert evaluate(SMALL, [1, 2]) == Evaluation(
        feasible=True, score=12.0, starts=(2.0, 5.0), returns_at=9.0, reason=None
    )
    assert evaluate(SMALL, []) == Evaluation(
        feasible=True, score=0.0, starts=(), returns_at=0.0, reason=None
    )
    late = evaluate(SMALL, (1, 2, 3))
    assert late.starts == (2.0, 5.0, 8.0)
    assert late.score == 16.0
    assert late.reason == "back at the depot at 13, after the budget 12"
    assert not late.feasible
    closed = evaluate(SMALL, [3, 2, 1])
    assert closed.reason == "node 1: the visit would start at 10, after 3"
    assert closed.starts == (4.0, 7.0, 10.0)  # the simulation goes on after a problem


@pytest.mark.parametrize(
    ("visits", "reason"),
    [
        ([1, 0, 2], "the depot (node 0) is not a visit"),
        ([1, 4], "unknown node 4"),
        ([-1], "unknown node -1"),
        ([2, 1, 2], "node 2 is visited twice"),
    ],
)
def test_evaluate_refuses_unknown_and_repeated_nodes(visits: list[int], reason: str) -> None:
    evaluation = evaluate(SMALL, visits)
    assert (evaluation.feasible, evaluation.reason, evaluation.score) == (False, reason, 0.0)
    assert evaluation.starts == ()
    assert math.isnan(evaluation.returns_at)


@pytest.mark.parametrize("visit", [1.0, "1", True])
def test_evaluate_needs_int_ids(visit: object) -> None:
    with pytest.raises(InvalidValueError, match="node ids must be ints"):
        evaluate(SMALL, [visit])  # type: ignore[list-item]


# --- solving -----------------------------------------------------------------------------


def optimum(instance: Instance) -> float:
    """The best score, exhaustively: earliest departure per (visited set, last node).

    Arriving earlier never hurts (one may wait), so the earliest departure dominates
    every other way to reach the same state.
    """
    nodes, times = instance.nodes, instance.times
    budget = nodes[0].closes + EPSILON
    earliest: dict[tuple[int, int], float] = {(0, 0): nodes[0].opens}
    best = 0.0
    for visited in range(1 << len(nodes)):
        for last in range(len(nodes)):
            clock = earliest.get((visited, last))
            if clock is None:
                continue
            if clock + times[last][0] <= budget:
                best = max(best, sum(nodes[k].score for k in range(len(nodes)) if visited >> k & 1))
            for k in range(1, len(nodes)):
                if visited >> k & 1:
                    continue
                start = max(clock + times[last][k], nodes[k].opens)
                if start > nodes[k].closes + EPSILON:
                    continue
                key = (visited | 1 << k, k)
                earliest[key] = min(earliest.get(key, math.inf), start + nodes[k].duration)
    return best


def optimum_by_permutations(instance: Instance) -> float:
    """The best score by trying every order of every subset (for a handful of nodes)."""
    customers = range(1, len(instance.nodes))
    return max(
        evaluation.score
        for size in range(len(customers) + 1)
        for subset in itertools.combinations(customers, size)
        for order in itertools.permutations(subset)
        if (evaluation := evaluate(instance, order)).feasible
    )


@st.composite
def small_instances(draw: st.DrawFn, max_customers: int = 8) -> Instance:
    """Up to ``max_customers`` customers on a 7 x 7 grid, random windows and budget."""
    budget = draw(st.integers(5, 60))
    points = st.integers(0, 6)
    nodes = [Node(id=0, opens=0, closes=budget, x=draw(points), y=draw(points))]
    count = draw(st.one_of(st.just(max_customers), st.integers(0, max_customers)))
    for k in range(1, count + 1):
        opens = draw(st.integers(0, budget))
        nodes.append(
            Node(
                id=k,
                opens=opens,
                closes=opens + draw(st.integers(0, budget)),
                score=draw(st.integers(0, 10)),
                duration=draw(st.integers(0, 4)),
                x=draw(points),
                y=draw(points),
            )
        )
    return Instance.from_nodes(nodes, decimals=draw(st.sampled_from([1, 2, None])))


@given(small_instances(max_customers=5))
def test_the_exhaustive_oracles_agree(instance: Instance) -> None:
    assert optimum(instance) == optimum_by_permutations(instance)


@given(small_instances(), st.integers(0, 3))
def test_solve_finds_the_optimum_of_small_instances(instance: Instance, seed: int) -> None:
    solution = solve(instance, time_limit=60.0, seed=seed, max_iterations=200)
    evaluation = evaluate(instance, solution.visits)
    assert evaluation.feasible, evaluation.reason
    assert (solution.score, solution.starts) == (evaluation.score, evaluation.starts)
    assert solution.returns_at == evaluation.returns_at
    assert solution.score == optimum(instance)
    assert 1 <= solution.iterations <= 200
    assert solution.elapsed >= 0


def random_instance(seed: int, customers: int = 40, budget: float = 200.0) -> Instance:
    """A reproducible instance: a 50 x 50 square, windows over the budget."""
    rng = random.Random(seed)
    nodes = [Node(id=0, opens=0, closes=budget, x=25, y=25)]
    for k in range(1, customers + 1):
        opens = rng.uniform(0, budget * 0.8)
        nodes.append(
            Node(
                id=k,
                opens=opens,
                closes=opens + rng.uniform(0, budget / 2),
                score=rng.randint(1, 20),
                duration=rng.randint(1, 10),
                x=rng.uniform(0, 50),
                y=rng.uniform(0, 50),
            )
        )
    return Instance.from_nodes(nodes, decimals=1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_solve_is_deterministic_for_a_seed(seed: int) -> None:
    instance = random_instance(seed)
    first = solve(instance, seed=seed, time_limit=60.0, max_iterations=120)
    again = solve(instance, seed=seed, time_limit=60.0, max_iterations=120)
    assert (first.visits, first.score, first.iterations) == (again.visits, again.score, 120)
    evaluation = evaluate(instance, first.visits)
    assert evaluation.feasible
    assert evaluation.score == first.score > 0
    assert isinstance(first, Solution)


def test_solve_on_a_benchmark_instance(data: Path) -> None:
    instance = read_instance(data / "c101.txt")
    solution = solve(instance, max_iterations=30, time_limit=60.0)
    assert evaluate(instance, solution.visits).feasible
    assert solution.score >= 300  # best known 320; 30 iterations reach it on a fast machine


def test_solve_stops_when_everything_fits() -> None:
    instance = Instance.from_matrix([[0, 1, 1], [1, 0, 1], [1, 1, 0]], scores=[0, 1, 2], budget=10)
    solution = solve(instance, max_iterations=100)
    assert sorted(solution.visits) == [1, 2]
    assert solution.iterations == 1


def test_solve_when_nothing_fits() -> None:
    instance = Instance.from_matrix([[0, 6], [6, 0]], scores=[0, 1], budget=10)
    assert solve(instance).visits == ()
    depot_only = Instance.from_matrix([[0]], scores=[0], budget=10)
    assert solve(depot_only).visits == ()


def test_a_zero_time_limit_still_gives_a_route() -> None:
    instance = random_instance(3)
    solution = solve(instance, time_limit=0.0)
    assert solution.iterations == 1
    assert evaluate(instance, solution.visits).feasible


def test_must_visit_is_honoured() -> None:
    instance = random_instance(4)
    free = solve(instance, max_iterations=60, time_limit=60.0)
    must = [
        k
        for k in range(1, 41)
        if k not in free.visits and optw._Search(instance, frozenset()).fits_alone(k)
    ][:3]
    assert len(must) == 3
    solution = solve(instance, must_visit=must, max_iterations=60, time_limit=60.0)
    assert set(must) <= set(solution.visits)
    assert evaluate(instance, solution.visits).feasible
    assert solution.score <= free.score + max(instance.nodes[k].score for k in must) * 3


def test_must_visit_with_a_zero_score() -> None:
    instance = Instance.from_matrix([[0, 1, 1], [1, 0, 1], [1, 1, 0]], scores=[0, 0, 2], budget=10)
    assert solve(instance).visits == (2,)
    assert sorted(solve(instance, must_visit=[1]).visits) == [1, 2]


def test_many_must_visit_nodes() -> None:
    size = 12
    times = [[0 if i == j else 1 for j in range(size)] for i in range(size)]
    instance = Instance.from_matrix(
        times, scores=[0, *range(1, size)], durations=[0, *[1] * (size - 1)], budget=100
    )
    must = list(range(1, 11))
    solution = solve(instance, must_visit=must, max_iterations=5)
    assert set(must) <= set(solution.visits)
    assert len(solution.visits) == 11
    tight = Instance.from_matrix(
        times, scores=[0, *range(1, size)], durations=[0, *[1] * (size - 1)], budget=15
    )
    with pytest.raises(InvalidValueError, match="no route through all of them was found"):
        solve(tight, must_visit=must)


def test_impossible_must_visit() -> None:
    instance = Instance.from_matrix(
        [[0, 5, 5], [5, 0, 20], [5, 20, 0]],
        scores=[0, 1, 1],
        windows=[(0, 40), (0, 10), (0, 10)],
    )
    assert len(solve(instance, max_iterations=20).visits) == 1
    with pytest.raises(InvalidValueError, match="no route visits them all"):
        solve(instance, must_visit=[1, 2])
    far = Instance.from_matrix([[0, 30], [30, 0]], scores=[0, 1], budget=40)
    with pytest.raises(InvalidValueError, match="cannot be visited within its window"):
        solve(far, must_visit=[1])


def test_must_visit_order_returns_earliest() -> None:
    # 1 then 2 comes back at 6, 2 then 1 at 9: the search keeps the better order.
    instance = Instance.from_matrix(
        [[0, 1, 3, 3], [1, 0, 2, 9], [3, 5, 0, 9], [3, 9, 9, 0]],
        scores=[0, 1, 1, 9],
        windows=[(0, 9), (0, 9), (0, 9), (0, 0)],
    )
    assert instance.nodes[3].closes == 0  # unreachable: never on a route
    assert solve(instance, must_visit=[2, 1], max_iterations=20).visits == (1, 2)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"must_visit": [0]}, "must_visit"),
        ({"must_visit": [4]}, "must_visit"),
        ({"must_visit": [True]}, "must_visit"),
        ({"must_visit": [1, 1]}, "must_visit"),
        ({"time_limit": -1.0}, "time_limit"),
        ({"time_limit": math.nan}, "time_limit"),
        ({"time_limit": "1"}, "time_limit"),
        ({"max_iterations": 0}, "max_iterations"),
        ({"max_iterations": 2.0}, "max_iterations"),
        ({"max_iterations": False}, "max_iterations"),
    ],
)
def test_solve_refuses_bad_arguments(arguments: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        solve(SMALL, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_replacement_slots_stop_where_a_shortcut_is_longer() -> None:
    # 0 -> 2 directly takes 10 but 0 -> 1 -> 2 only 2: without node 1, node 2 is late.
    instance = Instance.from_matrix(
        [[0, 1, 10, 1], [1, 0, 1, 1], [10, 1, 0, 1], [1, 1, 1, 0]],
        scores=[0, 1, 1, 5],
        windows=[(0, 20), (0, 20), (0, 3), (0, 20)],
    )
    search = optw._Search(instance, frozenset())
    search.route = [0, 1, 2, 0]
    search.retime()
    assert [slot[0] for slot in search.replacement_slots(1)] == [0]
    assert search.best_replacement([3]) is not None  # 3 can replace 2, not 1
    assert search.best_replacement([3])[0] == 2  # type: ignore[index]
