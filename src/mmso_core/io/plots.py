"""Plots with matplotlib (extra ``[plot]``): grid, parallel load, start hours, moderation.

Each function draws from the frames of [`mmso_core.io.frames`][mmso_core.io.frames],
so what a plot shows is exactly what the frame holds, and returns a
``matplotlib.figure.Figure``. Figures are built with matplotlib's object-oriented API:
nothing here calls ``pyplot``, picks a backend or shows a window (a notebook shows
the returned figure; a script calls ``figure.savefig``). Functions that draw one axes
take an optional ``ax`` to draw into instead of a new figure.

matplotlib and pandas are imported on the first call, not with the module; without
them a call raises [`MissingExtraError`][mmso_core.MissingExtraError] naming the extra.

>>> from mmso_core.io.plots import start_heatmap
>>> from mmso_core.samples import mmso_2020
>>> figure = start_heatmap(mmso_2020())
>>> figure.axes[0].get_xlabel()
'local hour'
"""

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from mmso_core._optional import require
from mmso_core._time import ZoneLike, zone_name
from mmso_core.errors import InvalidValueError
from mmso_core.io.frames import (
    SUBMISSION_OUTCOMES,
    _check,
    _offset,
    _pandas,
    load_frame,
    outcomes_frame,
    sessions_frame,
    start_hours_frame,
)
from mmso_core.moderation import AuditEntry, Moderator
from mmso_core.schedule import Programme, SessionFormat
from mmso_core.schedule._model import _date

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore] # pandas ships no py.typed; pandas-stubs is not a dependency
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FORMAT_COLOURS",
    "OUTCOME_COLOURS",
    "moderation_outcomes",
    "parallel_load",
    "programme_grid",
    "start_heatmap",
]

_TAB20: Final = (
    "#1f77b4",
    "#aec7e8",
    "#ff7f0e",
    "#ffbb78",
    "#2ca02c",
    "#98df8a",
    "#d62728",
    "#ff9896",
    "#9467bd",
    "#c5b0d5",
    "#8c564b",
    "#c49c94",
    "#e377c2",
)
FORMAT_COLOURS: Final = {f.value: _TAB20[n] for n, f in enumerate(SessionFormat)}
"""The colour of each session format's bars in `programme_grid` (matplotlib's tab20)."""

OUTCOME_COLOURS: Final = dict(
    zip(SUBMISSION_OUTCOMES, ("#2ca02c", "#bcbd22", "#1f77b4", "#d62728"), strict=True)
)
"""The colour of each decision in `moderation_outcomes`, stacked in this order."""

_OVER: Final = "#d62728"
_UNDER: Final = "#1f77b4"
_HOUR: Final = _dt.timedelta(hours=1)


def _figure(**options: Any) -> "Figure":
    module = require("matplotlib.figure", extra="plot", feature="programme plots")
    figure: Figure = module.Figure(layout="constrained", **options)
    return figure


def _root(ax: "Axes") -> "Figure":
    figure = ax.get_figure(root=True)
    assert figure is not None  # an Axes is made by and for a figure
    return figure


def _wall_hours(series: Any) -> Any:
    """Local wall-clock time of day as fractional hours (09:30 -> 9.5)."""
    return series.dt.hour + series.dt.minute / 60 + series.dt.second / 3600


