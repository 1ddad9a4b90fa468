"""The scheduling rules: pure functions of a programme, returning violations.

Every overlap rule is a sweep over intervals sorted by start (O(n log n) plus the
number of conflicts found), never a comparison of all pairs; times are the integer
UTC microseconds the programme computed once.

>>> from mmso_core.samples import mmso_2020
>>> report = check(mmso_2020())
>>> report.ok
True
"""

import bisect
import datetime as _dt
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Final, final

import attrs

from mmso_core._checks import hours, mapping, sequence, strings, timedelta
from mmso_core._report import Report, Severity, Violation, plural_ru
from mmso_core._time import Instant, at_local, elapsed, resolve_zone
from mmso_core.errors import InvalidValueError
from mmso_core.regions import region
from mmso_core.schedule._model import Phase, PhaseKind, Role, Session, SessionFormat
from mmso_core.schedule._programme import Programme, day_bounds, micros

__all__ = ["DEFAULT_SEVERITIES", "RULE_CODES", "Rules", "check"]

RULE_CODES: Final = (
    "person-double-booked",
    "channel-overlap",
    "changeover-too-short",
    "outside-phase",
    "phase-parallel-limit",
    "phase-daily-limit",
    "outside-phase-hours",
    "format-not-allowed",
    "person-unavailable",
    "missing-role",
    "duration-out-of-range",
    "outside-audience-hours",
    "follow-up-before-original",
    "follow-up-out-of-phase",
    "recording-late",
    "shifted-across-phase",
)
"""Every rule code the schedule reports, stable across versions (``check`` reports all
but ``shifted-across-phase``, which only re-planning with ``Programme.with_delay`` can)."""

DEFAULT_SEVERITIES: Final[Mapping[str, Severity]] = MappingProxyType(
    {
        "person-double-booked": Severity.ERROR,
        "channel-overlap": Severity.ERROR,
        "changeover-too-short": Severity.WARNING,
        "outside-phase": Severity.ERROR,
        "phase-parallel-limit": Severity.ERROR,
        "phase-daily-limit": Severity.WARNING,
        "outside-phase-hours": Severity.WARNING,
        "format-not-allowed": Severity.WARNING,
        "person-unavailable": Severity.ERROR,
        "missing-role": Severity.ERROR,
        "duration-out-of-range": Severity.WARNING,
        "outside-audience-hours": Severity.WARNING,
        "follow-up-before-original": Severity.ERROR,
        "follow-up-out-of-phase": Severity.WARNING,
        "recording-late": Severity.WARNING,
        "shifted-across-phase": Severity.ERROR,
    }
)
"""The severity of each rule unless ``Rules.severities`` overrides it."""

_MINUTE = _dt.timedelta(minutes=1)


def _bounds(low: int, high: int) -> tuple[_dt.timedelta, _dt.timedelta]:
    return (low * _MINUTE, high * _MINUTE)


_DEFAULT_DURATIONS: Final = MappingProxyType(
    {
        SessionFormat.PLENARY: _bounds(60, 180),
        SessionFormat.PANEL: _bounds(45, 120),
        SessionFormat.ROUND_TABLE: _bounds(45, 150),
        SessionFormat.WEBINAR: _bounds(30, 120),
        SessionFormat.WORKSHOP: _bounds(30, 180),
        SessionFormat.LECTURE: _bounds(30, 120),
        SessionFormat.TALK: _bounds(5, 90),
        SessionFormat.PRESENTATION: _bounds(15, 90),
        SessionFormat.INTERVIEW: _bounds(15, 90),
        SessionFormat.PROJECT_SESSION: _bounds(60, 240),
        SessionFormat.STRATEGY_SESSION: _bounds(60, 240),
        SessionFormat.DEBATE: _bounds(30, 120),
        SessionFormat.OTHER: _bounds(5, 480),
    }
)


def _changeover(value: _dt.timedelta) -> _dt.timedelta:
    return timedelta(value, "Rules.changeover", minimum=_dt.timedelta(0))


def _recording_lag(value: _dt.timedelta) -> _dt.timedelta:
    return timedelta(value, "Rules.recording_lag", minimum=_dt.timedelta(0))


