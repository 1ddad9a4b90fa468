"""The virtual exhibition: model integrity, walking, timing routes and suggesting them."""

import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mmso_core import Interval, InvalidValueError, ModelError, UnknownIdError, UnknownRegionError
from mmso_core.exhibition import (
    ROUTE_CODES,
    Alley,
    Contact,
    Exhibition,
    Exhibitor,
    ExhibitorKind,
    FloorPlan,
    Junction,
    Stand,
    Video,
    Visitor,
    Webinar,
    WebinarRoom,
    plan_route,
    suggest_route,
)
from mmso_core.samples import exhibition_2020
from mmso_core.testing import strategies as mst

MORNING = "2020-04-27T10:00+03:00"


def hours(start: str, end: str) -> Interval:
    return Interval(start=f"2020-04-27T{start}+03:00", end=f"2020-04-27T{end}+03:00")


def small() -> Exhibition:
    """A square of four junctions; the entrance at j0; two ways round."""
    junctions = [
        Junction(id=f"j{n}", x=x, y=y)
        for n, (x, y) in enumerate([(0, 0), (100, 0), (100, 100), (0, 100)])
    ]
    alleys = [
        Alley(id="south", name="South", start="j0", end="j1", length=100, cluster="digital"),
        Alley(id="east", name="East", start="j1", end="j2", length=100),
        Alley(id="north", name="North", start="j2", end="j3", length=100),
        Alley(id="west", name="West", start="j3", end="j0", length=100),
    ]
    exhibitors = [
        Exhibitor(id="biz", name="ООО «Цифра»", kind="business"),
        Exhibitor(id="sam", name="Самара", kind="regional-system", region="Самарская область"),
    ]
    stands = [
        Stand(id="a", name="A", exhibitor="biz", alley="south", offset=10, clusters={"digital"}),
        Stand(
            id="b",
            name="B",
            exhibitor="sam",
            alley="south",
            offset=90,
            tags={"robotics"},
            video=Video(title="B", duration=dt.timedelta(minutes=10)),
            opening_hours=[hours("11:00", "12:00")],
        ),
        Stand(id="c", name="C", exhibitor="biz", alley="north", offset=50, clusters={"higher"}),
    ]
    rooms = [WebinarRoom(id="r1", name="Room", stand="c", capacity=2)]
    webinars = [
        Webinar(
            id="w1",
            title="W1",
            room="r1",
            starts_at="2020-04-27T10:30+03:00",
            ends_at="2020-04-27T11:00+03:00",
            clusters={"higher"},
        ),
        Webinar(
            id="w2",
            title="W2",
            room="r1",
            starts_at="2020-04-27T11:00+03:00",
            ends_at="2020-04-27T11:30+03:00",
            registered=2,
        ),
    ]
    return Exhibition(
        name="Small",
        floor_plan=FloorPlan(junctions=junctions, alleys=alleys, entrance="j0"),
        exhibitors=exhibitors,
        stands=stands,
        rooms=rooms,
        webinars=webinars,
    )


