"""Programmes, people, stands and moderation logs as pandas DataFrames (extra ``[pandas]``).

Every frame has one row per value of the model, in the model's order, and
documented columns with fixed dtypes:

* identifiers and texts are ``string`` (``pandas.StringDtype``, missing as ``<NA>``);
* instants are tz-aware ``datetime64[us, <zone>]``, one zone per column: UTC unless
  the ``zone`` argument names another (an IANA name, a ``tzinfo`` or a region);
* formats, clusters, phases, channels, regions, kinds and moderation actions and
  outcomes are ``category``, with the categories in the model's order (every
  ``SessionFormat``, the salon's phases...) so that ``value_counts()`` shows the
  empty ones too and frames of two programmes concatenate without losing the dtype;
* counts are ``int64``, durations ``timedelta64[us]``.

pandas is imported on the first call, not with the module; without it a call raises
[`MissingExtraError`][mmso_core.MissingExtraError] naming the extra.

>>> from mmso_core.io.frames import sessions_frame
>>> from mmso_core.samples import mmso_2020
>>> frame = sessions_frame(mmso_2020(), zone="Asia/Vladivostok")
>>> str(frame["starts_at"].dtype)
'datetime64[us, Asia/Vladivostok]'
>>> frame.loc[frame["id"] == "samara-round-table", "starts_at"].iloc[0].isoformat()
'2020-04-30T00:20:00+10:00'
"""

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from mmso_core._optional import require
from mmso_core._time import ZoneLike, resolve_zone
from mmso_core.errors import InvalidValueError
from mmso_core.exhibition import Exhibition, ExhibitorKind
from mmso_core.moderation import (
    Action,
    AuditEntry,
    MessageState,
    Moderator,
    QuestionState,
    SanctionKind,
)
from mmso_core.moderation import Role as ChatRole
from mmso_core.regions import all_regions, russian_zones
from mmso_core.schedule import Cluster, PhaseKind, Programme, Role, SessionFormat
from mmso_core.schedule._programme import micros

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore] # pandas ships no py.typed; pandas-stubs is not a dependency

__all__ = [
    "AUDIT_COLUMNS",
    "SESSION_COLUMNS",
    "SUBMISSION_OUTCOMES",
    "audit_frame",
    "load_frame",
    "outcomes_frame",
    "people_frame",
    "sessions_frame",
    "stands_frame",
    "start_hours_frame",
]

SESSION_COLUMNS: Final = (
    "id",
    "title",
    "format",
    "cluster",
    "phase",
    "phase_kind",
    "channel",
    "channel_name",
    "starts_at",
    "ends_at",
    "duration",
    "moderator",
    "speakers",
    "technician",
    "chat_expert",
    "audience_regions",
    "follows_up",
    "relay_of",
    "recording_available_at",
)
"""The columns of [`sessions_frame`][mmso_core.io.frames.sessions_frame], in order."""

AUDIT_COLUMNS: Final = (
    "seq",
    "at",
    "actor",
    "role",
    "action",
    "chat",
    "message",
    "target",
    "outcome",
    "rules",
    "codes",
    "matched",
    "first_rule",
    "first_code",
    "detail",
)
"""The columns of [`audit_frame`][mmso_core.io.frames.audit_frame], in order."""

SUBMISSION_OUTCOMES: Final = tuple(a.value for a in Action)
"""A submission's decisions, mildest first: the first four columns of `outcomes_frame`."""

_NAT: Final = -(2**63)  # numpy's NaT as an int64


def _pandas() -> Any:
    return require("pandas", extra="pandas", feature="pandas frames")


def _pandas_zone(zone: ZoneLike | None) -> Any:
    """The zone of a datetime column: an IANA name pandas understands, or a fixed offset.

    ``None`` gives ``"UTC"``; a region gives its main zone.
    """
    if zone is None:
        return "UTC"
    resolved = resolve_zone(zone, field="zone")
    key = getattr(resolved, "key", None)
    if isinstance(key, str):
        return key
    offset = resolved.utcoffset(None)
    if offset is None:
        raise InvalidValueError(
            field="zone", value=zone, reason="must be an IANA zone or a fixed offset"
        )
    return _dt.timezone(offset)


