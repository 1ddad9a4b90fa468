"""Embedded, deterministic samples of the real salon, MMSO-2020.

>>> from mmso_core.samples import mmso_2020
>>> programme = mmso_2020()
>>> programme.salon.name, len(programme.sessions) > 150
('ММСО-2020', True)
"""

from mmso_core.samples._broadcast2020 import samara_broadcast
from mmso_core.samples._chat2020 import SAMARA_CHAT_ID, chat_2020
from mmso_core.samples._exhibition2020 import exhibition_2020
from mmso_core.samples._mmso2020 import (
    SAMARA_ROUND_TABLE_ID,
    SAMARA_ROUND_TABLE_TITLE,
    mmso_2020,
)

__all__ = [
    "SAMARA_CHAT_ID",
    "SAMARA_ROUND_TABLE_ID",
    "SAMARA_ROUND_TABLE_TITLE",
    "chat_2020",
    "exhibition_2020",
    "mmso_2020",
    "samara_broadcast",
]
