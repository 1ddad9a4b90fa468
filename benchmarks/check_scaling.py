"""How check() scales: programmes of 2,000 and 20,000 sessions, next to a naive check.

Run:  python benchmarks/check_scaling.py [--repeat 5] [--full]

For each size the script generates one programme (seeded; people and channels in
proportion: a channel per 50 sessions, two people per session, crews drawn at
random so some people really are double-booked), then times, in this process:

* ``check(programme)`` with the default rules (all 14 rules), median of --repeat runs;
* a naive all-pairs double-booking check on the same data: every pair of sessions,
  overlap test plus shared people, with times and people precomputed once.

The naive check is quadratic: at 20,000 sessions (200 million pairs) it runs over the
first rows only and is extrapolated to all pairs, unless --full is given. Both checks
must find the same double-booked pairs (verified at 2,000 sessions, every pair).
Absolute times drift on shared machines; the ratios are the figures to compare.
"""

import argparse
import datetime as dt
import functools
import math
import random
import statistics
import time
from collections.abc import Callable

from mmso_core import at_local
from mmso_core.regions import all_regions
from mmso_core.schedule import (
    RULE_CODES,
    Channel,
    IntensityPolicy,
    Person,
    Phase,
    Programme,
    Rules,
    Salon,
    Session,
    SessionFormat,
    check,
)
from mmso_core.schedule._programme import micros

DAYS = 10
SLOTS = tuple(dt.time(9 + 2 * k) for k in range(5))  # 09:00 ... 17:00
FORMATS = (SessionFormat.ROUND_TABLE, SessionFormat.PANEL, SessionFormat.WEBINAR)
_HOURS_3 = dt.timedelta(hours=3)


def generate(size: int, seed: int = 1) -> Programme:
    """A programme of ``size`` sessions over 10 days: a channel per 50 sessions.

    Like a real draft: crews drawn at random (some people end up double-booked), one
    session in a hundred overruns into the next slot, one recording in twenty is late,
    one session in twenty has no chat expert yet.
    """
    rng = random.Random(seed)
    channel_count = max(1, size // 50)
    people_count = 2 * size
    first = dt.date(2020, 4, 26)
    regions = [r.iso for r in all_regions()]
    channels = [Channel(id=f"ch{n}", name=f"Channel {n}") for n in range(channel_count)]
    people = [
        Person(id=f"p{n}", name=f"Person {n}", region=rng.choice(regions))
        for n in range(people_count)
    ]
    cells = [
        (d, s, c) for d in range(DAYS) for s in range(len(SLOTS)) for c in range(channel_count)
    ]
    sessions = []
    minutes = (60, 75, 90) * 33 + (130,)  # one session in a hundred overruns its slot
    for number, (day, slot, channel) in enumerate(sorted(rng.sample(cells, min(size, len(cells))))):
        starts_at = at_local(
            dt.datetime.combine(first + dt.timedelta(days=day), SLOTS[slot]), "Europe/Moscow"
        )
        crew = rng.sample(range(people_count), 5)
        sessions.append(
            Session(
                id=f"s{number}",
                title=f"Session {number}",
                format=rng.choice(FORMATS),
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=rng.choice(minutes)),
                channel=f"ch{channel}",
                moderator=f"p{crew[0]}",
                speakers=tuple(f"p{n}" for n in crew[1:4]),
                technician=f"p{crew[4]}",
                chat_expert=f"p{rng.randrange(people_count)}" if rng.random() < 0.95 else None,
                audience_regions=(rng.choice(regions),) if rng.random() < 0.2 else (),
                recording_available_at=None if rng.random() < 0.95 else starts_at + _HOURS_3,
            )
        )
    salon = Salon(
        name="Synthetic",
        zone="Europe/Moscow",
        phases=[
            Phase(
                kind="main",
                name="Main",
                first_day=first,
                last_day=first + dt.timedelta(days=DAYS - 1),
                policy=IntensityPolicy(
                    max_parallel=channel_count,
                    max_per_day=size // DAYS,
                    daily_hours=("09:00", "19:00"),
                ),
            )
        ],
    )
    return Programme(salon=salon, people=people, channels=channels, sessions=sessions)