def test_values_refuse_bad_input() -> None:
    with pytest.raises(InvalidValueError, match="a regional system needs its region"):
        Exhibitor(id="x", name="X", kind="regional-system")
    with pytest.raises(InvalidValueError, match=r"Exhibitor\.kind"):
        Exhibitor(id="x", name="X", kind="shop")
    with pytest.raises(UnknownRegionError, match=r"Exhibitor\.region"):
        Exhibitor(id="x", name="X", kind="business", region="Atlantis")
    with pytest.raises(InvalidValueError, match=r"Alley\.length"):
        Alley(id="x", name="X", start="a", end="b", length=0)
    with pytest.raises(InvalidValueError, match=r"Stand\.offset"):
        Stand(id="s", name="S", exhibitor="e", alley="a", offset=-1)
    with pytest.raises(InvalidValueError, match=r"Stand\.offset"):
        Stand(id="s", name="S", exhibitor="e", alley="a", offset=float("nan"))
    with pytest.raises(InvalidValueError, match=r"Stand\.clusters"):
        Stand(id="s", name="S", exhibitor="e", alley="a", offset=1, clusters="digital")
    with pytest.raises(InvalidValueError, match=r"Stand\.contacts"):
        Stand(id="s", name="S", exhibitor="e", alley="a", offset=1, contacts=["Анна"])  # type: ignore[list-item] # wrong on purpose
    with pytest.raises(InvalidValueError, match=r"Stand\.opening_hours"):
        Stand(
            id="s",
            name="S",
            exhibitor="e",
            alley="a",
            offset=1,
            opening_hours=[hours("10:00", "12:00"), hours("11:00", "13:00")],
        )
    with pytest.raises(InvalidValueError, match=r"Stand\.opening_hours"):
        Stand(id="s", name="S", exhibitor="e", alley="a", offset=1, opening_hours=["10:00"])  # type: ignore[list-item] # wrong on purpose
    with pytest.raises(InvalidValueError, match=r"Video\.duration"):
        Video(title="V", duration=dt.timedelta(0))
    with pytest.raises(InvalidValueError, match=r"WebinarRoom\.capacity"):
        WebinarRoom(id="r", name="R", stand="s", capacity=0)
    with pytest.raises(InvalidValueError, match=r"Webinar\.ends_at"):
        Webinar(id="w", title="W", room="r", starts_at=MORNING, ends_at=MORNING)
    with pytest.raises(InvalidValueError, match=r"Webinar\.registered"):
        Webinar(
            id="w",
            title="W",
            room="r",
            starts_at=MORNING,
            ends_at="2020-04-27T11:00+03:00",
            registered=-1,
        )
    with pytest.raises(InvalidValueError, match="Junction"):
        Junction(id="j", x=float("inf"))
    with pytest.raises(InvalidValueError, match=r"Stand\.name"):
        Stand(id="s", name=" ", exhibitor="e", alley="a", offset=1)
    with pytest.raises(InvalidValueError, match=r"Contact\.name"):
        Contact(name="")
    with pytest.raises(InvalidValueError, match=r"FloorPlan\.alleys"):
        FloorPlan(junctions=[], alleys=["a"], entrance="j")  # type: ignore[list-item] # wrong on purpose
    with pytest.raises(InvalidValueError, match=r"FloorPlan\.junctions"):
        FloorPlan(junctions=["j"], alleys=[], entrance="j")  # type: ignore[list-item] # wrong on purpose


def test_integrity_lists_every_problem() -> None:
    expo = small()
    plan = expo.floor_plan
    broken_plan = attrs.evolve(
        plan,
        alleys=(
            *plan.alleys,
            Alley(id="loop", name="Loop", start="j1", end="j1", length=5),
            Alley(id="x", name="X", start="j9", end="j0", length=5),
        ),
        entrance="nowhere",
    )
    island = FloorPlan(
        junctions=(*plan.junctions, Junction(id="i1"), Junction(id="i2")),
        alleys=(*plan.alleys, Alley(id="isle", name="Isle", start="i1", end="i2", length=10)),
        entrance="j0",
    )
    with pytest.raises(ModelError) as caught:
        Exhibition(
            name="Broken",
            floor_plan=broken_plan,
            exhibitors=(*expo.exhibitors, expo.exhibitors[0]),
            stands=(
                *expo.stands,
                Stand(id="d", name="D", exhibitor="ghost", alley="south", offset=10),
                Stand(id="e", name="E", exhibitor="biz", alley="nowhere", offset=1),
                Stand(id="f", name="F", exhibitor="biz", alley="east", offset=150),
                Stand(id="j0", name="J", exhibitor="biz", alley="east", offset=5),
            ),
            rooms=(*expo.rooms, WebinarRoom(id="r2", name="R2", stand="zzz", capacity=3)),
            webinars=(
                *expo.webinars,
                Webinar(
                    id="w3",
                    title="W3",
                    room="r1",
                    starts_at="2020-04-27T10:45+03:00",
                    ends_at="2020-04-27T11:15+03:00",
                ),
                Webinar(
                    id="w4",
                    title="W4",
                    room="ghost",
                    starts_at=MORNING,
                    ends_at="2020-04-27T11:00+03:00",
                ),
            ),
        )
    problems = caught.value.problems
    expected = [
        "exhibitors[2].id: duplicate id 'biz'",
        "floor_plan.entrance: unknown junction 'nowhere'",
        "floor_plan.alleys[4] ('loop'): starts where it ends",
        "floor_plan.alleys[5] ('x'): unknown junction 'j9'",
        "stands and junctions share ids ['j0']",
        "stands[3] ('d').exhibitor: unknown exhibitor 'ghost'",
        "stands[3] ('d'): stands 'a' and 'd' are in one place (10 m along 'south')",
        "stands[4] ('e').alley: unknown alley 'nowhere'",
        "stands[5] ('f').offset: 150 m is beyond the end of alley 'east' (100 m)",
        "rooms[1] ('r2').stand: unknown stand 'zzz'",
        "webinars[3] ('w4').room: unknown room 'ghost'",
        "webinars 'w1' and 'w3' overlap in room 'r1'",
        "webinars 'w3' and 'w2' overlap in room 'r1'",
    ]
    assert sorted(problems) == sorted(expected)
    with pytest.raises(ModelError, match=r"'far'.*unreachable from the entrance"):
        Exhibition(
            name="Island",
            floor_plan=island,
            exhibitors=expo.exhibitors,
            stands=(
                *expo.stands,
                Stand(id="far", name="Far", exhibitor="biz", alley="isle", offset=5),
            ),
        )
    with pytest.raises(InvalidValueError, match=r"Exhibition\.stands\[0\]"):
        Exhibition(name="X", floor_plan=plan, exhibitors=[], stands=["a"])  # type: ignore[list-item] # wrong on purpose