def _audience_window(value: "tuple[_dt.time | str, _dt.time | str]") -> tuple[_dt.time, _dt.time]:
    return hours(value, "Rules.audience_hours")


def _durations(
    value: "Mapping[SessionFormat | str, tuple[_dt.timedelta, _dt.timedelta]]",
) -> Mapping[SessionFormat, tuple[_dt.timedelta, _dt.timedelta]]:
    result: dict[SessionFormat, tuple[_dt.timedelta, _dt.timedelta]] = {}
    for key, bounds in mapping(value, "Rules.durations").items():
        field = f"Rules.durations[{key!r}]"
        try:
            fmt = SessionFormat(key)
        except ValueError:
            raise InvalidValueError(
                field=field, value=key, reason="unknown session format"
            ) from None
        if not isinstance(bounds, tuple | list) or len(bounds) != 2:
            raise InvalidValueError(field=field, value=bounds, reason="must be (shortest, longest)")
        low = timedelta(bounds[0], field, minimum=_dt.timedelta(0))
        high = timedelta(bounds[1], field, minimum=low)
        result[fmt] = (low, high)
    return MappingProxyType(result)


def _roles(value: Iterable[Role | str]) -> frozenset[Role]:
    listed = sequence(value, "Rules.required_roles")
    try:
        return frozenset(Role(role) for role in listed)
    except ValueError:
        raise InvalidValueError(
            field="Rules.required_roles",
            value=value,
            reason=f"roles are {', '.join(repr(r.value) for r in Role)}",
        ) from None


def _codes(value: Iterable[str]) -> frozenset[str]:
    codes = frozenset(strings(value, "Rules.disabled"))
    unknown = sorted(codes - set(RULE_CODES))
    if unknown:
        raise InvalidValueError(field="Rules.disabled", value=unknown, reason="unknown rule codes")
    return codes


def _severity(value: object, field: str) -> Severity:
    if isinstance(value, Severity):
        return value
    if isinstance(value, str) and value.upper() in Severity.__members__:
        return Severity[value.upper()]
    raise InvalidValueError(field=field, value=value, reason="must be 'info', 'warning' or 'error'")


def _severities(value: Mapping[str, Severity | str]) -> Mapping[str, Severity]:
    """Accept severities as members or names ("warning")."""
    result: dict[str, Severity] = {}
    for code, severity in mapping(value, "Rules.severities").items():
        if code not in RULE_CODES:
            raise InvalidValueError(
                field="Rules.severities", value=code, reason="unknown rule code"
            )
        result[code] = _severity(severity, f"Rules.severities[{code!r}]")
    return MappingProxyType(result)


def _error_threshold(value: Severity | str) -> Severity:
    return _severity(value, "Rules.error_threshold")


def _region_hours(
    value: "Mapping[str, tuple[_dt.time | str, _dt.time | str]]",
) -> Mapping[str, tuple[_dt.time, _dt.time]]:
    field = "Rules.audience_hours_by_region"
    return MappingProxyType(
        {
            region(key, field=field).iso: hours(pair, f"{field}[{key!r}]")
            for key, pair in mapping(value, field).items()
        }
    )


