"""The forum's schedule: the salon, its phases, people, channels, sessions and rules.

>>> from mmso_core.schedule import check
>>> from mmso_core.samples import mmso_2020
>>> programme = mmso_2020()
>>> len(programme.salon.phases), check(programme).ok
(2, True)
"""

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
from mmso_core.schedule._programme import Agenda, AgendaEntry, Programme
from mmso_core.schedule._rules import DEFAULT_SEVERITIES, RULE_CODES, Rules, check

__all__ = [
    "DEFAULT_SEVERITIES",
    "RULE_CODES",
    "Agenda",
    "AgendaEntry",
    "Channel",
    "Cluster",
    "IntensityPolicy",
    "Person",
    "Phase",
    "PhaseKind",
    "Programme",
    "Role",
    "Rules",
    "Salon",
    "Session",
    "SessionFormat",
    "check",
]
