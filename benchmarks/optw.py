"""The OPTW solver on the 76 standard benchmark instances, against the best-known scores.

Run:  python benchmarks/optw.py [--groups c1 r1 rc1 pr01-10] [--only c101 r102]
                                [--time-limit 2] [--seed 0] [--smoke]

For every instance of ``../shared/data/optw`` (Righini-Salani c1/r1/rc1 and pr01-10,
Montemanni-Gambardella c2/r2/rc2 and pr11-20; one route, m = 1) the script runs
`mmso_core.exhibition.optw.solve` with the time limit, replays the route with
`evaluate`, and prints the score, the best-known score (``optw_best_known_m1.csv``),
the gap in percent, the time and whether the route is feasible; then per group the mean
gap and the mean time. Where ``ortools`` is importable, the OR-Tools routing solver
(time windows, a disjunction per customer with its score as the penalty for dropping it,
guided local search) runs with the same time limit and its gap is printed alongside.

``--smoke`` runs three instances with a short limit (for CI). Times are wall-clock
seconds on a possibly shared machine: compare gaps, and treat times as indicative.
"""

import argparse
import csv
import importlib.util
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from mmso_core.exhibition.optw import Instance, evaluate, read_instance, solve

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "optw"
GROUPS: dict[str, tuple[str, ...]] = {
    "c1": tuple(f"c1{k:02d}" for k in range(1, 10)),
    "r1": tuple(f"r1{k:02d}" for k in range(1, 13)),
    "rc1": tuple(f"rc1{k:02d}" for k in range(1, 9)),
    "c2": tuple(f"c2{k:02d}" for k in range(1, 9)),
    "r2": tuple(f"r2{k:02d}" for k in range(1, 12)),
    "rc2": tuple(f"rc2{k:02d}" for k in range(1, 9)),
    "pr01-10": tuple(f"pr{k:02d}" for k in range(1, 11)),
    "pr11-20": tuple(f"pr{k:02d}" for k in range(11, 21)),
}
SMOKE = ("c101", "r101", "pr01")
SCALE = 100  # OR-Tools works in integers: distances have at most two decimals


def best_known(data: Path) -> dict[str, float]:
    """The best-known single-route scores by instance name."""
    with (data / "optw_best_known_m1.csv").open(encoding="utf-8") as table:
        return {row["instance"]: float(row["best_known"]) for row in csv.DictReader(table)}


def ortools_score(instance: Instance, time_limit: float) -> tuple[float, bool] | None:
    """Solve with the OR-Tools routing solver; its score and feasibility, None if absent."""
    if importlib.util.find_spec("ortools") is None:
        return None
    from ortools.constraint_solver import (  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415  # optional
        pywrapcp,
        routing_enums_pb2,
    )

    size = len(instance.nodes)
    manager = pywrapcp.RoutingIndexManager(size, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    service = [round(node.duration * SCALE) for node in instance.nodes]
    times = [[round(t * SCALE) for t in row] for row in instance.times]

    def transit(from_index: int, to_index: int) -> int:
        i = manager.IndexToNode(from_index)
        return int(times[i][manager.IndexToNode(to_index)] + service[i])

    callback = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    horizon = round(instance.budget * SCALE)
    routing.AddDimension(callback, horizon, horizon, False, "time")
    dimension = routing.GetDimensionOrDie("time")
    for node in instance.customers:
        index = manager.NodeToIndex(node.id)
        dimension.CumulVar(index).SetRange(
            round(node.opens * SCALE), min(round(node.closes * SCALE), horizon)
        )
        routing.AddDisjunction([index], round(node.score * 1_000_000))
    depot = instance.depot
    dimension.CumulVar(routing.Start(0)).SetRange(round(depot.opens * SCALE), horizon)
    dimension.CumulVar(routing.End(0)).SetRange(round(depot.opens * SCALE), horizon)
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(round(time_limit * 1000))
    assignment = routing.SolveWithParameters(parameters)
    if assignment is None:
        return 0.0, True
    visits = []
    index = routing.NextVar(routing.Start(0))
    index = assignment.Value(index)
    while not routing.IsEnd(index):
        visits.append(manager.IndexToNode(index))
        index = assignment.Value(routing.NextVar(index))
    evaluation = evaluate(instance, visits)
    return evaluation.score, evaluation.feasible


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the instances")
    parser.add_argument("--only", nargs="+", default=None, help="instance names, e.g. c101")
    parser.add_argument("--groups", nargs="+", default=None, choices=sorted(GROUPS))
    parser.add_argument("--time-limit", type=float, default=2.0, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--smoke", action="store_true", help="3 instances, short limit (CI)")
    parser.add_argument("--no-ortools", action="store_true", help="skip OR-Tools even if present")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit status 0 (the numbers are the result)."""
    args = parse(argv)
    if not args.data.is_dir():
        print(f"no benchmark data at {args.data}: skipped")
        return 0
    names: list[str]
    if args.smoke:
        names, limit = list(SMOKE), min(args.time_limit, 0.2)
    else:
        limit = args.time_limit
        if args.only:
            names = list(args.only)
        else:
            names = [n for g in (args.groups or GROUPS) for n in GROUPS[g]]
    known = best_known(args.data)
    with_ortools = not args.no_ortools and importlib.util.find_spec("ortools") is not None
    if not with_ortools:
        print("OR-Tools: skipped (ortools is not importable or --no-ortools)")
    print(f"time limit {limit:g} s per instance, seed {args.seed}")
    header = f"{'instance':9} {'score':>6} {'best':>6} {'gap%':>6} {'time s':>7} {'feasible':>8}"
    print(header + ("  ortools   gap%  feas" if with_ortools else ""))
    results: dict[str, tuple[float, float, float | None]] = {}
    for name in names:
        instance = read_instance(args.data / f"{name}.txt")
        solution = solve(instance, time_limit=limit, seed=args.seed)
        check = evaluate(instance, solution.visits)
        best = known[name]
        gap = 100.0 * (best - solution.score) / best
        line = (
            f"{name:9} {solution.score:6g} {best:6g} {gap:6.2f} {solution.elapsed:7.2f} "
            f"{'yes' if check.feasible and check.score == solution.score else 'NO':>8}"
        )
        other_gap = None
        if with_ortools:
            other = ortools_score(instance, limit)
            assert other is not None
            other_gap = 100.0 * (best - other[0]) / best
            line += f"  {other[0]:7g} {other_gap:6.2f}  {'yes' if other[1] else 'NO'}"
        print(line, flush=True)
        results[name] = (gap, solution.elapsed, other_gap)
    print()
    print(
        f"{'group':9} {'n':>3} {'mean gap%':>9} {'mean s':>7}"
        + ("  ortools gap%" if with_ortools else "")
    )
    for group, members in [*GROUPS.items(), ("all", tuple(results))]:
        rows = [results[n] for n in members if n in results]
        if not rows:
            continue
        gaps = [r[0] for r in rows]
        line = f"{group:9} {len(rows):3} {statistics.fmean(gaps):9.2f} "
        line += f"{statistics.fmean(r[1] for r in rows):7.2f}"
        others = [r[2] for r in rows if r[2] is not None]
        if others:
            line += f"  {statistics.fmean(others):12.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    status = main()
    print(f"total {time.perf_counter() - started:.0f} s")
    sys.exit(status)