@final
@attrs.frozen(kw_only=True)
class Rules:
    """How strict ``check`` is: every knob of every rule.

    Attributes:
        changeover: The least gap between two sessions of one channel.
        audience_hours: Local hours (start, end) in which a region's audience can watch.
        audience_hours_by_region: Per-region overrides of ``audience_hours`` (keys: any
            region name or code).
        durations: Allowed (shortest, longest) duration per format.
        required_roles: Roles every session must fill (``speaker``: at least one).
        recording_lag: How long after the end a recording may become available.
        severities: Overrides of ``DEFAULT_SEVERITIES``.
        disabled: Rule codes not to run.
        error_threshold: Violations at or above this severity are errors.

    >>> import datetime as dt
    >>> Rules(changeover=dt.timedelta(minutes=15), disabled={"recording-late"}).changeover
    datetime.timedelta(seconds=900)
    """

    changeover: _dt.timedelta = attrs.field(
        default=_dt.timedelta(minutes=10), converter=_changeover
    )
    audience_hours: tuple[_dt.time, _dt.time] = attrs.field(
        default=(_dt.time(8), _dt.time(22)), converter=_audience_window
    )
    audience_hours_by_region: Mapping[str, tuple[_dt.time, _dt.time]] = attrs.field(
        factory=dict, converter=_region_hours, hash=False
    )
    durations: Mapping[SessionFormat, tuple[_dt.timedelta, _dt.timedelta]] = attrs.field(
        default=_DEFAULT_DURATIONS, converter=_durations, hash=False
    )
    required_roles: frozenset[Role] = attrs.field(
        default=frozenset({Role.MODERATOR, Role.SPEAKER, Role.TECHNICIAN, Role.CHAT_EXPERT}),
        converter=_roles,
    )
    recording_lag: _dt.timedelta = attrs.field(default=_dt.timedelta(0), converter=_recording_lag)
    severities: Mapping[str, Severity] = attrs.field(
        factory=dict, converter=_severities, hash=False
    )
    disabled: frozenset[str] = attrs.field(factory=frozenset, converter=_codes)
    error_threshold: Severity = attrs.field(default=Severity.ERROR, converter=_error_threshold)

    def severity(self, code: str) -> Severity:
        """The severity a rule reports with."""
        return self.severities.get(code, DEFAULT_SEVERITIES[code])


class _Context:
    """What the rules share during one check: the programme, rules and helpers."""

    def __init__(self, programme: Programme, rules: Rules) -> None:
        self.programme = programme
        self.rules = rules
        self.index = programme._index  # the rules are the index's main user
        self.zone = resolve_zone(programme.salon.zone)

    def local(self, micro: int) -> str:
        """Format an instant in the salon's zone for messages."""
        moment = _dt.datetime.fromtimestamp(micro / 1_000_000, tz=self.zone)
        return moment.strftime("%Y-%m-%d %H:%M")

    def span(self, position: int) -> str:
        start, end = self.index.starts[position], self.index.ends[position]
        return f"{self.local(start)}–{self.local(end)[-5:]} {self.programme.salon.zone}"

    def violation(self, code: str, subjects: tuple[str, ...], en: str, ru: str) -> Violation:
        return Violation(
            code=code, severity=self.rules.severity(code), subjects=subjects, en=en, ru=ru
        )

    def root(self, session: Session) -> str:
        return session.relay_of if session.relay_of is not None else session.id


def _overlapping_pairs(
    positions: tuple[int, ...], starts: list[int], ends: list[int]
) -> Iterator[tuple[int, int]]:
    """Every overlapping pair of a group, by a sweep (positions come sorted by start)."""
    active: list[tuple[int, int]] = []  # heap of (end, position)
    for position in positions:
        start = starts[position]
        while active and active[0][0] <= start:
            heapq.heappop(active)
        for _, other in active:
            yield (other, position)
        heapq.heappush(active, (ends[position], position))


def _double_booked(ctx: _Context) -> Iterator[Violation]:
    index = ctx.index
    for person_id, positions in index.by_person.items():
        if len(positions) < 2:
            continue
        # A simulcast streams one talk in several channels at the same times (the
        # programme checks that): keep one session per talk, the original if the
        # person is in it, so relays cost nothing however many there are.
        talks: dict[str, int] = {}
        for position in positions:
            session = index.order[position]
            root = ctx.root(session)
            if root not in talks or session.id == root:
                talks[root] = position
        if len(talks) < 2:
            continue
        chosen = tuple(sorted(talks.values()))
        for first, second in _overlapping_pairs(chosen, index.starts, index.ends):
            a, b = index.order[first], index.order[second]
            name = index.people[person_id].name
            yield ctx.violation(
                "person-double-booked",
                (person_id, a.id, b.id),
                f"{name} ({person_id}) is booked in overlapping sessions {a.id} "
                f"({ctx.span(first)}) and {b.id} ({ctx.span(second)})",
                f"{name} ({person_id}) занят(а) одновременно в мероприятиях {a.id} "
                f"({ctx.span(first)}) и {b.id} ({ctx.span(second)})",
            )