def test_lookups() -> None:
    expo = small()
    assert expo.stand("a").name == "A"
    assert expo.exhibitor("sam").region == "RU-SAM"
    assert expo.room("r1").capacity == 2
    assert expo.webinar("w1").interval.duration == dt.timedelta(minutes=30)
    assert expo.alley("east").length == 100
    assert [s.id for s in expo.stands_of("regional-system")] == ["b"]
    assert [s.id for s in expo.stands_of(ExhibitorKind.BUSINESS)] == ["a", "c"]
    for lookup in (expo.stand, expo.exhibitor, expo.room, expo.webinar, expo.alley):
        with pytest.raises(UnknownIdError):
            lookup("zzz")
    with pytest.raises(UnknownIdError, match="place"):
        expo.walk("zzz", "a")


def test_walks_take_the_shorter_way_round() -> None:
    expo = small()
    assert expo.metres("a", "b") == 80
    walk = expo.walk("j0", "c")  # west then north: 100 + 50
    assert (walk.metres, walk.alleys) == (150, ("west", "north"))
    assert expo.walk("a", "a").metres == 0
    assert expo.walk("b", "c").alleys == ("south", "east", "north")
    assert expo.metres("b", "c") == 10 + 100 + 50


@given(mst.exhibitions())
def test_dijkstra_agrees_with_floyd_warshall(expo: Exhibition) -> None:
    places = [j.id for j in expo.floor_plan.junctions] + [s.id for s in expo.stands]
    inf = float("inf")
    dist = {(a, b): (0.0 if a == b else inf) for a in places for b in places}
    by_alley: dict[str, list[tuple[float, str]]] = {}
    for stand in expo.stands:
        by_alley.setdefault(stand.alley, []).append((stand.offset, stand.id))
    for alley in expo.floor_plan.alleys:
        points = [
            (0.0, alley.start),
            *sorted(by_alley.get(alley.id, [])),
            (alley.length, alley.end),
        ]
        for (low, a), (high, b) in itertools.pairwise(points):
            dist[a, b] = dist[b, a] = min(dist[a, b], high - low)
    for k in places:
        for i in places:
            for j in places:
                dist[i, j] = min(dist[i, j], dist[i, k] + dist[k, j])
    for a in places:
        for b in places:
            if dist[a, b] < inf:
                assert expo.metres(a, b) == pytest.approx(dist[a, b])


