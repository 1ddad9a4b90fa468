"""The broadcast desk: live state of every session behind a small storage port.

A [`Broadcast`][mmso_core.schedule.Broadcast] is an immutable value; a front end
that runs many sessions at once needs somewhere to keep their logs. The desk keeps
them behind the [`BroadcastStore`][mmso_core.schedule.BroadcastStore] protocol (an
append-only log per session), with a thread-safe in-memory default. A command is
checked against the replayed state before it is stored, so the store only ever
holds legal logs.

>>> from mmso_core.samples import mmso_2020
>>> programme = mmso_2020()
>>> desk = BroadcastDesk(programme)
>>> table = programme.session("samara-round-table")
>>> show = desk.go_live("samara-round-table", "2020-04-29T17:20+03:00", by=table.technician)
>>> desk.broadcast("samara-round-table").state.status.value
'live'
>>> [s.id for s in desk.live()]
['samara-round-table']
"""

import datetime as _dt
import threading
from typing import Protocol, final, runtime_checkable

from mmso_core.schedule._broadcast import (
    Broadcast,
    BroadcastEvent,
    BroadcastStatus,
    Command,
    command_event,
)
from mmso_core.schedule._model import Session
from mmso_core.schedule._programme import ChannelStatus, Programme

__all__ = ["BroadcastDesk", "BroadcastStore", "InMemoryBroadcastStore"]


@runtime_checkable
class BroadcastStore(Protocol):
    """Where the desk keeps each session's event log (append-only)."""

    def events(self, session_id: str) -> tuple[BroadcastEvent, ...]:
        """The log of a session so far (empty if nothing happened yet)."""

    def append(self, session_id: str, event: BroadcastEvent) -> None:
        """Add one event at the end of a session's log."""

    def sessions(self) -> tuple[str, ...]:
        """Ids of the sessions that have a log."""


@final
class InMemoryBroadcastStore:
    """The default store: a dictionary of logs guarded by a lock."""

    def __init__(self) -> None:
        self._logs: dict[str, list[BroadcastEvent]] = {}
        self._lock = threading.Lock()

    def events(self, session_id: str) -> tuple[BroadcastEvent, ...]:
        """The log of a session so far."""
        with self._lock:
            return tuple(self._logs.get(session_id, ()))

    def append(self, session_id: str, event: BroadcastEvent) -> None:
        """Add one event at the end of a session's log."""
        with self._lock:
            self._logs.setdefault(session_id, []).append(event)

    def sessions(self) -> tuple[str, ...]:
        """Ids of the sessions that have a log, in the order they started one."""
        with self._lock:
            return tuple(self._logs)


@final
class BroadcastDesk:
    """Runs the broadcasts of a programme: one command at a time, checked, then stored.

    Args:
        programme: The programme whose sessions go on air.
        store: Where logs are kept (an ``InMemoryBroadcastStore`` by default).
        max_on_air: How many speakers may be on air at once in every session.
    """

    def __init__(
        self, programme: Programme, *, store: BroadcastStore | None = None, max_on_air: int = 1
    ) -> None:
        self.programme = programme
        self.store: BroadcastStore = store if store is not None else InMemoryBroadcastStore()
        self.max_on_air = max_on_air
        self._lock = threading.Lock()

    def broadcast(self, session_id: str) -> Broadcast:
        """The broadcast of a session, replayed from its stored log."""
        return self._replay(self.programme.session(session_id))

    def _replay(self, session: Session) -> Broadcast:
        return Broadcast(
            session=session, max_on_air=self.max_on_air, log=self.store.events(session.id)
        )

    def submit(self, session_id: str, event: BroadcastEvent) -> Broadcast:
        """Apply one command; store it only if the state machine accepts it.

        Raises:
            UnknownIdError: No such session.
            BroadcastError: The command is illegal; nothing is stored.
        """
        session = self.programme.session(session_id)
        with self._lock:  # load, check and append as one step
            updated = self._replay(session).apply(event)
            self.store.append(session.id, event)
        return updated

    def go_live(self, session_id: str, at: _dt.datetime | str, *, by: str | None) -> Broadcast:
        """Start a session's stream."""
        return self._command(session_id, Command.GO_LIVE, at, by)

    def bring_on_air(
        self, session_id: str, speaker: str, at: _dt.datetime | str, *, by: str | None
    ) -> Broadcast:
        """Bring a speaker of the session's lineup on air."""
        return self._command(session_id, Command.BRING_ON_AIR, at, by, speaker)

    def take_off_air(
        self, session_id: str, speaker: str, at: _dt.datetime | str, *, by: str | None
    ) -> Broadcast:
        """Take a speaker off air."""
        return self._command(session_id, Command.TAKE_OFF_AIR, at, by, speaker)

    def end(self, session_id: str, at: _dt.datetime | str, *, by: str | None) -> Broadcast:
        """End a session's stream."""
        return self._command(session_id, Command.END, at, by)

    def _command(
        self,
        session_id: str,
        command: Command,
        at: _dt.datetime | str,
        by: str | None,
        speaker: str | None = None,
    ) -> Broadcast:
        return self.submit(session_id, command_event(command, at, by=by, speaker=speaker))

    def channel_status(self, at: _dt.datetime | str) -> tuple[ChannelStatus, ...]:
        """The programme's channels at an instant, as the stored logs have them."""
        broadcasts = [self.broadcast(session_id) for session_id in self.store.sessions()]
        return self.programme.channel_status(at, broadcasts=broadcasts)

    def live(self) -> tuple[Session, ...]:
        """Sessions on air now, by the stored logs (not by the clock)."""
        return tuple(
            self.programme.session(session_id)
            for session_id in self.store.sessions()
            if self.broadcast(session_id).state.status is BroadcastStatus.LIVE
        )