def _instants(values: Iterable[_dt.datetime | None], zone: ZoneLike | None = None) -> Any:
    """Aware datetimes (``None`` for missing) as a ``datetime64[us, zone]`` Series.

    The conversion goes through integer UTC microseconds, never through wall time.
    """
    utc = _pandas_micros([_NAT if v is None else micros(v) for v in values])
    return utc.dt.tz_convert(_pandas_zone(zone))


def _strings(pd: Any, values: Sequence[str | None]) -> Any:
    return pd.Series(list(values), dtype="string")


def _categories(pd: Any, values: Sequence[str | None], categories: Sequence[str]) -> Any:
    known = list(dict.fromkeys(categories))
    extra = sorted({v for v in values if v is not None and v not in known})
    return pd.Series(pd.Categorical(list(values), categories=[*known, *extra]))


def _check(value: object, kind: type, field: str) -> None:
    if not isinstance(value, kind):
        raise InvalidValueError(
            field=field, value=type(value).__name__, reason=f"must be a {kind.__name__}"
        )


def sessions_frame(programme: Programme, *, zone: ZoneLike | None = None) -> "pd.DataFrame":
    """One row per session, sorted by start (``programme.ordered``).

    Columns (see `SESSION_COLUMNS`):

    | column | dtype | content |
    |---|---|---|
    | `id`, `title` | string | the session's id and title |
    | `format` | category | `SessionFormat` value; categories: every format |
    | `cluster` | category | programme cluster; every `Cluster`, then others; `NaN` if none |
    | `phase` | category | name of the phase it starts in (`NaN`: none); the salon's phases |
    | `phase_kind` | category | `main` or `continuation` (`NaN`: outside every phase) |
    | `channel` | category | channel id; categories: the programme's channels |
    | `channel_name` | string | the channel's display name |
    | `starts_at`, `ends_at` | datetime64[us, zone] | start and end, in `zone` |
    | `duration` | timedelta64[us] | `ends_at - starts_at` |
    | `moderator`, `technician`, `chat_expert` | string | person ids (`<NA>`: none) |
    | `speakers` | object | tuple of person ids, in the order they go on air |
    | `audience_regions` | object | tuple of ISO codes (empty: everyone) |
    | `follows_up`, `relay_of` | string | session ids (`<NA>`: none) |
    | `recording_available_at` | datetime64[us, zone] | `NaT` if unknown |

    Relays (simulcasts) are rows of their own, as in the model; drop them with
    ``frame[frame["relay_of"].isna()]``.

    Args:
        programme: The programme.
        zone: The zone of every datetime column (default UTC).

    Returns:
        A ``pandas.DataFrame`` with a ``RangeIndex``.

    Raises:
        InvalidValueError: ``programme`` is not a ``Programme``.
        UnknownZoneError: ``zone`` is unknown.
        MissingExtraError: pandas is not installed.

    >>> from mmso_core.samples import mmso_2020
    >>> frame = sessions_frame(mmso_2020())
    >>> len(frame), str(frame["starts_at"].dtype), str(frame["format"].dtype)
    (202, 'datetime64[us, UTC]', 'category')
    >>> frame["phase"].value_counts().to_dict()
    {'ММСО': 152, 'ММСО: продолжение': 50}
    """
    _check(programme, Programme, "programme")
    pd = _pandas()
    order = programme.ordered
    phases = [programme.phase_of(s) for s in order]
    channel_names = {c.id: c.name for c in programme.channels}
    columns: dict[str, Any] = {
        "id": _strings(pd, [s.id for s in order]),
        "title": _strings(pd, [s.title for s in order]),
        "format": _categories(
            pd, [s.format.value for s in order], [f.value for f in SessionFormat]
        ),
        "cluster": _categories(pd, [s.cluster for s in order], [c.value for c in Cluster]),
        "phase": _categories(
            pd,
            [None if p is None else p.name for p in phases],
            [p.name for p in programme.salon.phases],
        ),
        "phase_kind": _categories(
            pd, [None if p is None else p.kind.value for p in phases], [k.value for k in PhaseKind]
        ),
        "channel": _categories(pd, [s.channel for s in order], [c.id for c in programme.channels]),
        "channel_name": _strings(pd, [channel_names[s.channel] for s in order]),
        "starts_at": _instants((s.starts_at for s in order), zone),
        "ends_at": _instants((s.ends_at for s in order), zone),
    }
    columns["duration"] = columns["ends_at"] - columns["starts_at"]
    columns.update(
        {
            "moderator": _strings(pd, [s.moderator for s in order]),
            "speakers": pd.Series([s.speakers for s in order], dtype=object),
            "technician": _strings(pd, [s.technician for s in order]),
            "chat_expert": _strings(pd, [s.chat_expert for s in order]),
            "audience_regions": pd.Series([s.audience_regions for s in order], dtype=object),
            "follows_up": _strings(pd, [s.follows_up for s in order]),
            "relay_of": _strings(pd, [s.relay_of for s in order]),
            "recording_available_at": _instants((s.recording_available_at for s in order), zone),
        }
    )
    return pd.DataFrame(columns, columns=list(SESSION_COLUMNS))


