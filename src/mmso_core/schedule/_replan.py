"""Re-planning after an overrun: shift the channel's later sessions as little as needed.

>>> import datetime as dt
>>> from mmso_core.samples import mmso_2020
>>> programme = mmso_2020()
>>> plan = programme.with_delay("samara-round-table", dt.timedelta(minutes=35))
>>> {key: delta.seconds // 60 for key, delta in plan.shifted.items()}
{'samara-round-table': 35, 's147': 25}
>>> plan.report.violations
()
>>> worse = programme.with_delay("samara-round-table", dt.timedelta(minutes=90))
>>> [v.code for v in worse.report.violations]
['person-unavailable', 'duration-out-of-range', 'outside-phase-hours']
"""

import datetime as _dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import final

import attrs

from mmso_core._report import Report, Violation
from mmso_core._time import Instant, elapsed
from mmso_core.errors import InvalidValueError
from mmso_core.schedule._model import Phase, Session
from mmso_core.schedule._programme import Programme
from mmso_core.schedule._rules import Rules, check

__all__ = ["Replan", "replan"]


@final
@attrs.frozen(kw_only=True)
class Replan:
    """The outcome of ``Programme.with_delay``.

    Attributes:
        programme: The re-planned programme.
        shifted: Session id -> how much later it now ends (the delayed session) or
            starts and ends (every session moved after it).
        report: The violations of the new programme that the old one did not have:
            what the shift breaks (double bookings, phase hours and boundaries,
            audience hours...). Nothing crosses a phase boundary silently.
    """

    programme: Programme
    shifted: Mapping[str, _dt.timedelta]
    report: Report


def replan(
    programme: Programme,
    session_id: str,
    delay: _dt.timedelta,
    *,
    rules: Rules | None = None,
) -> Replan:
    """See ``Programme.with_delay``."""
    rules = rules if rules is not None else Rules()
    if not isinstance(delay, _dt.timedelta) or delay < _dt.timedelta(0):
        raise InvalidValueError(field="delay", value=delay, reason="must be a timedelta >= 0")
    target = programme.session(session_id)
    if target.relay_of is not None:
        target = programme.session(target.relay_of)
    if not delay:
        return Replan(
            programme=programme, shifted=MappingProxyType({}), report=Report(violations=())
        )
    relays: dict[str, list[Session]] = {}
    for session in programme.sessions:
        if session.relay_of is not None:
            relays.setdefault(session.relay_of, []).append(session)
    moved: dict[str, Session] = {}
    shifted: dict[str, _dt.timedelta] = {}

    def move(session: Session, starts_at: Instant, ends_at: Instant) -> list[Session]:
        """Record the new times of a session and its relays; return them all."""
        changed = []
        for item in (session, *relays.get(session.id, ())):
            extra = elapsed(item.ends_at, ends_at)
            recording = item.recording_available_at
            new = attrs.evolve(
                item,
                starts_at=starts_at,
                ends_at=ends_at,
                recording_available_at=None if recording is None else recording + extra,
            )
            moved[item.id] = new
            shifted[item.id] = extra
            changed.append(new)
        return changed

    queue = move(target, target.starts_at, target.ends_at + delay)
    while queue:
        current = queue.pop(0)
        original = programme.session(current.id)
        previous_end = current.ends_at
        channel = programme.sessions_in_channel(current.channel)
        later = channel[channel.index(original) + 1 :]
        for follower in later:
            present = moved.get(follower.id, follower)
            earliest = previous_end + rules.changeover
            if present.starts_at >= earliest:
                break  # a gap absorbs the shift: the rest of the channel keeps its times
            push = earliest - present.starts_at
            queue.extend(move(present, present.starts_at + push, present.ends_at + push))
            previous_end = moved[follower.id].ends_at
    new = attrs.evolve(programme, sessions=tuple(moved.get(s.id, s) for s in programme.sessions))
    before = {(v.code, v.subjects) for v in check(programme, rules).violations}
    broken = [v for v in check(new, rules).violations if (v.code, v.subjects) not in before]
    if "shifted-across-phase" not in rules.disabled:
        broken += _phase_changes(programme, new, shifted, rules)
    return Replan(
        programme=new,
        shifted=MappingProxyType(shifted),
        report=Report(violations=tuple(broken), error_threshold=rules.error_threshold),
    )


def _phase_changes(
    old: Programme, new: Programme, shifted: Mapping[str, _dt.timedelta], rules: Rules
) -> list[Violation]:
    """A session pushed into another phase, or out of all of them, is never silent."""
    found = []
    for session_id in shifted:
        before = old.phase_of(session_id)
        after = _phase_containing(new, new.session(session_id))
        if after == before:
            continue
        was = f"phase {before.name!r}" if before else "no phase"
        was_ru = f"этапа «{before.name}»" if before else "вне этапов"
        now = f"into phase {after.name!r}" if after else "out of every phase"
        now_ru = f"в этап «{after.name}»" if after else "за пределы всех этапов"
        found.append(
            Violation(
                code="shifted-across-phase",
                severity=rules.severity("shifted-across-phase"),
                subjects=(session_id,),
                en=f"the shift moves {session_id} from {was} {now}",
                ru=f"сдвиг переносит {session_id} из {was_ru} {now_ru}",
            )
        )
    return found


def _phase_containing(programme: Programme, session: Session) -> Phase | None:
    """The phase that holds the whole session, if one does."""
    zone = programme.salon.zone
    for phase in programme.salon.phases:
        if phase.interval(zone).covers(session.interval):
            return phase
    return None
