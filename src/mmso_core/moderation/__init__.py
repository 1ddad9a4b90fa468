"""Chat moderation: chat messages, text normalisation and lexicons.

`normalize` folds the usual obfuscations of abuse (look-alikes, masks, spaced or
stretched letters, zalgo, zero-width characters); `Lexicon` finds flagged words and
reports them as spans of the original text. ``ru-obscene`` matches Russian mat by
roots with their prefixes and endings, never by raw substrings.

>>> from mmso_core.moderation import Lexicon, normalize
>>> normalize("б л я, пиzдец")
'бля пиздец'
>>> tuple(m.text for m in Lexicon.preset("ru-obscene").find("б л я, пиzдец, а себя жалко"))
('бля', 'пиздец')
"""

from mmso_core.moderation._lexicon import PRESETS, Lexicon, Match, RootRule, Scan
from mmso_core.moderation._message import ChatMessage, MessageKind, Role
from mmso_core.moderation._text import Normalized, normalize, normalize_spans

__all__ = [
    "PRESETS",
    "ChatMessage",
    "Lexicon",
    "Match",
    "MessageKind",
    "Normalized",
    "Role",
    "RootRule",
    "Scan",
    "normalize",
    "normalize_spans",
]