_ROLE_COLUMNS: Final = {
    Role.MODERATOR: "as_moderator",
    Role.SPEAKER: "as_speaker",
    Role.TECHNICIAN: "as_technician",
    Role.CHAT_EXPERT: "as_chat_expert",
}


def people_frame(programme: Programme) -> "pd.DataFrame":
    """One row per person, in the programme's order, with what they do in it.

    | column | dtype | content |
    |---|---|---|
    | `id`, `name`, `organisation` | string | `organisation` is `<NA>` if unknown |
    | `region` | category | ISO code of the home region; categories: all 85 subjects |
    | `home_zone` | category | `Person.home_zone` (`NaN` if neither region nor zone) |
    | `always_available` | bool | no availability windows were given |
    | `sessions` | int64 | sessions they take part in, in any role |
    | `as_moderator`, `as_speaker`, `as_technician`, `as_chat_expert` | int64 | per role |

    The counts include relays, exactly as ``programme.sessions_of(id, role=...)``
    counts them (a relay's technician and chat expert do work it).

    Args:
        programme: The programme.

    Returns:
        A ``pandas.DataFrame`` with a ``RangeIndex``.

    Raises:
        InvalidValueError: ``programme`` is not a ``Programme``.
        MissingExtraError: pandas is not installed.

    >>> from mmso_core.samples import mmso_2020
    >>> people = people_frame(mmso_2020())
    >>> len(people), str(people["region"].dtype), str(people["sessions"].dtype)
    (918, 'category', 'int64')
    """
    _check(programme, Programme, "programme")
    pd = _pandas()
    people = programme.people
    counts: dict[str, dict[str, int]] = {
        p.id: dict.fromkeys(_ROLE_COLUMNS.values(), 0) for p in people
    }
    taking_part: dict[str, int] = dict.fromkeys(counts, 0)
    for session in programme.sessions:
        pairs = session.people()
        for person, role in pairs:
            counts[person][_ROLE_COLUMNS[role]] += 1
        for person in dict.fromkeys(p for p, _ in pairs):
            taking_part[person] += 1
    zones = [p.home_zone for p in people]
    columns: dict[str, Any] = {
        "id": _strings(pd, [p.id for p in people]),
        "name": _strings(pd, [p.name for p in people]),
        "organisation": _strings(pd, [p.organisation for p in people]),
        "region": _categories(pd, [p.region for p in people], [r.iso for r in all_regions()]),
        "home_zone": _categories(pd, zones, []),
        "always_available": pd.Series([not p.availability for p in people], dtype=bool),
        "sessions": pd.Series([taking_part[p.id] for p in people], dtype="int64"),
    }
    for column in _ROLE_COLUMNS.values():
        columns[column] = pd.Series([counts[p.id][column] for p in people], dtype="int64")
    return pd.DataFrame(columns)