def test_plan_route_times_the_visitors_own_order() -> None:
    expo = small()
    visitor = Visitor(
        available=hours("10:00", "12:00"),
        interests={"digital": 2, "higher": 3, "robotics": 1},
        speed=1.0,
    )
    route = plan_route(expo, visitor, ["a", "w1", "b"])
    a, w1, b = route.stops
    assert (a.kind, a.metres, a.alleys) == ("stand", 10, ("south",))
    assert a.arrives_at == hours("10:00", "12:00").start + dt.timedelta(seconds=10)
    assert a.ends_at - a.starts_at == dt.timedelta(minutes=5)  # no video: the default visit
    assert (w1.kind, w1.stand) == ("webinar", "c")
    assert w1.starts_at == expo.webinar("w1").starts_at
    assert w1.waits > dt.timedelta(0)
    assert b.starts_at == b.arrives_at == w1.ends_at + dt.timedelta(seconds=160)
    assert b.waits == dt.timedelta(0)
    (early,) = plan_route(expo, visitor, ["b"]).stops
    assert early.starts_at == hours("11:00", "12:00").start  # waits for the stand to open
    assert early.waits == dt.timedelta(minutes=58, seconds=30)
    assert b.ends_at - b.starts_at == dt.timedelta(minutes=10)  # its video
    assert route.feasible
    assert route.interest == 2 + 3 * 2 + 1  # a 30-minute webinar is worth twice its labels
    assert route.ends_at == b.ends_at
    text = route.to_text("Europe/Moscow")
    assert text.splitlines()[0] == "10:00–10:05  A [a] (10 m walk)"
    assert text.splitlines()[1] == "10:30–11:00  Webinar: W1 [w1] (160 m walk)"
    assert route.to_text("Europe/Moscow", "ru").splitlines()[-1] == "Интерес маршрута: 9"


@pytest.mark.parametrize(
    ("stops", "available", "codes"),
    [
        (["w2"], ("10:00", "12:00"), ["room-full"]),
        (["b", "w1"], ("11:00", "12:00"), ["webinar-missed"]),
        (["b"], ("11:55", "14:00"), ["stand-closed"]),
        (["a", "c"], ("10:00", "10:06"), ["out-of-time"]),
    ],
)
def test_plan_route_reports_what_does_not_work(
    stops: list[str], available: tuple[str, str], codes: list[str]
) -> None:
    visitor = Visitor(available=hours(*available), interests={"digital": 1})
    route = plan_route(small(), visitor, stops)
    assert [v.code for v in route.report.violations] == codes
    assert set(codes) <= set(ROUTE_CODES)
    assert not route.feasible
    assert all(v.message("ru") for v in route.report.violations)


def test_plan_route_refuses_unknown_stops_and_counts_each_stop_once() -> None:
    visitor = Visitor(available=hours("10:00", "12:00"), interests={"digital": 1})
    with pytest.raises(UnknownIdError, match="stand or webinar"):
        plan_route(small(), visitor, ["zzz"])
    with pytest.raises(InvalidValueError, match="stops"):
        plan_route(small(), visitor, "a")
    assert plan_route(small(), visitor, ["a", "a"]).interest == 1
    assert plan_route(small(), visitor, []).ends_at == visitor.available.start


def test_visitor_refuses_bad_input() -> None:
    span = hours("10:00", "12:00")
    with pytest.raises(InvalidValueError, match=r"Visitor\.speed"):
        Visitor(available=span, speed=0)
    with pytest.raises(InvalidValueError, match=r"Visitor\.interests"):
        Visitor(available=span, interests={"digital": -1})
    with pytest.raises(InvalidValueError, match=r"Visitor\.interests"):
        Visitor(available=span, interests={"": 1})
    with pytest.raises(InvalidValueError, match=r"Visitor\.must_visit"):
        Visitor(available=span, must_visit="a")
    with pytest.raises(InvalidValueError, match=r"Visitor\.default_visit"):
        Visitor(available=span, default_visit=dt.timedelta(0))


def test_suggest_route_on_the_small_map() -> None:
    expo = small()
    visitor = Visitor(
        available=hours("10:00", "12:00"),
        interests={"digital": 2, "higher": 3, "robotics": 1},
        speed=1.0,
    )
    route = suggest_route(expo, visitor, max_iterations=300)
    assert route.feasible
    assert {s.id for s in route.stops} == {"a", "w1", "b", "c"}
    assert route.interest == 2 + 3 * 2 + 1 + 3
    again = suggest_route(expo, visitor, max_iterations=300)
    assert again == route