def programme_grid(
    programme: Programme,
    *,
    zone: ZoneLike | None = None,
    days: Iterable[_dt.date | str] | None = None,
    ax: "Axes | None" = None,
) -> "Figure":
    """The programme grid: channels by local time of day, one axes per local day.

    Each session is one horizontal bar in its channel's row, from its local start
    (hours after midnight on the wall clock) for its duration, coloured by format
    (`FORMAT_COLOURS`); relays are hatched. Rows are the programme's channels, the
    first one on top. A new figure gets a legend naming the formats shown (with
    ``ax``, the figure is the caller's and gets no legend).

    Args:
        programme: The programme.
        zone: The zone whose local days and times are shown (the salon's by default).
        days: The local days to draw (dates or ``"YYYY-MM-DD"``); every day on which
            a session starts by default. A day without sessions gets an empty axes.
        ax: Draw the one day selected into these axes instead of a new figure.

    Returns:
        The figure; its axes are titled with the days' ISO dates.

    Raises:
        InvalidValueError: A bad argument, or ``ax`` with other than one day.
        UnknownZoneError: ``zone`` is unknown.
        MissingExtraError: matplotlib or pandas is not installed.

    >>> from mmso_core.samples import mmso_2020
    >>> figure = programme_grid(mmso_2020(), days=["2020-04-29"])
    >>> len(figure.axes), figure.axes[0].get_title()
    (1, '2020-04-29 (Wednesday)')
    """
    _check(programme, Programme, "programme")
    where = programme.salon.zone if zone is None else zone
    frame = sessions_frame(programme, zone=where)
    local_days = frame["starts_at"].dt.date
    chosen = (
        sorted(set(local_days))
        if days is None
        else list(dict.fromkeys(_date(d, "days") for d in days))
    )
    if ax is not None and len(chosen) != 1:
        raise InvalidValueError(
            field="ax", value=len(chosen), reason="draws one day: pass exactly one day in days"
        )
    if ax is None:
        figure = _figure(figsize=(12, 0.4 * len(programme.channels) * max(len(chosen), 1) + 1.5))
        grid = figure.subplots(nrows=max(len(chosen), 1), squeeze=False, sharex=True)
        axes_list = [row[0] for row in grid]
    else:
        figure, axes_list = _root(ax), [ax]
    rows = {c.id: n for n, c in enumerate(programme.channels)}
    starts = _wall_hours(frame["starts_at"])
    widths = frame["duration"] / _HOUR
    relays = frame["relay_of"].notna()
    low = int(starts.min()) if len(frame) else 0
    high = int(-(-(starts + widths).max() // 1)) if len(frame) else 24
    shown: dict[str, Any] = {}
    label = zone_name(where)
    for axes, day in zip(axes_list, chosen or [None], strict=True):
        if day is None:
            axes.set_title("no sessions")
        else:
            axes.set_title(f"{day.isoformat()} ({day:%A})")
            today = frame[local_days == day]
            for position in today.index:
                session_format = str(today.at[position, "format"])
                container = axes.barh(
                    rows[str(today.at[position, "channel"])],
                    widths[position],
                    left=starts[position],
                    height=0.8,
                    color=FORMAT_COLOURS[session_format],
                    edgecolor="black",
                    linewidth=0.5,
                    hatch="//" if relays[position] else None,
                    label=session_format,
                )
                shown.setdefault(session_format, container.patches[0])
        axes.set_yticks(range(len(programme.channels)), [c.name for c in programme.channels])
        axes.set_ylim(max(len(programme.channels), 1) - 0.5, -0.5)
        axes.set_xlim(low, max(high, low + 1))
        axes.set_ylabel("channel")
        axes.grid(axis="x", alpha=0.3)
    axes_list[-1].set_xlabel(f"local time, hours ({label})")
    if shown and ax is None:
        ordered = [f.value for f in SessionFormat if f.value in shown]
        figure.legend([shown[f] for f in ordered], ordered, loc="outside right upper")
    return figure


def parallel_load(programme: Programme, *, ax: "Axes | None" = None) -> "Figure":
    """Parallel load per hour of the salon's phases, against each phase's cap.

    One bar per row of [`load_frame`][mmso_core.io.frames.load_frame] (hours in the
    salon's zone): its height is the peak number of sessions live at once in the hour
    (relays not counted, as in the `phase-parallel-limit` rule); bars over the cap are
    red. Each phase with a ``max_parallel`` cap gets one horizontal line at the cap,
    over the phase's hours, labelled with the phase's name.

    Args:
        programme: The programme.
        ax: Draw into these axes instead of a new figure.

    Returns:
        The figure.

    Raises:
        InvalidValueError: ``programme`` is not a ``Programme``.
        MissingExtraError: matplotlib or pandas is not installed.

    >>> from mmso_core.samples import mmso_2020
    >>> figure = parallel_load(mmso_2020())
    >>> ", ".join(line.get_label() for line in figure.axes[0].lines)
    'cap: ММСО, cap: ММСО: продолжение'
    """
    _check(programme, Programme, "programme")
    zone = programme.salon.zone
    frame = load_frame(programme, zone=zone)
    dates = require("matplotlib.dates", extra="plot", feature="programme plots")
    if ax is None:
        figure = _figure(figsize=(12, 4))
        ax = figure.subplots()
    else:
        figure = _root(ax)
    hours = [moment.to_pydatetime() for moment in frame["hour"]]
    positions = dates.date2num(hours) if hours else []
    colours = [_OVER if over else _UNDER for over in frame["over"]]
    ax.bar(positions, frame["live"], width=1 / 24, align="edge", color=colours, label="live")
    for phase in programme.salon.phases:
        cap = phase.policy.max_parallel
        if cap is None:
            continue
        span = frame[frame["phase"] == phase.name]["hour"]
        ends = [span.iloc[0].to_pydatetime(), (span.iloc[-1] + _HOUR).to_pydatetime()]
        ax.plot(dates.date2num(ends), [cap, cap], linestyle="--", label=f"cap: {phase.name}")
    locator = dates.AutoDateLocator(tz=zone)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, tz=zone))
    ax.set_xlabel(f"local time ({zone})")
    ax.set_ylabel("sessions live at once")
    ax.set_title("Parallel load per hour")
    ax.legend(loc="upper right")
    return figure


