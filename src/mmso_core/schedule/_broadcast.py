"""A session on air: the radio-style broadcast as an event log and a pure state machine.

Each MMSO-2020 session ran like a radio broadcast: the moderator is seen and heard
throughout, a technician behind the scenes brings the speakers on air one at a time,
and the recording is available right after the end. A
[`Broadcast`][mmso_core.schedule.Broadcast] is an immutable value: its event log is
the truth and its state is what replaying the log gives. A command returns a new
broadcast with one more event, or raises
[`BroadcastError`][mmso_core.schedule.BroadcastError] and changes nothing.

>>> from mmso_core.samples import mmso_2020
>>> table = mmso_2020().session("samara-round-table")
>>> live = Broadcast(session=table).go_live("2020-04-29T17:20+03:00", by=table.technician)
>>> live = live.bring_on_air(table.speakers[0], "2020-04-29T17:25+03:00", by=table.technician)
>>> live.state.status.value, live.state.on_air == (table.speakers[0],)
('live', True)
>>> live.bring_on_air(table.speakers[1], "2020-04-29T17:30+03:00", by=table.technician)
Traceback (most recent call last):
...
mmso_core.errors.BroadcastError: cannot bring_on_air while live: at most 1 ...
"""

import datetime as _dt
import enum
import json
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final, final

import attrs

from mmso_core._time import Instant, elapsed, to_instant
from mmso_core.errors import BroadcastError, InvalidValueError
from mmso_core.schedule._model import Session

__all__ = [
    "Broadcast",
    "BroadcastEvent",
    "BroadcastState",
    "BroadcastStatus",
    "Command",
    "SpeakerTurn",
]


class BroadcastStatus(enum.StrEnum):
    """Where a broadcast is: scheduled -> live -> ended."""

    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


class Command(enum.StrEnum):
    """The four commands of a broadcast."""

    GO_LIVE = "go_live"
    BRING_ON_AIR = "bring_on_air"
    TAKE_OFF_AIR = "take_off_air"
    END = "end"


def _event_at(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="BroadcastEvent.at")


def _event_command(value: Command | str) -> Command:
    try:
        return Command(value)
    except ValueError:
        raise InvalidValueError(
            field="BroadcastEvent.command",
            value=value,
            reason=f"must be one of {', '.join(c.value for c in Command)}",
        ) from None


@final
@attrs.frozen(kw_only=True)
class BroadcastEvent:
    """One entry of the log: a command, when, by whom (and which speaker).

    Attributes:
        command: What was done.
        at: When.
        by: Id of the person who did it (the technician or the moderator).
        speaker: The speaker brought on or taken off air (those two commands only).
    """

    command: Command = attrs.field(converter=_event_command)
    at: Instant = attrs.field(converter=_event_at)
    by: str
    speaker: str | None = attrs.field(default=None)

    @speaker.validator
    def _speaker_fits_command(self, _attribute: object, value: str | None) -> None:
        switching = self.command in (Command.BRING_ON_AIR, Command.TAKE_OFF_AIR)
        if switching and not value:
            raise InvalidValueError(
                field="BroadcastEvent.speaker", value=value, reason=f"{self.command} needs one"
            )
        if not switching and value is not None:
            raise InvalidValueError(
                field="BroadcastEvent.speaker",
                value=value,
                reason=f"{self.command} takes no speaker",
            )

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready mapping (ISO 8601 UTC time)."""
        data = {"command": self.command.value, "at": self.at.isoformat(), "by": self.by}
        if self.speaker is not None:
            data["speaker"] = self.speaker
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "BroadcastEvent":
        """Build an event from ``to_dict()``'s mapping."""
        unknown = sorted(set(data) - {"command", "at", "by", "speaker"})
        if unknown:
            raise InvalidValueError(field="BroadcastEvent", value=unknown, reason="unknown keys")
        try:
            return cls(
                command=data["command"], at=data["at"], by=data["by"], speaker=data.get("speaker")
            )
        except KeyError as missing:
            raise InvalidValueError(
                field=f"BroadcastEvent.{missing.args[0]}", value=None, reason="is missing"
            ) from None


@final
@attrs.frozen(kw_only=True)
class SpeakerTurn:
    """One speaker's time on air; ``ends_at`` is ``None`` while still on air.

    Attributes:
        speaker: The speaker's id.
        starts_at: When they went on air.
        ends_at: When they went off air (or the broadcast ended).
    """

    speaker: str
    starts_at: Instant
    ends_at: Instant | None = None


