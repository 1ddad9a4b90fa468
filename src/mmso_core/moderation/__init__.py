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
from mmso_core.moderation._moderator import (
    MAX_MESSAGE_CHARS,
    AuditEntry,
    Decision,
    InMemoryModerationStore,
    MessageState,
    ModerationStore,
    Moderator,
    Reason,
    Record,
    Sanction,
)
from mmso_core.moderation._policy import (
    RULE_KINDS,
    Action,
    CapsRule,
    DuplicateRule,
    FloodRule,
    Hit,
    KeywordRule,
    LinkRule,
    MaxLengthRule,
    MentionRule,
    Mode,
    Policy,
    PresetRule,
    RegexRule,
    Rule,
    SanctionKind,
    SlowModeRule,
    Step,
)
from mmso_core.moderation._questions import Question, QuestionQueue, QuestionState
from mmso_core.moderation._text import Normalized, normalize, normalize_spans

__all__ = [
    "MAX_MESSAGE_CHARS",
    "PRESETS",
    "RULE_KINDS",
    "Action",
    "AuditEntry",
    "CapsRule",
    "ChatMessage",
    "Decision",
    "DuplicateRule",
    "FloodRule",
    "Hit",
    "InMemoryModerationStore",
    "KeywordRule",
    "Lexicon",
    "LinkRule",
    "Match",
    "MaxLengthRule",
    "MentionRule",
    "MessageKind",
    "MessageState",
    "Mode",
    "ModerationStore",
    "Moderator",
    "Normalized",
    "Policy",
    "PresetRule",
    "Question",
    "QuestionQueue",
    "QuestionState",
    "Reason",
    "Record",
    "RegexRule",
    "Role",
    "RootRule",
    "Rule",
    "Sanction",
    "SanctionKind",
    "Scan",
    "SlowModeRule",
    "Step",
    "normalize",
    "normalize_spans",
]