def start_heatmap(
    programme: Programme,
    *,
    zones: Iterable[ZoneLike] | None = None,
    ax: "Axes | None" = None,
) -> "Figure":
    """How many sessions start at each local hour in each of Russia's zones, as a heatmap.

    The cells are [`start_hours_frame`][mmso_core.io.frames.start_hours_frame]: one
    row per zone, west to east, one column per local hour 0-23; the colour bar
    counts sessions (relays not counted).

    Args:
        programme: The programme.
        zones: The zones to show (every zone of Russia's subjects by default).
        ax: Draw into these axes instead of a new figure.

    Returns:
        The figure (the heatmap's axes first, then its colour bar's).

    Raises:
        InvalidValueError: ``programme`` is not a ``Programme``.
        UnknownZoneError: A zone is unknown.
        MissingExtraError: matplotlib or pandas is not installed.
    """
    _check(programme, Programme, "programme")
    frame = start_hours_frame(programme, zones=zones)
    if ax is None:
        figure = _figure(figsize=(10, 0.3 * len(frame) + 1.5))
        ax = figure.subplots()
    else:
        figure = _root(ax)
    image = ax.imshow(frame.to_numpy(), aspect="auto", cmap="viridis", interpolation="nearest")
    ax.set_xticks(range(24), [str(hour) for hour in range(24)])
    ax.set_yticks(range(len(frame)), list(frame.index))
    ax.set_xlabel("local hour")
    ax.set_ylabel("zone")
    ax.set_title("Session starts by local hour")
    figure.colorbar(image, ax=ax, label="sessions")
    return figure


_ACTIONS_LABEL: Final = "moderator actions"