def stands_frame(exhibition: Exhibition, *, zone: ZoneLike | None = None) -> "pd.DataFrame":
    """One row per stand of an exhibition, in its order.

    | column | dtype | content |
    |---|---|---|
    | `id`, `name` | string | the stand's id and name |
    | `exhibitor`, `exhibitor_name` | string | its exhibitor's id and name |
    | `exhibitor_kind` | category | `ExhibitorKind` value; categories: every kind |
    | `region` | category | the exhibitor's region (ISO code, `NaN` if none); all 85 |
    | `alley` | category | alley id; categories: the floor plan's alleys |
    | `alley_cluster` | category | the alley's cluster (`NaN` if none) |
    | `offset` | float64 | metres from the alley's first junction |
    | `clusters`, `tags` | object | sorted tuples of strings |
    | `video_duration` | timedelta64[us] | `NaT` without a video |
    | `products`, `materials`, `contacts` | int64 | how many of each |
    | `rooms`, `webinars` | int64 | webinar rooms at the stand, webinars in them |
    | `opens_at`, `closes_at` | datetime64[us, zone] | first opening, last closing (`NaT`: none) |
    | `open_for` | timedelta64[us] | total opening hours (`NaT`: always open) |

    Args:
        exhibition: The exhibition.
        zone: The zone of the datetime columns (default UTC).

    Returns:
        A ``pandas.DataFrame`` with a ``RangeIndex``.

    Raises:
        InvalidValueError: ``exhibition`` is not an ``Exhibition``.
        UnknownZoneError: ``zone`` is unknown.
        MissingExtraError: pandas is not installed.

    >>> from mmso_core.samples import exhibition_2020
    >>> stands = stands_frame(exhibition_2020(), zone="Europe/Moscow")
    >>> len(stands), str(stands["opens_at"].dtype)
    (130, 'datetime64[us, Europe/Moscow]')
    """
    _check(exhibition, Exhibition, "exhibition")
    pd = _pandas()
    stands = exhibition.stands
    alleys = {a.id: a for a in exhibition.floor_plan.alleys}
    exhibitors = [exhibition.exhibitor(s.exhibitor) for s in stands]
    room_stand = {room.id: room.stand for room in exhibition.rooms}
    rooms = dict.fromkeys((s.id for s in stands), 0)
    webinars = dict(rooms)
    for room in exhibition.rooms:
        rooms[room.stand] += 1
    for webinar in exhibition.webinars:
        webinars[room_stand[webinar.room]] += 1
    empty = _dt.timedelta(0)
    open_for = [
        sum((span.duration for span in s.opening_hours), empty) if s.opening_hours else None
        for s in stands
    ]
    columns: dict[str, Any] = {
        "id": _strings(pd, [s.id for s in stands]),
        "name": _strings(pd, [s.name for s in stands]),
        "exhibitor": _strings(pd, [s.exhibitor for s in stands]),
        "exhibitor_name": _strings(pd, [e.name for e in exhibitors]),
        "exhibitor_kind": _categories(
            pd, [e.kind.value for e in exhibitors], [k.value for k in ExhibitorKind]
        ),
        "region": _categories(pd, [e.region for e in exhibitors], [r.iso for r in all_regions()]),
        "alley": _categories(pd, [s.alley for s in stands], list(alleys)),
        "alley_cluster": _categories(pd, [alleys[s.alley].cluster for s in stands], []),
        "offset": pd.Series([float(s.offset) for s in stands], dtype="float64"),
        "clusters": pd.Series([tuple(sorted(s.clusters)) for s in stands], dtype=object),
        "tags": pd.Series([tuple(sorted(s.tags)) for s in stands], dtype=object),
        "video_duration": _durations(
            pd, [None if s.video is None else s.video.duration for s in stands]
        ),
        "products": pd.Series([len(s.products) for s in stands], dtype="int64"),
        "materials": pd.Series([len(s.materials) for s in stands], dtype="int64"),
        "contacts": pd.Series([len(s.contacts) for s in stands], dtype="int64"),
        "rooms": pd.Series([rooms[s.id] for s in stands], dtype="int64"),
        "webinars": pd.Series([webinars[s.id] for s in stands], dtype="int64"),
        "opens_at": _instants(
            (s.opening_hours[0].start if s.opening_hours else None for s in stands), zone
        ),
        "closes_at": _instants(
            (s.opening_hours[-1].end if s.opening_hours else None for s in stands), zone
        ),
        "open_for": _durations(pd, open_for),
    }
    return pd.DataFrame(columns)


def _durations(pd: Any, values: Sequence[_dt.timedelta | None]) -> Any:
    return pd.Series(pd.to_timedelta(list(values))).astype("timedelta64[us]")


_HOUR: Final = 3_600_000_000  # microseconds