@final
@attrs.frozen(kw_only=True)
class BroadcastState:
    """What replaying a log gives.

    Attributes:
        status: Scheduled, live or ended.
        on_air: Speakers on air now, in the order they went on.
        turns: Every speaker turn so far, in order of start (open ones last).
        started_at: When it went live.
        ended_at: When it ended.
        last_at: The time of the last event (commands may not go before it).
    """

    status: BroadcastStatus = BroadcastStatus.SCHEDULED
    on_air: tuple[str, ...] = ()
    turns: tuple[SpeakerTurn, ...] = ()
    started_at: Instant | None = None
    ended_at: Instant | None = None
    last_at: Instant | None = None

    @property
    def moderator_on_air(self) -> bool:
        """The moderator is on air for the whole live period, and only then."""
        return self.status is BroadcastStatus.LIVE


def step(
    state: BroadcastState, event: BroadcastEvent, session: Session, max_on_air: int = 1
) -> BroadcastState:
    """The state machine: the state after one event, or ``BroadcastError``.

    Pure: the given state is never changed.
    """

    def refuse(rule: str, detail: str) -> BroadcastError:
        return BroadcastError(
            session=session.id,
            status=state.status.value,
            command=event.command.value,
            rule=rule,
            detail=detail,
        )

    if state.last_at is not None and event.at < state.last_at:
        raise refuse(
            "time-goes-forward",
            f"{event.at.isoformat()} is before the last event at {state.last_at.isoformat()}",
        )
    crew = {session.technician, session.moderator} - {None}
    if event.by not in crew:
        raise refuse(
            "technician-or-moderator",
            f"only the session's technician or moderator runs the broadcast "
            f"({event.by!r} is neither)",
        )
    if state.status is BroadcastStatus.ENDED:
        raise refuse("ended-is-final", "the broadcast has ended")
    if event.command is Command.GO_LIVE:
        if state.status is not BroadcastStatus.SCHEDULED:
            raise refuse("go-live-once", "the broadcast is already live")
        return attrs.evolve(
            state, status=BroadcastStatus.LIVE, started_at=event.at, last_at=event.at
        )
    if state.status is not BroadcastStatus.LIVE:
        raise refuse("live-first", "the broadcast has not gone live yet")
    if event.command is Command.END:
        turns = tuple(
            turn if turn.ends_at is not None else attrs.evolve(turn, ends_at=event.at)
            for turn in state.turns
        )
        return attrs.evolve(
            state,
            status=BroadcastStatus.ENDED,
            on_air=(),
            turns=turns,
            ended_at=event.at,
            last_at=event.at,
        )
    speaker = str(event.speaker)
    if event.command is Command.BRING_ON_AIR:
        if speaker not in session.speakers:
            raise refuse(
                "lineup-only", f"{speaker!r} is not in the session's lineup {session.speakers}"
            )
        if speaker in state.on_air:
            raise refuse("not-twice", f"{speaker!r} is already on air")
        if len(state.on_air) >= max_on_air:
            raise refuse(
                "one-speaker-at-a-time",
                f"at most {max_on_air} speaker(s) on air at once ({', '.join(state.on_air)} "
                "on air now)",
            )
        return attrs.evolve(
            state,
            on_air=(*state.on_air, speaker),
            turns=(*state.turns, SpeakerTurn(speaker=speaker, starts_at=event.at)),
            last_at=event.at,
        )
    if speaker not in state.on_air:
        raise refuse("on-air-first", f"{speaker!r} is not on air")
    turns = tuple(
        attrs.evolve(turn, ends_at=event.at)
        if turn.speaker == speaker and turn.ends_at is None
        else turn
        for turn in state.turns
    )
    return attrs.evolve(
        state,
        on_air=tuple(s for s in state.on_air if s != speaker),
        turns=turns,
        last_at=event.at,
    )