def moderation_outcomes(
    entries_or_frame: "Moderator | Iterable[AuditEntry] | pd.DataFrame",
    *,
    freq: str | _dt.timedelta = "5min",
    zone: ZoneLike | None = None,
    actions: bool = True,
    ax: "Axes | None" = None,
) -> "Figure":
    """Chat messages submitted per time bin, stacked by the decision they got.

    One bar per bin of [`outcomes_frame`][mmso_core.io.frames.outcomes_frame] and
    decision, bottom to top ``publish``, ``mask-and-publish``, ``hold``, ``block``
    (`OUTCOME_COLOURS`); every decision is in the legend, even one no message got.
    With ``actions`` (the default), a black line with dots at the bins' middles
    counts the log's other entries in each bin (moderators' approvals, denials,
    removals and sanctions, expiries, refused attempts); it is left out when there
    are none.

    Args:
        entries_or_frame: A `Moderator`, audit entries, or a frame of
            [`audit_frame`][mmso_core.io.frames.audit_frame].
        freq: The bins' length: a pandas frequency (``"5min"``, ``"1h"``, ``"1D"``)
            or a ``timedelta``.
        zone: The zone of the time axis and the bins (default: UTC for entries,
            the frame's own zone).
        actions: Also draw the moderators' actions per bin.
        ax: Draw into these axes instead of a new figure.

    Returns:
        The figure.

    Raises:
        InvalidValueError: A bad argument, or a frame without the audit columns.
        UnknownZoneError: ``zone`` is unknown.
        MissingExtraError: matplotlib or pandas is not installed.

    >>> from mmso_core import ManualClock
    >>> from mmso_core.moderation import ChatMessage, Moderator, Policy
    >>> clock = ManualClock(at="2020-04-29T14:25Z")
    >>> moderator = Moderator(Policy.default(), clock=clock)
    >>> message = ChatMessage(
    ...     id="m1", chat="samara", author="s1", role="speaker",
    ...     text="Добрый вечер!", sent_at=clock.now(),
    ... )
    >>> moderator.submit(message).action.value
    'publish'
    >>> figure = moderation_outcomes(moderator, zone="Europe/Samara")
    >>> axes = figure.axes[0]
    >>> axes.get_title(), axes.get_xlabel()
    ('Moderation outcomes per 5min', 'time (Europe/Samara)')
    >>> ", ".join(text.get_text() for text in axes.get_legend().get_texts())
    'publish, mask-and-publish, hold, block'
    """
    if not isinstance(actions, bool):
        raise InvalidValueError(field="actions", value=actions, reason="must be True or False")
    binned = outcomes_frame(entries_or_frame, freq=freq, zone=zone)
    offset = _offset(freq)
    dates = require("matplotlib.dates", extra="plot", feature="programme plots")
    ticker = require("matplotlib.ticker", extra="plot", feature="programme plots")
    pd = _pandas()
    if ax is None:
        figure = _figure(figsize=(12, 4))
        ax = figure.subplots()
    else:
        figure = _root(ax)
    tz = binned.index.tz
    starts = binned.index
    positions = dates.date2num([moment.to_pydatetime() for moment in starts])
    widths = ((starts + offset) - starts) / pd.Timedelta(days=1)
    positions, widths = list(positions), [float(w) for w in widths]
    bottom = [0] * len(binned)
    handles: list[Any] = []
    for outcome, colour in OUTCOME_COLOURS.items():
        heights = [int(h) for h in binned[outcome]]
        handles.append(
            ax.bar(
                positions, heights, width=widths, bottom=bottom, align="edge", color=colour,
                edgecolor="white", linewidth=0.3, label=outcome,
            )
        )  # fmt: skip
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    if actions and int(binned["actions"].sum()):
        middles = [p + w / 2 for p, w in zip(positions, widths, strict=True)]
        handles += ax.plot(
            middles, list(binned["actions"]), color="black", marker="o", markersize=3,
            linewidth=1, label=_ACTIONS_LABEL,
        )  # fmt: skip
    label = zone_name(tz)
    locator = dates.AutoDateLocator(tz=tz)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, tz=tz))
    ax.set_xlabel(f"time ({label})")
    ax.set_ylabel("messages submitted")
    step = offset.freqstr
    ax.set_title(f"Moderation outcomes per {step if step[:1].isdigit() else '1' + step}")
    ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return figure