def _load_steps(programme: Programme) -> tuple[list[int], list[int]]:
    """The number of sessions live, relays not counted, as a step function of time.

    Returns the instants (UTC microseconds) at which the number changes and the number
    from each of them on. Ends apply before starts at one instant (half-open intervals).
    """
    events = sorted(
        (micros(moment), delta)
        for s in programme.sessions
        if s.relay_of is None
        for moment, delta in ((s.starts_at, 1), (s.ends_at, -1))
    )
    times: list[int] = []
    levels: list[int] = []
    live = 0
    for moment, delta in events:
        live += delta
        if times and times[-1] == moment:
            levels[-1] = live
        else:
            times.append(moment)
            levels.append(live)
    return times, levels


def load_frame(programme: Programme, *, zone: ZoneLike | None = None) -> "pd.DataFrame":
    """The parallel load of each hour of the salon's phases, against the phase's cap.

    One row per hour from each phase's first local midnight (in the salon's zone) to
    its end: 24 a day, 23 or 25 on a day the clocks change. ``live`` is the peak
    number of sessions live at once during the hour, counted as the
    `phase-parallel-limit` rule counts them: simulcast relays are not counted (they
    are the same session).

    | column | dtype | content |
    |---|---|---|
    | `hour` | datetime64[us, zone] | the hour's start |
    | `phase` | category | the phase's name; categories: the salon's phases |
    | `live` | int64 | peak sessions live at once during ``[hour, hour + 1h)`` |
    | `cap` | Int64 | the phase's ``policy.max_parallel`` (`<NA>`: no cap) |
    | `over` | bool | ``live > cap`` |

    Args:
        programme: The programme.
        zone: The zone of the ``hour`` column (default UTC).

    Returns:
        A ``pandas.DataFrame`` with a ``RangeIndex``.

    Raises:
        InvalidValueError: ``programme`` is not a ``Programme``.
        UnknownZoneError: ``zone`` is unknown.
        MissingExtraError: pandas is not installed.

    >>> from mmso_core.samples import mmso_2020
    >>> load = load_frame(mmso_2020(), zone="Europe/Moscow")
    >>> len(load), int(load["live"].max()), bool(load["over"].any())
    (312, 8, False)
    """
    _check(programme, Programme, "programme")
    pd = _pandas()
    import bisect  # noqa: PLC0415 - only needed here

    times, levels = _load_steps(programme)
    hours: list[int] = []
    phases: list[str] = []
    caps: list[int | None] = []
    peaks: list[int] = []
    for phase in programme.salon.phases:
        span = phase.interval(programme.salon.zone)
        for hour in range(micros(span.start), micros(span.end), _HOUR):
            at = bisect.bisect_right(times, hour)
            peak = levels[at - 1] if at else 0
            stop = bisect.bisect_left(times, hour + _HOUR, lo=at)
            peaks.append(max([peak, *levels[at:stop]]))
            hours.append(hour)
            phases.append(phase.name)
            caps.append(phase.policy.max_parallel)
    raw = _pandas_micros(hours)
    cap = pd.Series(caps, dtype="Int64")
    live = pd.Series(peaks, dtype="int64")
    return pd.DataFrame(
        {
            "hour": raw.dt.tz_convert(_pandas_zone(zone)),
            "phase": _categories(pd, phases, [p.name for p in programme.salon.phases]),
            "live": live,
            "cap": cap,
            "over": (live > cap).fillna(False).astype(bool),
        }
    )