def _channel_rules(ctx: _Context) -> Iterator[Violation]:
    index, rules = ctx.index, ctx.rules
    changeover = rules.changeover // _dt.timedelta(microseconds=1)
    check_overlap = "channel-overlap" not in rules.disabled
    check_changeover = "changeover-too-short" not in rules.disabled
    for channel_id, positions in index.by_channel.items():
        if check_overlap:
            for first, second in _overlapping_pairs(positions, index.starts, index.ends):
                a, b = index.order[first], index.order[second]
                yield ctx.violation(
                    "channel-overlap",
                    (channel_id, a.id, b.id),
                    f"sessions {a.id} ({ctx.span(first)}) and {b.id} ({ctx.span(second)}) "
                    f"overlap in channel {channel_id}",
                    f"мероприятия {a.id} ({ctx.span(first)}) и {b.id} ({ctx.span(second)}) "
                    f"пересекаются в плеере {channel_id}",
                )
        if not check_changeover:
            continue
        latest_end, latest = -1, -1
        for position in positions:
            gap = index.starts[position] - latest_end
            if latest >= 0 and 0 <= gap < changeover:
                a, b = index.order[latest], index.order[position]
                minutes = gap // 60_000_000
                need = changeover // 60_000_000
                yield ctx.violation(
                    "changeover-too-short",
                    (channel_id, a.id, b.id),
                    f"only {minutes} min between {a.id} and {b.id} in channel {channel_id} "
                    f"(changeover needs {need} min)",
                    f"между {a.id} и {b.id} в плеере {channel_id} всего {minutes} мин "
                    f"(на смену нужно {need} мин)",
                )
            if index.ends[position] > latest_end:
                latest_end, latest = index.ends[position], position


def _phase_days(ctx: _Context) -> list[tuple[int, int, int]]:
    """Every phase day as (start, next day's start, phase number), sorted."""
    days: list[tuple[int, int, int]] = []
    for number, phase in enumerate(ctx.programme.salon.phases):
        for day in phase.days():
            start, end = day_bounds(day, ctx.zone)
            days.append((micros(start), micros(end), number))
    return days


def _phase_rules(ctx: _Context) -> Iterator[Violation]:
    index, rules, salon = ctx.index, ctx.rules, ctx.programme.salon
    bounds = index.phase_bounds
    lows = [low for low, _ in bounds]
    days = _phase_days(ctx)
    day_starts = [start for start, _, _ in days]
    per_day: dict[int, list[int]] = {}
    per_phase: dict[int, list[int]] = {}
    kinds: dict[str, PhaseKind] = {}
    hours_windows = _hours_windows(ctx, days)
    for position, session in enumerate(index.order):
        start, end = index.starts[position], index.ends[position]
        number = bisect.bisect_right(lows, start) - 1
        if number < 0 or not (bounds[number][0] <= start and end <= bounds[number][1]):
            yield ctx.violation(
                "outside-phase",
                (session.id,),
                f"session {session.id} ({ctx.span(position)}) is not within one phase of the salon",
                f"мероприятие {session.id} ({ctx.span(position)}) не укладывается "
                "в один этап салона",
            )
            continue
        phase = salon.phases[number]
        kinds[session.id] = phase.kind
        if session.relay_of is None:
            per_phase.setdefault(number, []).append(position)
        day = bisect.bisect_right(day_starts, start) - 1
        if session.relay_of is None:
            per_day.setdefault(day, []).append(position)
        yield from _within_phase(ctx, position, phase, hours_windows.get(day))
    if "follow-up-out-of-phase" not in rules.disabled:
        yield from _follow_up_phases(ctx, kinds)
    if "phase-daily-limit" not in rules.disabled:
        for day, positions in sorted(per_day.items()):
            phase = salon.phases[days[day][2]]
            limit = phase.policy.max_per_day
            if limit is not None and len(positions) > limit:
                label = ctx.local(days[day][0])[:10]
                yield ctx.violation(
                    "phase-daily-limit",
                    tuple(index.order[p].id for p in positions),
                    f"{len(positions)} sessions on {label}, phase {phase.name!r} "
                    f"allows {limit} a day",
                    f"{label} запланировано мероприятий: {len(positions)}, этап «{phase.name}» "
                    f"допускает {limit} в день",
                )
    if "phase-parallel-limit" not in rules.disabled:
        for number, positions in sorted(per_phase.items()):
            phase = salon.phases[number]
            if phase.policy.max_parallel is not None:
                yield from _parallel(ctx, positions, phase.policy.max_parallel, phase.name)