def naive_pairs(
    programme: Programme, rows: int | None = None
) -> tuple[set[tuple[str, str, str]], int]:
    """All-pairs double-booking check (over the first ``rows`` rows, or all of them).

    Returns the double-booked (person, session, session) triples and the pairs tested.
    """
    items = [
        (
            s.id,
            micros(s.starts_at),
            micros(s.ends_at),
            {p for p, _ in s.people()},
            s.relay_of or s.id,
        )
        for s in programme.sessions
    ]
    found: set[tuple[str, str, str]] = set()
    tested = 0
    limit = len(items) if rows is None else min(rows, len(items))
    for i in range(limit):
        a_id, a_start, a_end, a_people, a_root = items[i]
        for j in range(i + 1, len(items)):
            b_id, b_start, b_end, b_people, b_root = items[j]
            tested += 1
            if a_start < b_end and b_start < a_end and a_root != b_root:
                first, second = sorted((a_id, b_id))
                for person in a_people & b_people:
                    found.add((person, first, second))
    return found, tested


def median_time(function: Callable[[], object], repeat: int, *, floor: float = 0.2) -> float:
    """Median seconds per call over ``repeat`` measurements.

    Each measurement loops the call enough times to last at least ``floor`` seconds, so a
    fast call (check() on 2,000 sessions takes ~20 ms) is not at the mercy of timer noise
    and scheduler hiccups, which would make the 20k/2k ratio jump around.
    """
    started = time.perf_counter()
    function()
    once = time.perf_counter() - started
    number = max(1, math.ceil(floor / max(once, 1e-9)))
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(number):
            function()
        times.append((time.perf_counter() - started) / number)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument(
        "--full", action="store_true", help="run the naive check on every pair at 20k"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000])
    args = parser.parse_args()
    only_double_booking = Rules(disabled=set(RULE_CODES) - {"person-double-booked"})
    results: dict[int, float] = {}
    print(
        f"{'sessions':>9} {'people':>7} {'channels':>8} {'violations':>10} {'check() s':>10} "
        f"{'naive s':>10} {'naive/check':>11}  note"
    )
    for size in args.sizes:
        started = time.perf_counter()
        programme = generate(size)
        built = time.perf_counter() - started
        report = check(programme)
        elapsed = median_time(functools.partial(check, programme), args.repeat)
        results[size] = elapsed
        swept = {v.subjects for v in check(programme, only_double_booking).violations}
        if size <= 5_000 or args.full:
            naive = median_time(functools.partial(naive_pairs, programme), max(1, args.repeat // 2))
            pairs, _ = naive_pairs(programme)
            assert pairs == {(s[0], *sorted(s[1:])) for s in swept}, (
                "sweep and naive check disagree"
            )
            note = "naive: every pair, same double-bookings found"
        else:
            rows = 1_000
            partial = median_time(
                functools.partial(naive_pairs, programme, rows), max(1, args.repeat // 2)
            )
            _, tested = naive_pairs(programme, rows)
            total = len(programme.sessions) * (len(programme.sessions) - 1) // 2
            naive = partial * total / tested
            note = f"naive: estimated from the first {rows:,} rows ({tested:,} of {total:,} pairs)"
        print(
            f"{size:>9,} {len(programme.people):>7,} {len(programme.channels):>8,} "
            f"{len(report.violations):>10,} {elapsed:>10.3f} {naive:>10.2f} "
            f"{naive / elapsed:>11.0f}  "
            f"{note}; programme built in {built:.2f} s"
        )
    if len(results) == 2:
        small, large = sorted(results)
        ratio = results[large] / results[small]
        print(
            f"\ncheck() time({large:,}) / time({small:,}) = {ratio:.1f} "
            f"(sessions x{large / small:.0f}; target <= 15)"
        )
        print(f"check() on {large:,} sessions: {results[large]:.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