def start_hours_frame(
    programme: Programme, *, zones: Iterable[ZoneLike] | None = None
) -> "pd.DataFrame":
    """How many sessions start at each local hour, in each of Russia's zones.

    Relays are not counted (a simulcast starts with its original). Rows are the zones,
    west to east (by their UTC offset at the first session's start, then by name);
    columns are the local hours 0 to 23.

    Args:
        programme: The programme.
        zones: The zones to count in (names, ``tzinfo`` values or regions); every zone
            of [`russian_zones`][mmso_core.regions.russian_zones] by default.

    Returns:
        A ``pandas.DataFrame`` of ``int64`` counts, indexed by zone name (``zone``,
        string) with the columns 0-23 (``hour``).

    Raises:
        InvalidValueError: ``programme`` is not a ``Programme``.
        UnknownZoneError: A zone is unknown.
        MissingExtraError: pandas is not installed.

    >>> from mmso_core.samples import mmso_2020
    >>> hours = start_hours_frame(mmso_2020(), zones=["Europe/Moscow", "Asia/Kamchatka"])
    >>> int(hours.loc["Europe/Moscow", 17]), int(hours.loc["Asia/Kamchatka", 2])
    (30, 30)
    """
    _check(programme, Programme, "programme")
    pd = _pandas()
    chosen = russian_zones() if zones is None else tuple(zones)
    named = [_pandas_zone(zone) for zone in chosen]
    originals = [s for s in programme.ordered if s.relay_of is None]
    starts = _pandas_micros([micros(s.starts_at) for s in originals])
    reference = pd.Timestamp(
        micros(originals[0].starts_at) if originals else 0, unit="us", tz="UTC"
    )
    rows: dict[str, Any] = {}
    offsets: dict[str, Any] = {}
    for zone in named:
        label = str(zone)
        local = starts.dt.tz_convert(zone).dt.hour
        rows[label] = local.value_counts().reindex(range(24), fill_value=0).astype("int64")
        offsets[label] = reference.tz_convert(zone).utcoffset()
    order = sorted(rows, key=lambda label: (offsets[label], label))
    frame = pd.DataFrame([rows[label].to_numpy() for label in order], columns=list(range(24)))
    frame.index = pd.Index(order, dtype="string", name="zone")
    frame.columns.name = "hour"
    return frame.astype("int64")


_AUDIT_ACTIONS: Final = (
    "submit",
    "approve",
    "deny",
    "remove",
    "expire",
    *(k.value for k in SanctionKind),
    "lift",
    *("publish", "answer", "archive", "hide", "restore", "merge"),  # the Q&A queue's
)
_AUDIT_OUTCOMES: Final = tuple(
    dict.fromkeys(
        [
            *SUBMISSION_OUTCOMES,
            *(s.value for s in MessageState),
            *(s.value for s in QuestionState),
            "merged",
            "ok",
            "refused",
            "permission-denied",
        ]
    )
)


def _audit_entries(
    entries: "Moderator | Iterable[AuditEntry]", field: str
) -> tuple[AuditEntry, ...]:
    """The entries of a moderator's log, or the given entries, checked."""
    if isinstance(entries, Moderator):
        return entries.audit()
    if isinstance(entries, str | bytes) or not isinstance(entries, Iterable):
        raise InvalidValueError(
            field=field,
            value=type(entries).__name__,
            reason="must be a Moderator or AuditEntry values",
        )
    log = tuple(entries)
    for index, entry in enumerate(log):
        _check(entry, AuditEntry, f"{field}[{index}]")
    return log