def _within_phase(
    ctx: _Context, position: int, phase: Phase, window: tuple[int, int] | None
) -> Iterator[Violation]:
    """The phase's allowed formats and daily hours, for one session inside it."""
    session = ctx.index.order[position]
    allowed = phase.policy.allowed_formats
    if allowed is not None and session.format not in allowed:
        yield ctx.violation(
            "format-not-allowed",
            (session.id,),
            f"the format of session {session.id} ({session.format.label()}) is not "
            f"allowed in phase {phase.name!r}",
            f"формат мероприятия {session.id} ({session.format.label('ru')}) не разрешён "
            f"на этапе «{phase.name}»",
        )
    start, end = ctx.index.starts[position], ctx.index.ends[position]
    if window is not None and not (window[0] <= start and end <= window[1]):
        opening, closing = phase.policy.daily_hours  # type: ignore[misc] # set with window
        yield ctx.violation(
            "outside-phase-hours",
            (session.id,),
            f"session {session.id} ({ctx.span(position)}) runs outside the daily hours "
            f"{opening:%H:%M}–{closing:%H:%M} of phase {phase.name!r}",
            f"мероприятие {session.id} ({ctx.span(position)}) выходит за часы работы "
            f"{opening:%H:%M}–{closing:%H:%M} этапа «{phase.name}»",
        )


def _follow_up_phases(ctx: _Context, kinds: dict[str, PhaseKind]) -> Iterator[Violation]:
    """A follow-up continues a main-phase session in the continuation (MMSO-2020's plan)."""
    for session in ctx.index.order:
        if session.follows_up is None:
            continue
        mine, theirs = kinds.get(session.id), kinds.get(session.follows_up)
        if mine is None or theirs is None:
            continue  # outside every phase: reported as outside-phase
        if mine is PhaseKind.CONTINUATION and theirs is PhaseKind.MAIN:
            continue
        yield ctx.violation(
            "follow-up-out-of-phase",
            (session.id, session.follows_up),
            f"session {session.id} ({mine.value} phase) follows up {session.follows_up} "
            f"({theirs.value} phase); a follow-up continues a main-phase session in the "
            "continuation",
            f"мероприятие {session.id} продолжает {session.follows_up}, но продолжение "
            "должно идти на этапе «продолжение» после мероприятия основного этапа",
        )


def _hours_windows(ctx: _Context, days: list[tuple[int, int, int]]) -> dict[int, tuple[int, int]]:
    if "outside-phase-hours" in ctx.rules.disabled:
        return {}
    windows: dict[int, tuple[int, int]] = {}
    salon = ctx.programme.salon
    for number, (start, _, phase_number) in enumerate(days):
        hours = salon.phases[phase_number].policy.daily_hours
        if hours is None:
            continue
        day = _dt.datetime.fromtimestamp(start / 1_000_000, tz=ctx.zone).date()
        windows[number] = tuple(  # type: ignore[assignment] # a pair by construction
            micros(_wall(day, moment, ctx)) for moment in hours
        )
    return windows


def _wall(day: _dt.date, moment: _dt.time, ctx: _Context) -> _dt.datetime:
    return at_local(_dt.datetime.combine(day, moment), ctx.zone, disambiguate="compatible")


def _parallel(ctx: _Context, positions: list[int], limit: int, phase: str) -> Iterator[Violation]:
    """One violation per unbroken stretch of time with more than ``limit`` sessions live.

    Events at one instant are applied together (ends before starts: intervals are
    half-open), so sessions starting together all count and a hand-over at the limit's
    edge does not split a stretch. The violation names every session live in it.
    """
    index = ctx.index
    events = sorted(
        [(index.starts[p], 1, p) for p in positions] + [(index.ends[p], 0, p) for p in positions]
    )
    live: set[int] = set()
    members: set[int] = set()
    began, peak = 0, 0
    for moment, group in itertools.groupby(events, key=lambda event: event[0]):
        for _, kind, position in group:
            if kind:
                live.add(position)
            else:
                live.discard(position)
        if len(live) > limit:
            if not members:
                began = moment
            members |= live
            peak = max(peak, len(live))
        elif members:
            yield _parallel_violation(
                ctx, members, peak=peak, began=began, limit=limit, phase=phase
            )
            members, peak = set(), 0