def _max_on_air(instance: object, attribute: object, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidValueError(
            field="Broadcast.max_on_air", value=value, reason="must be a positive integer"
        )


def _log(value: Iterable[BroadcastEvent]) -> tuple[BroadcastEvent, ...]:
    items = tuple(value)
    for position, item in enumerate(items):
        if not isinstance(item, BroadcastEvent):
            raise InvalidValueError(
                field=f"Broadcast.log[{position}]", value=item, reason="must be a BroadcastEvent"
            )
    return items


@final
@attrs.frozen(kw_only=True)
class Broadcast:
    """The live state of one session: its log, and the state the log replays to.

    Attributes:
        session: The session on air.
        max_on_air: How many speakers may be on air at once (default 1, radio-style).
        log: The events so far; the state is rebuilt from them at construction.

    Raises:
        BroadcastError: The log holds an illegal command.
    """

    FORMAT_VERSION: ClassVar[int] = 1

    session: Session
    max_on_air: int = attrs.field(default=1, validator=_max_on_air)
    log: tuple[BroadcastEvent, ...] = attrs.field(factory=tuple, converter=_log)
    state: BroadcastState = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "state", replay(self.session, self.log, self.max_on_air))

    def apply(self, event: BroadcastEvent) -> "Broadcast":
        """A new broadcast with ``event`` appended (``BroadcastError`` if illegal)."""
        step(self.state, event, self.session, self.max_on_air)  # refuse before copying
        return attrs.evolve(self, log=(*self.log, event))

    def go_live(self, at: _dt.datetime | str, *, by: str | None) -> "Broadcast":
        """Start the stream: the moderator is on air from now until the end."""
        return self.apply(command_event(Command.GO_LIVE, at, by=by))

    def bring_on_air(self, speaker: str, at: _dt.datetime | str, *, by: str | None) -> "Broadcast":
        """Bring a speaker of the lineup on air."""
        return self.apply(command_event(Command.BRING_ON_AIR, at, by=by, speaker=speaker))

    def take_off_air(self, speaker: str, at: _dt.datetime | str, *, by: str | None) -> "Broadcast":
        """Take a speaker off air."""
        return self.apply(command_event(Command.TAKE_OFF_AIR, at, by=by, speaker=speaker))

    def end(self, at: _dt.datetime | str, *, by: str | None) -> "Broadcast":
        """End the broadcast; speakers still on air go off air with it."""
        return self.apply(command_event(Command.END, at, by=by))

    def overrun(self, at: _dt.datetime | str | None = None) -> _dt.timedelta:
        """How far past its scheduled end the session is running (or ran), never negative.

        While live it is measured at ``at`` (required then); once ended, at the real
        end; before going live it is zero.
        """
        state = self.state
        if state.status is BroadcastStatus.SCHEDULED:
            return _dt.timedelta(0)
        if state.ended_at is not None:
            end = state.ended_at
        elif at is None:
            raise InvalidValueError(
                field="at", value=at, reason="a live broadcast's overrun is measured at an instant"
            )
        else:
            end = to_instant(at, field="at")
        return max(elapsed(self.session.ends_at, end), _dt.timedelta(0))

    def live_at(self, at: _dt.datetime | str) -> bool:
        """Whether the log has the session on air at an instant (went live, not yet ended)."""
        state = self.state
        moment = to_instant(at, field="at")
        if state.started_at is None or moment < state.started_at:
            return False
        return state.ended_at is None or moment < state.ended_at

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of the log (the state is derived, so not stored)."""
        return {
            "format": self.FORMAT_VERSION,
            "session": self.session.id,
            "max_on_air": self.max_on_air,
            "log": [event.to_dict() for event in self.log],
        }

    def to_json(self) -> str:
        """The log as JSON; ``from_json(to_json(), session)`` gives an equal broadcast."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, session: Session) -> "Broadcast":
        """Rebuild a broadcast from ``to_dict()``'s mapping and the session it is of.

        Raises:
            InvalidValueError: The mapping is malformed or is of another session.
            BroadcastError: The log holds an illegal command.
        """
        if data.get("format") != cls.FORMAT_VERSION:
            raise InvalidValueError(
                field="format", value=data.get("format"), reason=f"expected {cls.FORMAT_VERSION}"
            )
        if data.get("session") != session.id:
            raise InvalidValueError(
                field="session",
                value=data.get("session"),
                reason=f"the log is not of session {session.id!r}",
            )
        events = data.get("log")
        if not isinstance(events, list):
            raise InvalidValueError(field="log", value=events, reason="must be a list")
        return cls(
            session=session,
            max_on_air=data.get("max_on_air", 1),
            log=[BroadcastEvent.from_dict(item) for item in events],
        )

    @classmethod
    def from_json(cls, text: str, *, session: Session) -> "Broadcast":
        """Rebuild a broadcast from ``to_json()``'s text."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidValueError(field="json", value=text[:80], reason=str(error)) from None
        if not isinstance(data, dict):
            raise InvalidValueError(field="json", value=text[:80], reason="must be an object")
        return cls.from_dict(data, session=session)


def replay(session: Session, log: Iterable[BroadcastEvent], max_on_air: int = 1) -> BroadcastState:
    """Replay a log from the scheduled state; the log is the truth."""
    state = _SCHEDULED
    for event in log:
        state = step(state, event, session, max_on_air)
    return state


_SCHEDULED: Final = BroadcastState()


def command_event(
    command: Command, at: _dt.datetime | str, *, by: str | None, speaker: str | None = None
) -> BroadcastEvent:
    """The event of a command, refusing a missing actor with a clear error."""
    if not by:
        raise InvalidValueError(field="by", value=by, reason="name the person acting")
    return BroadcastEvent(command=command, at=at, by=by, speaker=speaker)