def test_suggest_route_honours_must_visit() -> None:
    expo = small()
    visitor = Visitor(available=hours("11:00", "11:20"), interests={"higher": 5}, must_visit={"b"})
    route = suggest_route(expo, visitor, max_iterations=200)
    assert "b" in [s.id for s in route.stops]
    assert route.feasible
    closed = Visitor(available=hours("10:00", "10:30"), interests={"higher": 5}, must_visit={"b"})
    with pytest.raises(InvalidValueError, match="not open long enough"):
        suggest_route(expo, closed, max_iterations=50)
    with pytest.raises(UnknownIdError):
        suggest_route(expo, attrs.evolve(visitor, must_visit={"zzz"}), max_iterations=50)


@given(st.data())
def test_every_suggested_itinerary_is_feasible(data: st.DataObject) -> None:
    expo = data.draw(mst.exhibitions())
    visitor = data.draw(mst.visitors(expo))
    route = suggest_route(expo, visitor, seed=data.draw(st.integers(0, 3)), max_iterations=60)
    assert route.feasible, route.report.to_text()
    assert len({s.id for s in route.stops}) == len(route.stops)
    assert route.interest == pytest.approx(sum(s.interest for s in route.stops))
    assert all(s.interest > 0 for s in route.stops)


def test_sample_exhibition() -> None:
    expo = exhibition_2020()
    assert len(expo.stands) == 130
    kinds = {expo.exhibitor(s.exhibitor).kind for s in expo.stands}
    assert kinds == set(ExhibitorKind)
    assert all(expo.exhibitor(s.exhibitor).region for s in expo.stands_of("regional-system"))
    clustered = {a.cluster for a in expo.floor_plan.alleys if a.cluster}
    assert len(clustered) == 10
    assert all(expo.alley(s.alley).cluster in s.clusters for s in expo.stands)
    days = {w.starts_at.in_tz("Europe/Moscow").date() for w in expo.webinars}
    assert min(days) <= dt.date(2020, 4, 29)
    assert max(days) >= dt.date(2020, 4, 30)
    assert any(w.registered >= expo.room(w.room).capacity for w in expo.webinars)
    assert exhibition_2020() == exhibition_2020(seed=2020)
    assert exhibition_2020(seed=1) != expo


def test_a_webinar_reached_after_its_end_does_not_turn_the_clock_back() -> None:
    # regression: the stop started after it ended and the next walk began in the past
    expo = small()
    visitor = Visitor(available=hours("11:10", "12:00"), interests={"higher": 1})
    route = plan_route(expo, visitor, ["w1", "a"])
    late, after = route.stops
    assert late.starts_at == late.ends_at == late.arrives_at  # nothing left of it
    assert after.arrives_at > late.ends_at
    assert [v.code for v in route.report.violations] == ["webinar-missed"]
    full = plan_route(expo, Visitor(available=hours("10:00", "12:00")), ["w2"]).stops[0]
    assert full.starts_at == full.ends_at == full.arrives_at  # turned away at the door


def test_empty_itinerary_text() -> None:
    empty = plan_route(small(), Visitor(available=hours("10:00", "11:00")), [])
    assert empty.to_text("Europe/Moscow") == "Nothing fits.\nInterest of the route: 0"
    assert empty.to_text("Europe/Moscow", "ru").startswith("Ничего не подходит.")
    with pytest.raises(InvalidValueError, match="locale"):
        empty.to_text("Europe/Moscow", "de")  # type: ignore[arg-type] # wrong on purpose


def test_the_exhibition_zone_is_an_iana_zone_not_a_fixed_offset() -> None:
    # regression: a fixed offset was stored as "UTC+03:00", a name nothing resolves
    with pytest.raises(InvalidValueError, match="IANA zone"):
        attrs.evolve(exhibition_2020(), zone=dt.timezone(dt.timedelta(hours=3)))
    assert attrs.evolve(exhibition_2020(), zone="Asia/Omsk").zone == "Asia/Omsk"