def _parallel_violation(
    ctx: _Context, members: set[int], *, peak: int, began: int, limit: int, phase: str
) -> Violation:
    ids = tuple(ctx.index.order[p].id for p in sorted(members))
    listed = ", ".join(ids)
    return ctx.violation(
        "phase-parallel-limit",
        ids,
        f"{peak} sessions live at once from {ctx.local(began)} ({listed}); "
        f"phase {phase!r} allows {limit}",
        f"с {ctx.local(began)} одновременно идут {peak} "
        f"{plural_ru(peak, 'мероприятие', 'мероприятия', 'мероприятий')} ({listed}); "
        f"этап «{phase}» допускает {limit}",
    )


def _unavailable(ctx: _Context) -> Iterator[Violation]:
    index = ctx.index
    for person in ctx.programme.people:
        if not person.availability:
            continue
        spans = _merged([(micros(i.start), micros(i.end)) for i in person.availability])
        lows = [low for low, _ in spans]
        for position in index.by_person.get(person.id, ()):
            start, end = index.starts[position], index.ends[position]
            slot = bisect.bisect_right(lows, start) - 1
            if slot >= 0 and end <= spans[slot][1]:
                continue
            session = index.order[position]
            yield ctx.violation(
                "person-unavailable",
                (person.id, session.id),
                f"{person.name} ({person.id}) is not available for {session.id} "
                f"({ctx.span(position)})",
                f"{person.name} ({person.id}) недоступен(на) во время {session.id} "
                f"({ctx.span(position)})",
            )


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


_ROLE_NAMES: Final = {
    Role.MODERATOR: ("moderator", "модератор"),
    Role.SPEAKER: ("speaker", "спикер"),
    Role.TECHNICIAN: ("technician", "технический специалист"),
    Role.CHAT_EXPERT: ("chat expert", "эксперт-модератор чата"),
}


def _session_rules(ctx: _Context) -> Iterator[Violation]:
    """Rules about one session at a time: roles, duration, follow-ups, recordings."""
    rules, index = ctx.rules, ctx.index
    run = {code: code not in rules.disabled for code in RULE_CODES}
    lag = rules.recording_lag
    lag_micros = lag // _dt.timedelta(microseconds=1)
    required = [role for role in Role if role in rules.required_roles]
    for position, session in enumerate(index.order):
        if run["missing-role"]:
            filled = {
                Role.MODERATOR: session.moderator is not None,
                Role.SPEAKER: bool(session.speakers),
                Role.TECHNICIAN: session.technician is not None,
                Role.CHAT_EXPERT: session.chat_expert is not None,
            }
            missing = [role for role in required if not filled[role]]
            if missing:
                yield ctx.violation(
                    "missing-role",
                    (session.id,),
                    f"session {session.id} has no {', '.join(_ROLE_NAMES[r][0] for r in missing)}",
                    f"у мероприятия {session.id} не "
                    f"{'назначен' if len(missing) == 1 else 'назначены'}: "
                    f"{', '.join(_ROLE_NAMES[r][1] for r in missing)}",
                )
        bounds = rules.durations.get(session.format)
        if run["duration-out-of-range"] and bounds is not None:
            shortest, longest = bounds
            if not shortest <= session.duration <= longest:
                minutes = session.duration // _MINUTE
                low, high = shortest // _MINUTE, longest // _MINUTE
                yield ctx.violation(
                    "duration-out-of-range",
                    (session.id,),
                    f"session {session.id} lasts {minutes} min; the format "
                    f"«{session.format.label()}» allows {low}–{high} min",
                    f"мероприятие {session.id} длится {minutes} мин; для формата "
                    f"«{session.format.label('ru')}» допустимо {low}–{high} мин",
                )
        if run["follow-up-before-original"] and session.follows_up is not None:
            original = index.sessions[session.follows_up]
            if session.starts_at < original.ends_at:
                yield ctx.violation(
                    "follow-up-before-original",
                    (session.id, original.id),
                    f"session {session.id} follows up {original.id} but starts before it ends",
                    f"мероприятие {session.id} продолжает {original.id}, но начинается "
                    "раньше, чем оно закончится",
                )
        available = session.recording_available_at
        if (
            run["recording-late"]
            and available is not None
            and micros(available) > index.ends[position] + lag_micros
        ):
            yield recording_late(session.id, session.ends_at, available, rules)


