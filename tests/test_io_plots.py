"""matplotlib plots of a programme: what they draw agrees with the frames."""

import datetime as dt
import io
import sys
from typing import Any

import attrs
import matplotlib

matplotlib.use("Agg")  # no display in tests; the plots themselves never pick a backend

import numpy as np
import pandas as pd  # type: ignore[import-untyped,unused-ignore] # no pandas-stubs in dev
import pytest
from hypothesis import given, settings
from matplotlib import dates as mdates
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle

from mmso_core import ManualClock, MissingExtraError, UnknownZoneError
from mmso_core.errors import InvalidValueError
from mmso_core.io.frames import (
    audit_frame,
    load_frame,
    sessions_frame,
    start_hours_frame,
)
from mmso_core.io.plots import (
    FORMAT_COLOURS,
    OUTCOME_COLOURS,
    moderation_outcomes,
    parallel_load,
    programme_grid,
    start_heatmap,
)
from mmso_core.moderation import AuditEntry, MessageKind, Moderator, Policy
from mmso_core.regions import russian_zones
from mmso_core.samples import chat_2020, mmso_2020
from mmso_core.schedule import Channel, IntensityPolicy, Programme, Salon, Session, SessionFormat
from mmso_core.testing import strategies as mst

SAMPLE = mmso_2020()
date2num: Any = mdates.date2num  # untyped in matplotlib


def _bars(axes: object) -> list[Rectangle]:
    return [p for p in axes.patches if isinstance(p, Rectangle)]  # type: ignore[attr-defined] # an Axes


def _hours(series: pd.Series) -> pd.Series:
    return series.dt.hour + series.dt.minute / 60 + series.dt.second / 3600


# --- programme_grid ---------------------------------------------------------------


def test_grid_has_one_axes_per_local_day() -> None:
    figure = programme_grid(SAMPLE)
    assert isinstance(figure, Figure)
    frame = sessions_frame(SAMPLE, zone=SAMPLE.salon.zone)
    days = sorted(set(frame["starts_at"].dt.date))
    assert len(figure.axes) == len(days) == 13
    assert [a.get_title() for a in figure.axes] == [f"{d.isoformat()} ({d:%A})" for d in days]
    assert figure.axes[-1].get_xlabel() == "local time, hours (Europe/Moscow)"
    names = [c.name for c in SAMPLE.channels]
    for axes in figure.axes:
        assert [t.get_text() for t in axes.get_yticklabels()] == names
        assert axes.get_ylabel() == "channel"
    assert sum(len(_bars(a)) for a in figure.axes) == len(SAMPLE.sessions)


def test_grid_bars_agree_with_the_frame() -> None:
    day = dt.date(2020, 4, 29)
    figure = programme_grid(SAMPLE, days=[day])
    (axes,) = figure.axes
    frame = sessions_frame(SAMPLE, zone="Europe/Moscow")
    today = frame[frame["starts_at"].dt.date == day]
    bars = _bars(axes)
    assert len(bars) == len(today)
    rows = {c.id: n for n, c in enumerate(SAMPLE.channels)}
    drawn = sorted((b.get_x(), b.get_width(), b.get_y() + b.get_height() / 2) for b in bars)
    expected = sorted(
        zip(
            _hours(today["starts_at"]),
            today["duration"] / pd.Timedelta(hours=1),
            [rows[str(c)] for c in today["channel"]],
            strict=True,
        )
    )
    assert np.allclose(drawn, expected)
    samara = today[today["id"] == "samara-round-table"].iloc[0]
    row = rows[str(samara["channel"])]
    bar = next(
        b
        for b in bars
        if np.isclose(b.get_x(), 17 + 20 / 60) and np.isclose(b.get_y() + b.get_height() / 2, row)
    )
    assert to_hex(bar.get_facecolor()) == FORMAT_COLOURS[str(samara["format"])]
    assert np.isclose(bar.get_width(), 1.5)


def test_grid_legend_names_the_formats_shown() -> None:
    figure = programme_grid(SAMPLE)
    (legend,) = figure.legends
    shown = {s.format.value for s in SAMPLE.sessions}
    assert [t.get_text() for t in legend.get_texts()] == [
        f.value for f in SessionFormat if f.value in shown
    ]


def test_grid_in_another_zone_moves_the_bars() -> None:
    frame = sessions_frame(SAMPLE, zone="Asia/Vladivostok")
    figure = programme_grid(SAMPLE, zone="Asia/Vladivostok", days=["2020-04-30"])
    today = frame[frame["starts_at"].dt.date == dt.date(2020, 4, 30)]
    assert len(_bars(figure.axes[0])) == len(today)
    assert figure.axes[0].get_xlabel() == "local time, hours (Asia/Vladivostok)"
    # the Samara round table starts at 17:20 Moscow time, 00:20 in Vladivostok the next day
    assert any(np.isclose(b.get_x(), 20 / 60) for b in _bars(figure.axes[0]))


