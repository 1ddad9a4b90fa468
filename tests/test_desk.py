"""The broadcast desk and its storage port."""

import threading

import pytest

from mmso_core import UnknownIdError
from mmso_core.samples import SAMARA_ROUND_TABLE_ID, mmso_2020
from mmso_core.schedule import (
    BroadcastDesk,
    BroadcastError,
    BroadcastEvent,
    BroadcastStatus,
    BroadcastStore,
    InMemoryBroadcastStore,
)

PROGRAMME = mmso_2020()
TABLE = PROGRAMME.session(SAMARA_ROUND_TABLE_ID)
TECH = str(TABLE.technician)


def at(clock: str) -> str:
    return f"2020-04-29T{clock}+03:00"


def test_commands_are_checked_then_stored() -> None:
    store = InMemoryBroadcastStore()
    assert isinstance(store, BroadcastStore)
    desk = BroadcastDesk(PROGRAMME, store=store)
    desk.go_live(SAMARA_ROUND_TABLE_ID, at("17:20"), by=TECH)
    desk.bring_on_air(SAMARA_ROUND_TABLE_ID, TABLE.speakers[0], at("17:24"), by=TECH)
    with pytest.raises(BroadcastError, match="one-speaker-at-a-time"):
        desk.bring_on_air(SAMARA_ROUND_TABLE_ID, TABLE.speakers[1], at("17:25"), by=TECH)
    assert len(store.events(SAMARA_ROUND_TABLE_ID)) == 2  # the illegal command left no trace
    desk.take_off_air(SAMARA_ROUND_TABLE_ID, TABLE.speakers[0], at("17:38"), by=TECH)
    assert [s.id for s in desk.live()] == [SAMARA_ROUND_TABLE_ID]
    show = desk.end(SAMARA_ROUND_TABLE_ID, at("18:50"), by=TECH)
    assert show.state.status is BroadcastStatus.ENDED
    assert desk.broadcast(SAMARA_ROUND_TABLE_ID) == show
    assert desk.live() == ()
    assert store.sessions() == (SAMARA_ROUND_TABLE_ID,)
    assert desk.broadcast("s001").log == ()


def test_unknown_sessions_and_a_custom_store() -> None:
    class ListStore:
        def __init__(self) -> None:
            self.rows: list[tuple[str, BroadcastEvent]] = []

        def events(self, session_id: str) -> tuple[BroadcastEvent, ...]:
            return tuple(e for s, e in self.rows if s == session_id)

        def append(self, session_id: str, event: BroadcastEvent) -> None:
            self.rows.append((session_id, event))

        def sessions(self) -> tuple[str, ...]:
            return tuple(dict.fromkeys(s for s, _ in self.rows))

    store = ListStore()
    desk = BroadcastDesk(PROGRAMME, store=store, max_on_air=2)
    desk.go_live(SAMARA_ROUND_TABLE_ID, at("17:20"), by=TECH)
    desk.bring_on_air(SAMARA_ROUND_TABLE_ID, TABLE.speakers[0], at("17:21"), by=TECH)
    desk.bring_on_air(SAMARA_ROUND_TABLE_ID, TABLE.speakers[1], at("17:21"), by=TECH)
    assert len(store.rows) == 3
    with pytest.raises(UnknownIdError):
        desk.go_live("nope", at("17:20"), by=TECH)


def test_concurrent_commands_keep_a_legal_log() -> None:
    desk = BroadcastDesk(PROGRAMME)
    desk.go_live(SAMARA_ROUND_TABLE_ID, at("17:20"), by=TECH)
    outcomes: list[str] = []

    def bring(speaker: str) -> None:
        try:
            desk.bring_on_air(SAMARA_ROUND_TABLE_ID, speaker, at("17:30"), by=TECH)
            outcomes.append("ok")
        except BroadcastError:
            outcomes.append("refused")

    threads = [threading.Thread(target=bring, args=(s,)) for s in TABLE.speakers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * (len(TABLE.speakers) - 1)
    assert len(desk.broadcast(SAMARA_ROUND_TABLE_ID).state.on_air) == 1
