"""The Samara round table of 29 April 2020 on air: a deterministic sample broadcast."""

import datetime as _dt
import functools

from mmso_core.samples._mmso2020 import SAMARA_ROUND_TABLE_ID, mmso_2020
from mmso_core.schedule import Broadcast

__all__ = ["samara_broadcast"]

_INTRO = _dt.timedelta(minutes=4)
_TURN = _dt.timedelta(minutes=14)
_BRIDGE = _dt.timedelta(minutes=2)  # the moderator between two speakers


@functools.cache
def samara_broadcast() -> Broadcast:
    """The Samara round table on air, from 17:20 Moscow time to five minutes past 18:50.

    A short introduction by the moderator, then each speaker of the lineup in turn,
    brought on and taken off air by the technician, the moderator between them.

    >>> show = samara_broadcast()
    >>> show.state.status.value, len(show.state.turns)
    ('ended', 5)
    >>> show.overrun(show.state.ended_at).seconds // 60
    5
    """
    table = mmso_2020().session(SAMARA_ROUND_TABLE_ID)
    technician = table.technician
    at = table.starts_at
    show = Broadcast(session=table).go_live(at, by=technician)
    at += _INTRO
    for speaker in table.speakers:
        show = show.bring_on_air(speaker, at, by=technician)
        at += _TURN
        show = show.take_off_air(speaker, at, by=technician)
        at += _BRIDGE
    return show.end(table.ends_at + _dt.timedelta(minutes=5), by=technician)