def test_grid_hatches_relays() -> None:
    relays = [s for s in SAMPLE.sessions if s.relay_of is not None]
    assert relays
    day = relays[0].starts_at.in_tz("Europe/Moscow").date()
    figure = programme_grid(SAMPLE, days=[day.isoformat()])
    hatched = [b for b in _bars(figure.axes[0]) if b.get_hatch()]
    assert len(hatched) == sum(
        1 for s in relays if s.starts_at.in_tz("Europe/Moscow").date() == day
    )


def test_grid_into_given_axes() -> None:
    figure = Figure()
    ax = figure.subplots()
    returned = programme_grid(SAMPLE, days=["2020-05-04"], ax=ax)
    assert returned is figure
    assert ax.get_title() == "2020-05-04 (Monday)"
    assert len(_bars(ax)) == len(SAMPLE.sessions_on("2020-05-04"))
    assert not figure.legends  # the caller owns the figure's legend


def test_grid_with_a_day_without_sessions_and_an_empty_programme() -> None:
    figure = programme_grid(SAMPLE, days=["2020-06-01"])
    assert len(figure.axes) == 1
    assert _bars(figure.axes[0]) == []
    empty = Programme(salon=Salon(name="S"), people=[], channels=[], sessions=[])
    figure = programme_grid(empty)
    assert [a.get_title() for a in figure.axes] == ["no sessions"]


def test_grid_refuses_bad_arguments() -> None:
    ax = Figure().subplots()
    with pytest.raises(InvalidValueError, match="ax"):
        programme_grid(SAMPLE, ax=ax)  # 13 days into one axes
    with pytest.raises(InvalidValueError, match="days"):
        programme_grid(SAMPLE, days=["29 April"])
    with pytest.raises(InvalidValueError, match="days"):
        programme_grid(SAMPLE, days=[dt.datetime(2020, 4, 29, tzinfo=dt.UTC)])
    with pytest.raises(InvalidValueError, match="programme"):
        programme_grid([])  # type: ignore[arg-type] # the error under test
    with pytest.raises(UnknownZoneError):
        programme_grid(SAMPLE, zone="Mars/Olympus")


@settings(max_examples=15)
@given(mst.programmes(max_sessions=10))
def test_grid_of_any_programme_draws_every_session(programme: Programme) -> None:
    figure = programme_grid(programme)
    frame = sessions_frame(programme, zone=programme.salon.zone)
    assert len(figure.axes) == max(frame["starts_at"].dt.date.nunique(), 1)
    assert sum(len(_bars(a)) for a in figure.axes) == len(programme.sessions)


# --- parallel_load ----------------------------------------------------------------


def test_load_bars_agree_with_the_load_frame() -> None:
    figure = parallel_load(SAMPLE)
    (axes,) = figure.axes
    load = load_frame(SAMPLE, zone="Europe/Moscow")
    bars = _bars(axes)
    assert len(bars) == len(load) == 312
    assert [b.get_height() for b in bars] == list(load["live"])
    expected_x = date2num([h.to_pydatetime() for h in load["hour"]])
    assert np.allclose([b.get_x() for b in bars], expected_x)
    assert np.allclose([b.get_width() for b in bars], 1 / 24)
    assert axes.get_ylabel() == "sessions live at once"
    assert axes.get_xlabel() == "local time (Europe/Moscow)"
    assert axes.get_title() == "Parallel load per hour"


def test_load_draws_one_cap_line_per_phase() -> None:
    axes = parallel_load(SAMPLE).axes[0]
    assert [line.get_label() for line in axes.lines] == [
        f"cap: {p.name}" for p in SAMPLE.salon.phases
    ]
    for line, phase in zip(axes.lines, SAMPLE.salon.phases, strict=True):
        assert list(line.get_ydata()) == [phase.policy.max_parallel] * 2  # type: ignore[arg-type] # a sequence
        span = phase.interval(SAMPLE.salon.zone)
        assert np.allclose(line.get_xdata(), date2num([span.start, span.end]))
    legend = axes.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()][-1] == "live"


