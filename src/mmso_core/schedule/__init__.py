"""The forum's schedule: the salon, its phases, people, channels, sessions and rules.

>>> from mmso_core.schedule import check
>>> from mmso_core.samples import mmso_2020
>>> programme = mmso_2020()
>>> len(programme.salon.phases), check(programme).ok
(2, True)
"""

from mmso_core.errors import BroadcastError
from mmso_core.schedule._broadcast import (
    Broadcast,
    BroadcastEvent,
    BroadcastState,
    BroadcastStatus,
    Command,
    SpeakerTurn,
)
from mmso_core.schedule._desk import BroadcastDesk, BroadcastStore, InMemoryBroadcastStore
from mmso_core.schedule._model import (
    Channel,
    Cluster,
    IntensityPolicy,
    Person,
    Phase,
    PhaseKind,
    Role,
    Salon,
    Session,
    SessionFormat,
)
from mmso_core.schedule._programme import Agenda, AgendaEntry, ChannelStatus, Programme
from mmso_core.schedule._recording import Chapter, Recording
from mmso_core.schedule._replan import Replan
from mmso_core.schedule._rules import DEFAULT_SEVERITIES, RULE_CODES, Rules, check

__all__ = [
    "DEFAULT_SEVERITIES",
    "RULE_CODES",
    "Agenda",
    "AgendaEntry",
    "Broadcast",
    "BroadcastDesk",
    "BroadcastError",
    "BroadcastEvent",
    "BroadcastState",
    "BroadcastStatus",
    "BroadcastStore",
    "Channel",
    "ChannelStatus",
    "Chapter",
    "Cluster",
    "Command",
    "InMemoryBroadcastStore",
    "IntensityPolicy",
    "Person",
    "Phase",
    "PhaseKind",
    "Programme",
    "Recording",
    "Replan",
    "Role",
    "Rules",
    "Salon",
    "Session",
    "SessionFormat",
    "SpeakerTurn",
    "check",
]