def audit_frame(
    entries: "Moderator | Iterable[AuditEntry]", *, zone: ZoneLike | None = None
) -> "pd.DataFrame":
    """One row per entry of a moderation audit log, in the log's order.

    Pass a [`Moderator`][mmso_core.moderation.Moderator] (its whole
    ``audit()``) or any sequence of [`AuditEntry`][mmso_core.moderation.AuditEntry]
    values, e.g. a slice of the log or the logs of two moderators one after the other.
    Columns (see `AUDIT_COLUMNS`):

    | column | dtype | content |
    |---|---|---|
    | `seq` | int64 | the entry's position in its log |
    | `at` | datetime64[us, zone] | when, in `zone` |
    | `actor` | string | who (the author of a submission; `system` for expiry) |
    | `role` | category | their chat `Role`; every role; `NaN` for `system` |
    | `action` | category | `submit`, `approve`, ... `lift`, then the Q&A queue's actions |
    | `chat` | category | the chat's id; the chats in the log, sorted |
    | `message`, `target` | string | message (or question) and person concerned (`<NA>`: none) |
    | `outcome` | category | a submission's `Action`, a state, `ok`, `refused`... |
    | `rules`, `codes`, `matched` | object | tuples of strings, as in the entry |
    | `first_rule`, `first_code` | category | the first of `rules` and of `codes` (`NaN`: none) |
    | `detail` | string | the refusal's reason or the moderator's note (may be empty) |

    The categories of `action` and `outcome` are every value the library logs (a
    submission's four decisions come first: ``publish``, ``mask-and-publish``,
    ``hold``, ``block``), then any other value found, sorted, so counts show the
    decisions nobody got. `first_rule` and `first_code` name the rule that decided a
    submission (rules are listed in the policy's order; pre-moderation comes last),
    handy for ``groupby``; their categories are the values in the log, sorted.

    Args:
        entries: A moderator, or audit entries.
        zone: The zone of the ``at`` column (default UTC).

    Returns:
        A ``pandas.DataFrame`` with a ``RangeIndex``.

    Raises:
        InvalidValueError: ``entries`` is not a moderator or holds a non-entry.
        UnknownZoneError: ``zone`` is unknown.
        MissingExtraError: pandas is not installed.

    >>> from mmso_core import ManualClock
    >>> from mmso_core.moderation import ChatMessage, Moderator, Policy
    >>> clock = ManualClock(at="2020-04-29T14:25Z")
    >>> moderator = Moderator(Policy.default(), clock=clock)
    >>> message = ChatMessage(
    ...     id="m1", chat="samara", author="v1", role="visitor",
    ...     text="Когда будет запись?", sent_at=clock.now(),
    ... )
    >>> moderator.submit(message).action.value
    'hold'
    >>> moderator.approve("m1", by="e1", role="chat-expert").state.value
    'published'
    >>> frame = audit_frame(moderator, zone="Europe/Moscow")
    >>> frame["action"].tolist(), frame["outcome"].tolist()
    (['submit', 'approve'], ['hold', 'published'])
    >>> frame["first_code"].tolist(), str(frame["seq"].dtype)
    (['pre-moderation', nan], 'int64')
    >>> frame["at"].iloc[0].isoformat()
    '2020-04-29T17:25:00+03:00'
    """
    log = _audit_entries(entries, "entries")
    pd = _pandas()
    columns: dict[str, Any] = {
        "seq": pd.Series([e.seq for e in log], dtype="int64"),
        "at": _instants((e.at for e in log), zone),
        "actor": _strings(pd, [e.actor for e in log]),
        "role": _categories(
            pd, [None if e.role is None else e.role.value for e in log], [r.value for r in ChatRole]
        ),
        "action": _categories(pd, [e.action for e in log], _AUDIT_ACTIONS),
        "chat": _categories(pd, [e.chat for e in log], []),
        "message": _strings(pd, [e.message for e in log]),
        "target": _strings(pd, [e.target for e in log]),
        "outcome": _categories(pd, [e.outcome for e in log], _AUDIT_OUTCOMES),
        "rules": pd.Series([tuple(e.rules) for e in log], dtype=object),
        "codes": pd.Series([tuple(e.codes) for e in log], dtype=object),
        "matched": pd.Series([tuple(e.matched) for e in log], dtype=object),
        "first_rule": _categories(pd, [e.rules[0] if e.rules else None for e in log], []),
        "first_code": _categories(pd, [e.codes[0] if e.codes else None for e in log], []),
        "detail": _strings(pd, [e.detail for e in log]),
    }
    return pd.DataFrame(columns, columns=list(AUDIT_COLUMNS))


def _audit_source(
    source: "Moderator | Iterable[AuditEntry] | pd.DataFrame", zone: ZoneLike | None
) -> "pd.DataFrame":
    """The audit frame to plot: built from entries, or a frame checked and converted."""
    pd = _pandas()
    if not isinstance(source, pd.DataFrame):
        return audit_frame(_audit_entries(source, "entries_or_frame"), zone=zone)
    missing = [column for column in ("at", "action", "outcome") if column not in source.columns]
    if missing:
        raise InvalidValueError(
            field="entries_or_frame",
            value=", ".join(missing),
            reason="a frame needs the columns of audit_frame; these are missing",
        )
    if not isinstance(source["at"].dtype, pd.DatetimeTZDtype):
        raise InvalidValueError(
            field="entries_or_frame.at",
            value=str(source["at"].dtype),
            reason="must be a tz-aware datetime column, as audit_frame makes it",
        )
    if zone is None:
        return source
    return source.assign(at=source["at"].dt.tz_convert(_pandas_zone(zone)))