def test_load_colours_hours_over_the_cap() -> None:
    crowded = Programme(
        salon=SAMPLE.salon,
        people=[],
        channels=SAMPLE.channels,
        sessions=[
            Session(
                id=f"s{n}",
                title="Talk",
                format="round-table",
                starts_at="2020-05-04T12:00+03:00",
                ends_at="2020-05-04T13:00+03:00",
                channel=SAMPLE.channels[n].id,
            )
            for n in range(4)  # the continuation allows 3
        ],
    )
    load = load_frame(crowded, zone="Europe/Moscow")
    bars = _bars(parallel_load(crowded).axes[0])
    red = [to_hex(b.get_facecolor()) == "#d62728" for b in bars]
    assert red == list(load["over"])
    assert sum(red) == 1


def test_load_without_a_cap_draws_no_cap_line() -> None:
    phases = [attrs.evolve(p, policy=IntensityPolicy()) for p in SAMPLE.salon.phases]
    uncapped = attrs.evolve(SAMPLE, salon=attrs.evolve(SAMPLE.salon, phases=phases))
    axes = parallel_load(uncapped).axes[0]
    assert len(axes.lines) == 0
    assert [b.get_height() for b in _bars(axes)] == list(load_frame(uncapped)["live"])


def test_load_into_given_axes() -> None:
    figure = Figure()
    ax = figure.subplots()
    assert parallel_load(SAMPLE, ax=ax) is figure
    assert len(_bars(ax)) == 312


@settings(max_examples=15)
@given(mst.programmes(max_sessions=10))
def test_load_of_any_programme(programme: Programme) -> None:
    axes = parallel_load(programme).axes[0]
    load = load_frame(programme)
    assert [b.get_height() for b in _bars(axes)] == list(load["live"])
    assert len(axes.lines) == len(programme.salon.phases)  # every strategy phase has a cap


# --- start_heatmap ----------------------------------------------------------------


def test_heatmap_cells_are_the_start_hours_frame() -> None:
    figure = start_heatmap(SAMPLE)
    assert len(figure.axes) == 2  # the heatmap and its colour bar
    axes = figure.axes[0]
    (image,) = axes.images
    assert isinstance(image, AxesImage)
    hours = start_hours_frame(SAMPLE)
    assert np.array_equal(np.asarray(image.get_array()), hours.to_numpy())
    assert [t.get_text() for t in axes.get_yticklabels()] == list(hours.index)
    assert [t.get_text() for t in axes.get_xticklabels()] == [str(h) for h in range(24)]
    assert axes.get_xlabel() == "local hour"
    assert axes.get_ylabel() == "zone"
    assert figure.axes[1].get_ylabel() == "sessions"
    assert len(hours) == len(russian_zones())


def test_heatmap_for_chosen_zones_into_given_axes() -> None:
    figure = Figure()
    ax = figure.subplots()
    assert start_heatmap(SAMPLE, zones=["Asia/Kamchatka", "Europe/Kaliningrad"], ax=ax) is figure
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Europe/Kaliningrad",
        "Asia/Kamchatka",
    ]
    cells = np.asarray(ax.images[0].get_array())
    assert cells.shape == (2, 24)
    originals = sum(1 for s in SAMPLE.sessions if s.relay_of is None)
    assert (cells.sum(axis=1) == originals).all()


@settings(max_examples=15)
@given(mst.programmes(max_sessions=10))
def test_heatmap_of_any_programme(programme: Programme) -> None:
    axes = start_heatmap(programme).axes[0]
    cells = np.asarray(axes.images[0].get_array())
    assert np.array_equal(cells, start_hours_frame(programme).to_numpy())


# --- moderation_outcomes -----------------------------------------------------------

DECISIONS = ("publish", "mask-and-publish", "hold", "block")


def _moderated_chat() -> Moderator:
    """The sample chat, moderated with the clock following it; the expert approves questions."""
    chat = chat_2020()
    clock = ManualClock(at=chat[0].sent_at)
    moderator = Moderator(Policy.default(), clock=clock)
    for message in chat:
        clock.advance(message.sent_at - clock.now())
        held = moderator.submit(message).action.value == "hold"
        if held and message.kind is MessageKind.QUESTION:
            moderator.approve(message.id, by="expert", role="chat-expert")
    return moderator


MODERATED = _moderated_chat()


