"""matplotlib plots of a programme: what they draw agrees with the frames."""

import datetime as dt
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

from mmso_core import MissingExtraError, UnknownZoneError
from mmso_core.errors import InvalidValueError
from mmso_core.io.frames import load_frame, russian_zones, sessions_frame, start_hours_frame
from mmso_core.io.plots import FORMAT_COLOURS, parallel_load, programme_grid, start_heatmap
from mmso_core.samples import mmso_2020
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