def _offset(freq: str | _dt.timedelta) -> Any:
    """A pandas offset for ``freq``, checked: a known alias, longer than nothing."""
    frequencies = require("pandas.tseries.frequencies", extra="pandas", feature="pandas frames")
    try:
        offset = frequencies.to_offset(freq)
    except (TypeError, ValueError):
        offset = None
    if offset is None or offset.n <= 0:
        raise InvalidValueError(
            field="freq",
            value=freq,
            reason="must be a positive pandas frequency such as '5min', '1h' or '1D'",
        )
    return offset


def outcomes_frame(
    entries_or_frame: "Moderator | Iterable[AuditEntry] | pd.DataFrame",
    *,
    freq: str | _dt.timedelta = "5min",
    zone: ZoneLike | None = None,
) -> "pd.DataFrame":
    """Submissions per time bin by decision, and the other entries of the log per bin.

    The table [`moderation_outcomes`][mmso_core.io.plots.moderation_outcomes] draws.
    Bins are ``freq`` long, in the local time of the zone (a ``"1D"`` bin is a local
    day, 23 or 25 hours when the clocks change), from the bin of the log's first
    entry to that of its last, empty bins included.

    Args:
        entries_or_frame: A `Moderator`, audit entries, or a frame of
            [`audit_frame`][mmso_core.io.frames.audit_frame].
        freq: The bins' length: a pandas frequency (``"5min"``, ``"1h"``, ``"1D"``)
            or a ``timedelta``.
        zone: The zone of the bins (default: UTC for entries, the frame's own zone).

    Returns:
        A ``pandas.DataFrame`` indexed by the bins' starts (``at``, tz-aware) with
        the ``int64`` columns ``publish``, ``mask-and-publish``, ``hold``, ``block``
        (submissions that got each decision) and ``actions`` (every other entry:
        approvals, denials, removals, sanctions, expiries and refused attempts,
        including a refused resubmission).

    Raises:
        InvalidValueError: A bad argument, or a frame without the audit columns.
        UnknownZoneError: ``zone`` is unknown.
        MissingExtraError: pandas is not installed.

    >>> import datetime as dt
    >>> from mmso_core import ManualClock
    >>> from mmso_core.moderation import ChatMessage, Moderator, Policy
    >>> clock = ManualClock(at="2020-04-29T14:21Z")
    >>> moderator = Moderator(Policy.default(), clock=clock)
    >>> for n, text in enumerate(["Добрый вечер!", "Когда будет запись?", "Ну это п0хуй"]):
    ...     message = ChatMessage(
    ...         id=f"m{n}", chat="samara", author=f"v{n}", role="visitor",
    ...         text=text, sent_at=clock.now(),
    ...     )
    ...     _ = moderator.submit(message)
    ...     _ = clock.advance(dt.timedelta(minutes=4))
    >>> moderator.approve("m0", by="e1", role="chat-expert").state.value
    'published'
    >>> bins = outcomes_frame(moderator, zone="Europe/Moscow")
    >>> ", ".join(moment.strftime("%H:%M") for moment in bins.index)
    '17:20, 17:25, 17:30'
    >>> list(bins.columns)
    ['publish', 'mask-and-publish', 'hold', 'block', 'actions']
    >>> bins[["hold", "block", "actions"]].to_numpy().tolist()
    [[1, 0, 0], [1, 1, 0], [0, 0, 1]]
    """
    frame = _audit_source(entries_or_frame, zone)
    offset = _offset(freq)
    pd = _pandas()
    action = frame["action"].astype(object)
    outcome = frame["outcome"].astype(object)
    submitted = action == "submit"
    decided = submitted & outcome.isin(list(SUBMISSION_OUTCOMES))
    columns = {name: (decided & (outcome == name)).astype("int64") for name in SUBMISSION_OUTCOMES}
    columns["actions"] = (~decided).astype("int64")
    counts = pd.DataFrame(columns)
    counts.index = pd.DatetimeIndex(frame["at"], name="at")
    return counts.sort_index(kind="stable").resample(offset).sum().astype("int64")


def _pandas_micros(values: Sequence[int]) -> Any:
    """UTC microseconds as a ``datetime64[us, UTC]`` Series."""
    pd = _pandas()
    np = require("numpy", extra="pandas", feature="pandas frames")
    raw = np.array(list(values), dtype="int64").view("datetime64[us]")
    return pd.Series(raw).dt.tz_localize("UTC")