def _by_bin(log: tuple[AuditEntry, ...], seconds: int) -> dict[str, dict[float, int]]:
    """Per decision (and "actions"): bin start as a matplotlib date -> entries, by hand."""
    counts: dict[str, dict[float, int]] = {name: {} for name in (*DECISIONS, "actions")}
    for entry in log:
        start = dt.datetime.fromtimestamp(int(entry.at.timestamp()) // seconds * seconds, tz=dt.UTC)
        decided = entry.action == "submit" and entry.outcome in DECISIONS
        bins = counts[entry.outcome if decided else "actions"]
        key = float(date2num(start))
        bins[key] = bins.get(key, 0) + 1
    return counts


def _containers(axes: Any) -> dict[str, Any]:
    """An axes' bar containers by label (untyped: a BarContainer's ``patches``)."""
    return {str(c.get_label()): c for c in axes.containers}


def _legend(axes: Any) -> list[str]:
    return [text.get_text() for text in axes.get_legend().get_texts()]


def test_outcome_bars_are_the_counts_of_the_log() -> None:
    log = MODERATED.audit()
    figure = moderation_outcomes(MODERATED, zone="Europe/Samara")
    (axes,) = figure.axes
    containers = _containers(axes)
    assert list(containers) == list(DECISIONS)
    by_hand = _by_bin(log, 300)
    bottoms = np.zeros(len(containers["publish"].patches))
    for name in DECISIONS:
        bars = containers[name].patches
        assert len(bars) == len(bottoms) == 19  # bins from 17:20 to 18:50 Moscow time
        heights = {round(bar.get_x(), 9): bar.get_height() for bar in bars}
        expected = {round(x, 9): n for x, n in by_hand[name].items()}
        assert {x: h for x, h in heights.items() if h} == expected, name
        assert [bar.get_y() for bar in bars] == pytest.approx(list(bottoms))
        assert all(bar.get_width() == pytest.approx(5 / 1440) for bar in bars)
        assert to_hex(bars[0].get_facecolor()) == OUTCOME_COLOURS[name]
        bottoms += [bar.get_height() for bar in bars]
    assert bottoms.sum() == sum(entry.action == "submit" for entry in log) == 198
    (line,) = axes.lines
    xs, ys = (np.asarray(values, dtype=float) for values in line.get_data())
    middles = {round(float(x) - 2.5 / 1440, 9): int(y) for x, y in zip(xs, ys, strict=True)}
    expected = {round(x, 9): n for x, n in by_hand["actions"].items()}
    assert {x: n for x, n in middles.items() if n} == expected
    assert sum(ys) == sum(entry.action == "approve" for entry in log) == 40


def test_outcome_plot_labels_and_legend() -> None:
    figure = moderation_outcomes(MODERATED, zone="Europe/Samara")
    axes = figure.axes[0]
    assert axes.get_title() == "Moderation outcomes per 5min"
    assert axes.get_xlabel() == "time (Europe/Samara)"
    assert axes.get_ylabel() == "messages submitted"
    assert _legend(axes) == [*DECISIONS, "moderator actions"]
    quiet = moderation_outcomes(MODERATED, freq=dt.timedelta(hours=1), actions=False).axes[0]
    assert quiet.get_title() == "Moderation outcomes per 1h"
    assert quiet.get_xlabel() == "time (UTC)"
    assert not quiet.lines
    assert _legend(quiet) == list(DECISIONS)
    bars = _containers(quiet)
    assert [len(bars[name].patches) for name in DECISIONS] == [2, 2, 2, 2]  # 14:00, 15:00 UTC


def test_outcome_plot_of_a_frame_into_given_axes() -> None:
    frame = audit_frame(MODERATED, zone="Asia/Vladivostok")
    figure = Figure()
    axes = figure.subplots()
    assert moderation_outcomes(frame, freq="15min", ax=axes) is figure
    assert axes.get_xlabel() == "time (Asia/Vladivostok)"
    bars = _containers(axes)
    heights = [sum(b.get_height() for b in bars[name].patches) for name in DECISIONS]
    assert heights == [frame["outcome"].value_counts()[name] for name in DECISIONS]
    figure.savefig(io.BytesIO(), format="png")


def test_outcome_plot_of_an_empty_log_and_bad_arguments() -> None:
    axes = moderation_outcomes([]).axes[0]
    assert [len(c.patches) for c in _containers(axes).values()] == [0, 0, 0, 0]
    assert not axes.lines
    with pytest.raises(InvalidValueError, match="freq"):
        moderation_outcomes(MODERATED, freq="often")
    with pytest.raises(InvalidValueError, match="actions"):
        moderation_outcomes(MODERATED, actions="yes")  # type: ignore[arg-type] # under test
    with pytest.raises(InvalidValueError, match="entries"):
        moderation_outcomes(SAMPLE)  # not a log (pandas being untyped, mypy lets it through)
    with pytest.raises(UnknownZoneError):
        moderation_outcomes(MODERATED, zone="Mars/Olympus")


# --- the extra ---------------------------------------------------------------------


def test_without_matplotlib_a_call_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)  # makes the import fail
    programme = Programme(
        salon=Salon(name="S"),
        people=[],
        channels=[Channel(id="c", name="C")],
        sessions=[],
    )
    with pytest.raises(MissingExtraError, match=r"mmso_core\[plot\]"):
        start_heatmap(programme)