def recording_late(
    session_id: str, ended_at: Instant, available_at: Instant, rules: Rules
) -> Violation:
    """The ``recording-late`` violation of a recording available after the allowed lag."""
    late = elapsed(ended_at, available_at) // _MINUTE
    lag = rules.recording_lag // _MINUTE
    return Violation(
        code="recording-late",
        severity=rules.severity("recording-late"),
        subjects=(session_id,),
        en=f"the recording of {session_id} becomes available {late} min after the end "
        f"(allowed: {lag} min)",
        ru=f"запись {session_id} станет доступна через {late} мин после окончания "
        f"(допустимо {lag} мин)",
    )


def _audience_hours(ctx: _Context) -> Iterator[Violation]:
    rules, index = ctx.rules, ctx.index
    zones: dict[str, _dt.tzinfo] = {}
    for position, session in enumerate(index.order):
        for code in session.audience_regions:
            zone = zones.get(code)
            if zone is None:
                zone = zones[code] = resolve_zone(region(code))
            opening, closing = rules.audience_hours_by_region.get(code, rules.audience_hours)
            start = _dt.datetime.fromtimestamp(index.starts[position] / 1_000_000, tz=zone)
            end = _dt.datetime.fromtimestamp(index.ends[position] / 1_000_000, tz=zone)
            day = start.date()
            window_end = _dt.datetime.combine(day, closing)
            if start.time() >= opening and end.replace(tzinfo=None) <= window_end:
                continue
            place = region(code)
            yield ctx.violation(
                "outside-audience-hours",
                (session.id, code),
                f"session {session.id} runs {start:%H:%M}–{end:%H:%M} local time in "
                f"{place.name_en}, outside its audience hours {opening:%H:%M}–{closing:%H:%M}",
                f"мероприятие {session.id} идёт с {start:%H:%M} до {end:%H:%M} по местному "
                f"времени ({place.name_ru}), вне часов аудитории {opening:%H:%M}–{closing:%H:%M}",
            )


_RULES: Final[tuple[tuple[tuple[str, ...], Callable[[_Context], Iterator[Violation]]], ...]] = (
    (("person-double-booked",), _double_booked),
    (("channel-overlap", "changeover-too-short"), _channel_rules),
    (
        (
            "outside-phase",
            "phase-parallel-limit",
            "phase-daily-limit",
            "outside-phase-hours",
            "format-not-allowed",
            "follow-up-out-of-phase",
        ),
        _phase_rules,
    ),
    (("person-unavailable",), _unavailable),
    (
        ("missing-role", "duration-out-of-range", "follow-up-before-original", "recording-late"),
        _session_rules,
    ),
    (("outside-audience-hours",), _audience_hours),
)


def check(programme: Programme, rules: Rules | None = None) -> Report:
    """Check a programme against every scheduling rule.

    Args:
        programme: The programme.
        rules: The knobs; ``Rules()`` when omitted.

    Returns:
        A report with every violation found, most severe first.
    """
    if not isinstance(programme, Programme):
        raise InvalidValueError(field="programme", value=programme, reason="must be a Programme")
    rules = rules if rules is not None else Rules()
    if not isinstance(rules, Rules):
        raise InvalidValueError(field="rules", value=rules, reason="must be Rules or None")
    ctx = _Context(programme, rules)
    found: list[Violation] = []
    for codes, rule in _RULES:
        if all(code in rules.disabled for code in codes):
            continue
        found.extend(v for v in rule(ctx) if v.code not in rules.disabled)
    return Report(violations=tuple(found), error_threshold=rules.error_threshold)
