"""Moderation policies: declarative rules a `Moderator` applies to every message.

A `Policy` is a value: rules, the moderation mode, how long held messages wait and the
ladder of sanctions. It loads from a plain dict, JSON or TOML; every problem in the
input is reported at once with the path where it is (``rules[2].window: ...``).

>>> policy = Policy.from_dict(
...     {
...         "mode": "post",
...         "rules": [
...             {"id": "mat", "kind": "preset", "presets": ["ru-obscene"]},
...             {"id": "flood", "kind": "flood", "max_messages": 5, "window": 30},
...         ],
...     }
... )
>>> [rule.id for rule in policy.rules], policy.mode.value
(['mat', 'flood'], 'post')
>>> Policy.from_dict({"rules": [{"id": "x", "kind": "flood", "window": -1}]})
Traceback (most recent call last):
...
mmso_core.errors.ModelError: 1 problem in the model:
  rules[0].window: must be a duration > 0 (seconds, or ISO 8601 such as 'PT30S'), not -1
"""

import abc
import datetime as _dt
import enum
import json
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any, ClassVar, Final, TypeAlias, final

import attrs
import pendulum

from mmso_core._checks import strings
from mmso_core._optional import require
from mmso_core._report import Severity
from mmso_core.errors import InvalidValueError, MissingExtraError, ModelError
from mmso_core.moderation._lexicon import PRESETS, Lexicon, Scan, _severity
from mmso_core.moderation._message import ChatMessage, Role

__all__ = [
    "Action",
    "CapsRule",
    "Context",
    "DuplicateRule",
    "FloodRule",
    "Hit",
    "KeywordRule",
    "LinkRule",
    "MaxLengthRule",
    "MentionRule",
    "Mode",
    "Policy",
    "Post",
    "PresetRule",
    "RegexRule",
    "Rule",
    "SanctionKind",
    "SlowModeRule",
    "Step",
]

_MAX_HITS: Final = 16  # matches reported per rule and message


class Action(enum.StrEnum):
    """What happens to a message, from the mildest to the strictest."""

    PUBLISH = "publish"
    MASK = "mask-and-publish"
    HOLD = "hold"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        """Strictness: the strictest action of all the rules wins."""
        return _RANK[self]


_RANK: Final = {Action.PUBLISH: 0, Action.MASK: 1, Action.HOLD: 2, Action.BLOCK: 3}


class Mode(enum.StrEnum):
    """Pre-moderation holds the messages of `Policy.premoderated` roles until approved."""

    PRE = "pre"
    POST = "post"


class SanctionKind(enum.StrEnum):
    """Sanctions, mildest first."""

    WARN = "warn"
    TIMEOUT = "timeout"
    BAN = "ban"


# -- value checks (named functions: attrs converters and the dict loader share them) --

_TIMEOUT_RANGE: Final = (_dt.timedelta(seconds=10), _dt.timedelta(hours=24))
_SLOW_RANGE: Final = (_dt.timedelta(seconds=3), _dt.timedelta(seconds=120))


def duration(value: object, field: str) -> _dt.timedelta:
    """A positive duration: a ``timedelta``, seconds, or an ISO 8601 string (``PT10M``)."""
    result: object = value
    if isinstance(value, int | float) and not isinstance(value, bool):
        result = _dt.timedelta(seconds=value) if abs(value) < 10**9 else None
    elif isinstance(value, str):
        try:
            parsed = pendulum.parse(value)
        except (ValueError, TypeError):  # pendulum's ParserError is a ValueError
            parsed = None
        result = parsed if isinstance(parsed, _dt.timedelta) else None
    if not isinstance(result, _dt.timedelta) or result <= _dt.timedelta(0):
        raise InvalidValueError(
            field=field,
            value=value,
            reason="must be a duration > 0 (seconds, or ISO 8601 such as 'PT30S')",
        )
    return _dt.timedelta(seconds=result.total_seconds())


def _within(value: _dt.timedelta, bounds: tuple[_dt.timedelta, _dt.timedelta], field: str) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise InvalidValueError(
            field=field, value=value, reason=f"must be between {low} and {high}"
        )


def _count(value: object, field: str, minimum: int = 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise InvalidValueError(field=field, value=value, reason=f"must be an integer >= {minimum}")
    return value


def _enum_value(kind: type[enum.StrEnum], value: object, field: str) -> Any:
    try:
        return kind(value)  # type: ignore[arg-type] # anything else is refused below
    except ValueError:
        choices = ", ".join(repr(v.value) for v in kind)
        raise InvalidValueError(
            field=field, value=value, reason=f"must be one of {choices}"
        ) from None


def _roles(value: Iterable[Role | str]) -> frozenset[Role]:
    return frozenset(_enum_value(Role, r, "exempt_roles") for r in strings(value, "exempt_roles"))


def _chats(value: Iterable[str]) -> frozenset[str]:
    return frozenset(strings(value, "exempt_chats"))


def _action(value: Action | str) -> Action:
    action: Action = _enum_value(Action, value, "action")
    if action is Action.PUBLISH:
        raise InvalidValueError(
            field="action", value=value, reason="a rule must mask, hold or block"
        )
    return action


def _rule_id(instance: object, attribute: "attrs.Attribute[str]", value: str) -> None:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:-]*", value):
        raise InvalidValueError(
            field="id", value=value, reason="must be letters, digits, '-', '_', '.' or ':'"
        )


def _min_severity(value: Severity | str) -> Severity:
    return _severity(value, "min_severity")


# -- what a rule sees and says ---------------------------------------------------------


@final
@attrs.frozen(kw_only=True)
class Post:
    """An earlier message of the same author in the same chat (what rate rules see).

    Attributes:
        at: When it arrived, as POSIX seconds (rate rules do plain arithmetic on it).
        key: Its normalised text (for duplicate suppression).
        accepted: Whether it was published or held (not blocked).
    """

    at: float
    key: str
    accepted: bool


@final
@attrs.frozen(kw_only=True)
class Context:
    """Everything a rule may look at for one message.

    Attributes:
        message: The message.
        scan: Its words, tokenised once for every lexicon.
        now: The moderator's clock, as POSIX seconds.
        history: The author's recent posts in the chat, oldest first.
        newcomer: Whether the author has no accepted message in the chat yet.
    """

    message: ChatMessage
    scan: Scan
    now: float
    history: tuple[Post, ...]
    newcomer: bool


@final
@attrs.frozen(kw_only=True)
class Hit:
    """One rule firing on one message.

    Attributes:
        rule: The rule's id.
        code: A stable code of what was found (``"obscene"``, ``"flood"``...).
        action: What the rule asks for.
        span: Where in the text, if the finding has a place.
        matched: The text at ``span`` (normalised for lexicon hits).
        en: An explanation for the author, in English.
        ru: The same in Russian.
        strike: Whether it counts towards the sanctions ladder.
    """

    rule: str
    code: str
    action: Action
    span: tuple[int, int] | None
    matched: str | None
    en: str
    ru: str
    strike: bool


# -- rules -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Rule(abc.ABC):
    """Fields every rule has.

    Attributes:
        id: The rule's id (letters, digits, ``-_.:``), unique in a policy.
        action: What a hit asks for: ``mask-and-publish``, ``hold`` or ``block``.
        exempt_roles: Roles the rule does not apply to.
        exempt_chats: Chats the rule does not apply to.
        strike: Whether a blocked message counts towards the sanctions ladder.
    """

    kind: ClassVar[str] = ""
    id: str = attrs.field(validator=_rule_id)
    action: Action = attrs.field(default=Action.BLOCK, converter=_action)
    exempt_roles: frozenset[Role] = attrs.field(default=frozenset(), converter=_roles)
    exempt_chats: frozenset[str] = attrs.field(default=frozenset(), converter=_chats)
    strike: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))

    def applies(self, message: ChatMessage) -> bool:
        """Whether the rule covers this message's author role and chat."""
        return self.applies_to(message.role, message.chat)

    def applies_to(self, role: Role, chat: str) -> bool:
        """Whether the rule covers a role in a chat."""
        return role not in self.exempt_roles and chat not in self.exempt_chats

    @abc.abstractmethod
    def check(self, context: Context) -> list[Hit]:
        """The rule's hits on one message (empty: nothing found)."""

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain data, as a policy document holds it (with its ``kind``).

        >>> FloodRule(id="flood", max_messages=5).to_dict()["max_messages"]
        5
        """
        return _dump_rule(self)

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> "Rule":
        """A rule from plain data: ``id``, ``kind`` (a key of `RULE_KINDS`) and its fields.

        >>> Rule.from_dict({"id": "len", "kind": "max-length", "max_chars": 500}).max_chars
        500

        Raises:
            ModelError: listing every problem, each with its field.
        """
        problems: list[str] = []
        rule = _load_rule(data, "", problems)
        if rule is None:
            raise ModelError(problems=[p.removeprefix(".") for p in problems])
        return rule

    def _hit(
        self, code: str, en: str, ru: str, span: tuple[int, int] | None = None, matched: str = ""
    ) -> Hit:
        return Hit(
            rule=self.id,
            code=code,
            action=self.action,
            span=span,
            matched=matched or None,
            en=en,
            ru=ru,
            strike=self.strike,
        )


def _lexicon_hits(
    rule: Rule, lexicons: Sequence[Lexicon], floor: Severity, context: Context, code: str
) -> list[Hit]:
    hits: list[Hit] = []
    for lexicon in lexicons:
        for match in lexicon.find_in(context.scan):
            if match.severity >= floor and len(hits) < _MAX_HITS:
                hits.append(
                    rule._hit(
                        code,
                        f"the word '{match.text}' is not allowed here",
                        f"слово «{match.text}» здесь недопустимо",
                        match.span,
                        match.text,
                    )
                )
    return hits


def _terms(value: object) -> tuple[tuple[str, Severity], ...]:
    if isinstance(value, Mapping):
        return tuple(Lexicon.from_terms(value).terms)
    return tuple(Lexicon.from_terms(strings(value, "terms")).terms)


def _allow(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(strings(value, "allow"))))


@final
@attrs.frozen(kw_only=True)
class KeywordRule(Rule):
    """Words in Discord AutoMod syntax (``word``, ``word*``, ``*word``, ``*word*``).

    Attributes:
        terms: The patterns, or a mapping of patterns to their severity.
        allow: Patterns never flagged.
    """

    kind: ClassVar[str] = "keyword"
    terms: tuple[tuple[str, Severity], ...] = attrs.field(converter=_terms)
    allow: tuple[str, ...] = attrs.field(default=(), converter=_allow)
    _lexicon: Lexicon = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        lexicon = Lexicon.from_terms(dict(self.terms), allow=self.allow, name=self.id)
        object.__setattr__(self, "_lexicon", lexicon)

    def check(self, context: Context) -> list[Hit]:
        """Every listed word in the message."""
        return _lexicon_hits(self, (self._lexicon,), Severity.INFO, context, "blocked-term")


def _presets(value: Iterable[str]) -> tuple[str, ...]:
    names = strings(value, "presets")
    for name in names:
        if name not in PRESETS:
            raise InvalidValueError(
                field="presets", value=name, reason=f"must be one of {', '.join(PRESETS)}"
            )
    if not names:
        raise InvalidValueError(field="presets", value=value, reason="must name a preset")
    return tuple(dict.fromkeys(names))


@final
@attrs.frozen(kw_only=True)
class PresetRule(Rule):
    """The lexicons shipped with the package (``ru-obscene``, ``en-profanity``).

    Attributes:
        presets: Their names.
        min_severity: The least severity that counts (``WARNING`` takes in milder
            words such as ``сука``; ``ERROR`` only the worst).
    """

    kind: ClassVar[str] = "preset"
    presets: tuple[str, ...] = attrs.field(converter=_presets)
    min_severity: Severity = attrs.field(default=Severity.WARNING, converter=_min_severity)
    _lexicons: tuple[Lexicon, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        lexicons = tuple(Lexicon.preset(name) for name in self.presets)
        object.__setattr__(self, "_lexicons", lexicons)

    def check(self, context: Context) -> list[Hit]:
        """Every word of the presets at or above ``min_severity``."""
        return _lexicon_hits(self, self._lexicons, self.min_severity, context, "obscene")


def _re2() -> ModuleType:
    return require("re2", extra="re2", feature="regex rules")


def _patterns(value: Iterable[str]) -> tuple[str, ...]:
    return strings(value, "patterns")


@final
@attrs.frozen(kw_only=True)
class RegexRule(Rule):
    """Regular expressions written by moderators, run by a linear-time engine only.

    Untrusted patterns never run on Python's backtracking ``re``: building this rule
    needs ``google-re2`` (``pip install 'mmso_core[re2]'``) and raises
    `MissingExtraError` without it. Patterns match the original text,
    case-insensitively.

    Attributes:
        patterns: RE2 syntax patterns.
    """

    kind: ClassVar[str] = "regex"
    patterns: tuple[str, ...] = attrs.field(converter=_patterns)
    _compiled: tuple[Any, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        re2 = _re2()
        options = re2.Options()
        options.case_sensitive = False
        options.max_mem = 8 << 20
        compiled = []
        for index, pattern in enumerate(self.patterns):
            try:
                compiled.append(re2.compile(pattern, options))
            except re2.error as exc:
                raise InvalidValueError(
                    field=f"patterns[{index}]", value=pattern, reason=f"not an RE2 pattern: {exc}"
                ) from exc
        object.__setattr__(self, "_compiled", tuple(compiled))

    def check(self, context: Context) -> list[Hit]:
        """Every match of every pattern (at most a few per pattern)."""
        hits: list[Hit] = []
        text = context.message.text
        if not text.isascii():  # RE2 reads UTF-8: lone surrogates become "?" (one for one)
            text = text.encode("utf-8", "replace").decode("utf-8")
        for pattern in self._compiled:
            for found in pattern.finditer(text):
                if found.end() > found.start() and len(hits) < _MAX_HITS:
                    hits.append(
                        self._hit(
                            "pattern",
                            "the message matches a pattern the moderators do not allow",
                            "сообщение подпадает под шаблон, запрещённый модераторами",
                            found.span(),
                            context.message.text[found.start() : found.end()],
                        )
                    )
        return hits


def _slow_interval(value: object) -> _dt.timedelta:
    result = duration(value, "interval")
    _within(result, _SLOW_RANGE, "interval")
    return result


def _seconds(value: _dt.timedelta) -> str:
    return f"{value.total_seconds():g}"


@final
@attrs.frozen(kw_only=True)
class SlowModeRule(Rule):
    """One message per ``interval`` per author (3 to 120 seconds, as on Twitch).

    Attributes:
        interval: The least time between two accepted messages of an author.
    """

    kind: ClassVar[str] = "slow-mode"
    interval: _dt.timedelta = attrs.field(converter=_slow_interval)

    def check(self, context: Context) -> list[Hit]:
        """A hit when the author's last accepted message is too recent."""
        last = next((p.at for p in reversed(context.history) if p.accepted), None)
        interval = self.interval.total_seconds()
        if last is None or context.now - last >= interval:
            return []
        seconds = max(1, math.ceil(interval - (context.now - last)))
        return [
            self._hit(
                "slow-mode",
                f"slow mode: wait {seconds} s before your next message",
                f"медленный режим: следующее сообщение можно отправить через {seconds} с",
            )
        ]


def _window(value: object) -> _dt.timedelta:
    return duration(value, "window")


def _positive(value: object) -> int:
    return _count(value, "max_messages")


@final
@attrs.frozen(kw_only=True)
class FloodRule(Rule):
    """At most ``max_messages`` per ``window`` per author (Mjolnir: 10 a minute).

    Attributes:
        max_messages: Messages allowed in the window, this one included.
        window: The sliding window.
    """

    kind: ClassVar[str] = "flood"
    max_messages: int = attrs.field(default=10, converter=_positive)
    window: _dt.timedelta = attrs.field(default=_dt.timedelta(minutes=1), converter=_window)
    strike: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))

    def check(self, context: Context) -> list[Hit]:
        """A hit when this message is one too many in the window."""
        since = context.now - self.window.total_seconds()
        recent = sum(1 for post in context.history if post.at > since)
        if recent + 1 <= self.max_messages:
            return []
        return [
            self._hit(
                "flood",
                f"too many messages: at most {self.max_messages} in {_seconds(self.window)} s",
                f"слишком много сообщений: не больше {self.max_messages} "
                f"за {_seconds(self.window)} с",
            )
        ]


@final
@attrs.frozen(kw_only=True)
class DuplicateRule(Rule):
    """The same normalised text again from the same author within ``window``.

    Attributes:
        window: How long a text is remembered.
    """

    kind: ClassVar[str] = "duplicate"
    window: _dt.timedelta = attrs.field(default=_dt.timedelta(minutes=1), converter=_window)

    def check(self, context: Context) -> list[Hit]:
        """A hit when an accepted recent message had the same words."""
        if not context.history:
            return []
        key = context.scan.text
        since = context.now - self.window.total_seconds()
        if not key or not any(
            p.accepted and p.key == key and p.at > since for p in context.history
        ):
            return []
        return [
            self._hit(
                "duplicate",
                "you have just sent the same message",
                "вы только что отправили такое же сообщение",
            )
        ]


def _max_chars(value: object) -> int:
    return _count(value, "max_chars")


@final
@attrs.frozen(kw_only=True)
class MaxLengthRule(Rule):
    """Messages longer than ``max_chars`` characters.

    Attributes:
        max_chars: The longest message allowed.
    """

    kind: ClassVar[str] = "max-length"
    max_chars: int = attrs.field(default=1000, converter=_max_chars)

    def check(self, context: Context) -> list[Hit]:
        """A hit when the text is too long."""
        if len(context.message.text) <= self.max_chars:
            return []
        return [
            self._hit(
                "too-long",
                f"the message is longer than {self.max_chars} characters",
                f"сообщение длиннее {self.max_chars} символов",
            )
        ]


_UPPER: Final = re.compile(r"[A-ZА-ЯЁ]")
_LETTERS: Final = re.compile(r"[^\W\d_]")


def _ratio(value: object) -> float:
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not 0 < value <= 1  # also refuses NaN
    ):
        raise InvalidValueError(field="max_ratio", value=value, reason="must be in (0, 1]")
    return float(value)


def _min_letters(value: object) -> int:
    return _count(value, "min_letters")


@final
@attrs.frozen(kw_only=True)
class CapsRule(Rule):
    """Shouting: more than ``max_ratio`` of the letters are capitals.

    Attributes:
        max_ratio: The largest share of capital letters allowed.
        min_letters: Messages with fewer letters are never checked ("ОК", "МГУ").
    """

    kind: ClassVar[str] = "caps"
    max_ratio: float = attrs.field(default=0.7, converter=_ratio)
    min_letters: int = attrs.field(default=12, converter=_min_letters)

    def check(self, context: Context) -> list[Hit]:
        """A hit when the message is mostly capitals."""
        text = context.message.text
        upper = len(_UPPER.findall(text))
        # With at least min_letters letters, shouting needs more capitals than this:
        if upper <= self.max_ratio * self.min_letters:
            return []
        letters = len(_LETTERS.findall(text))
        if letters < self.min_letters or upper <= self.max_ratio * letters:
            return []
        return [
            self._hit(
                "caps",
                "please do not write in capitals",
                "пожалуйста, не пишите заглавными буквами",
            )
        ]


_MENTION: Final = re.compile(r"(?<![\w@])@\w+")


def _max_mentions(value: object) -> int:
    return _count(value, "max_mentions", minimum=0)


@final
@attrs.frozen(kw_only=True)
class MentionRule(Rule):
    """More than ``max_mentions`` ``@name`` mentions in one message.

    Attributes:
        max_mentions: The most mentions allowed.
    """

    kind: ClassVar[str] = "mentions"
    max_mentions: int = attrs.field(default=5, converter=_max_mentions)

    def check(self, context: Context) -> list[Hit]:
        """A hit when the message mentions too many people."""
        if "@" not in context.message.text:
            return []
        for count, _ in enumerate(_MENTION.finditer(context.message.text), start=1):
            if count > self.max_mentions:
                return [
                    self._hit(
                        "mentions",
                        f"at most {self.max_mentions} mentions in a message",
                        f"не больше {self.max_mentions} упоминаний в сообщении",
                    )
                ]
        return []


# A link: a scheme or "www.", or a bare host name with a well-known top-level domain.
_TLDS: Final = "ru|рф|su|com|org|net|info|io|me|ly|gg|co|biz|xyz|tk|ml"
_LINK: Final = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?<![\w@.-])(?:[a-z0-9а-яё-]+\.)+(?:{_TLDS})"
    r"(?![\w.-]*@)(?:/[^\s<>\"']*)?(?![\w-])",
    re.IGNORECASE,
)
# Every link has "://", "www." or ".<tld>": a quick test that spares most messages the
# full pattern (it starts with a literal, which the regex engine scans for fast).
_LINK_HINT: Final = re.compile(rf"\.(?:{_TLDS})|://|www\.", re.IGNORECASE)
_HOST: Final = re.compile(
    r"^(?:https?://)?([^/\\:?#\s]+)", re.IGNORECASE
)  # a backslash ends it too


def _domains(value: Iterable[str]) -> frozenset[str]:
    return frozenset(d.strip().lower().removeprefix("www.") for d in strings(value, "domains"))


def _host(link: str) -> str:
    found = _HOST.match(link)
    host = found.group(1).lower() if found else ""
    return host.removeprefix("www.").rstrip(".,;!?)")


@final
@attrs.frozen(kw_only=True)
class LinkRule(Rule):
    """Links: only to allowed domains (and their subdomains); a newcomer's first link is held.

    Attributes:
        allowed_domains: Domains links may point to.
        hold_newcomer_links: Hold the first message with a link of an author who
            has no accepted message in the chat yet, even to an allowed domain.
    """

    kind: ClassVar[str] = "links"
    allowed_domains: frozenset[str] = attrs.field(default=frozenset(), converter=_domains)
    hold_newcomer_links: bool = attrs.field(
        default=True, validator=attrs.validators.instance_of(bool)
    )

    def _allowed(self, host: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def check(self, context: Context) -> list[Hit]:
        """A hit per link to a domain not allowed; a hold for a newcomer's link."""
        text = context.message.text
        if _LINK_HINT.search(text) is None:
            return []
        hits: list[Hit] = []
        first: tuple[int, int] | None = None
        for found in _LINK.finditer(text):
            link = found.group()
            first = first or found.span()
            if not self._allowed(_host(link)) and len(hits) < _MAX_HITS:
                hits.append(
                    self._hit(
                        "link-not-allowed",
                        f"links to {_host(link)} are not allowed here",
                        f"ссылки на {_host(link)} здесь запрещены",
                        found.span(),
                        link,
                    )
                )
        if first is not None and context.newcomer and self.hold_newcomer_links and not hits:
            start, end = first
            hits.append(
                attrs.evolve(
                    self._hit(
                        "newcomer-link",
                        "a first message with a link waits for a moderator",
                        "первое сообщение со ссылкой ждёт проверки модератора",
                        first,
                        text[start:end],
                    ),
                    action=Action.HOLD,
                    strike=False,
                )
            )
        return hits


RULE_KINDS: Final[dict[str, type[Rule]]] = {
    cls.kind: cls
    for cls in (
        KeywordRule,
        PresetRule,
        RegexRule,
        SlowModeRule,
        FloodRule,
        DuplicateRule,
        MaxLengthRule,
        CapsRule,
        MentionRule,
        LinkRule,
    )
}


# -- the policy ------------------------------------------------------------------------


def _sanction_kind(value: SanctionKind | str) -> SanctionKind:
    result: SanctionKind = _enum_value(SanctionKind, value, "kind")
    return result


@final
@attrs.frozen(kw_only=True)
class Step:
    """One rung of the sanctions ladder.

    Attributes:
        kind: warn, timeout or ban.
        duration: How long a timeout lasts (10 s to 24 h); ``None`` otherwise.
    """

    kind: SanctionKind = attrs.field(converter=_sanction_kind)
    duration: _dt.timedelta | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is SanctionKind.TIMEOUT:
            if self.duration is None:
                raise InvalidValueError(
                    field="duration", value=None, reason="a timeout needs a duration"
                )
            _within(duration(self.duration, "duration"), _TIMEOUT_RANGE, "duration")
        elif self.duration is not None:
            raise InvalidValueError(
                field="duration", value=self.duration, reason=f"a {self.kind} has no duration"
            )

    @classmethod
    def parse(cls, value: "Step | str | Mapping[str, Any]") -> "Step":
        """A step from ``"warn"``, ``"ban"``, ``"timeout:10m"`` or a mapping.

        >>> Step.parse("timeout:10m").duration
        datetime.timedelta(seconds=600)
        """
        if isinstance(value, Step):
            return value
        if isinstance(value, Mapping):
            extra = set(value) - {"kind", "duration"}
            if extra:
                raise InvalidValueError(
                    field="ladder", value=value, reason=f"unknown keys {sorted(extra)}"
                )
            length = value.get("duration")
            return cls(
                kind=value.get("kind", ""),
                duration=None if length is None else duration(length, "duration"),
            )
        if isinstance(value, str):
            kind, _, length = value.partition(":")
            if not length:
                return cls(kind=kind)
            unit = {"s": 1, "m": 60, "h": 3600}.get(length[-1:])
            if unit is None or not length[:-1].isdigit():
                raise InvalidValueError(
                    field="duration", value=length, reason="must look like 30s, 10m or 1h"
                )
            return cls(kind=kind, duration=_dt.timedelta(seconds=int(length[:-1]) * unit))
        raise InvalidValueError(
            field="ladder", value=value, reason="must be 'warn', 'timeout:10m', 'ban' or a mapping"
        )

    def label(self) -> str:
        """The step in the ``parse`` syntax."""
        if self.duration is None:
            return self.kind.value
        return f"timeout:{int(self.duration.total_seconds())}s"


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        raise InvalidValueError(field="rules", value=value, reason="must be a list of rules")
    rules = tuple(value)
    for index, rule in enumerate(rules):
        if not isinstance(rule, Rule):
            raise InvalidValueError(field=f"rules[{index}]", value=rule, reason="must be a Rule")
    ids = [rule.id for rule in rules]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidValueError(field="rules", value=repeated, reason="rule ids must be unique")
    return rules


def _mode(value: Mode | str) -> Mode:
    result: Mode = _enum_value(Mode, value, "mode")
    return result


def _premoderated(value: Iterable[Role | str]) -> frozenset[Role]:
    return frozenset(_enum_value(Role, r, "premoderated") for r in strings(value, "premoderated"))


def _hold_expiry(value: object) -> _dt.timedelta:
    return duration(value, "hold_expiry")


def _strike_memory(value: object) -> _dt.timedelta:
    return duration(value, "strike_memory")


def _ladder(value: Iterable[Step | str]) -> tuple[Step, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError(field="ladder", value=value, reason="must be a list of steps")
    return tuple(Step.parse(step) for step in value)


_STAFF: Final = frozenset(
    {
        Role.MODERATOR,
        Role.CHAT_EXPERT,
        Role.SPEAKER,
        Role.TECHNICIAN,
        Role.EXHIBITOR_REPRESENTATIVE,
    }
)


@final
@attrs.frozen(kw_only=True)
class Policy:
    """The rules of a chat, the moderation mode and the sanctions ladder.

    Attributes:
        rules: The rules, each with a unique id.
        mode: ``pre``: messages of ``premoderated`` roles are held until a moderator
            approves them; ``post``: what passes the rules is published at once.
        premoderated: Roles held in pre-moderation (visitors by default).
        hold_expiry: How long a held message waits before it expires.
        ladder: Sanctions for the 1st, 2nd, ... strike (the last one repeats).
        strike_memory: How long a strike counts.
    """

    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_rules)
    mode: Mode = attrs.field(default=Mode.PRE, converter=_mode)
    premoderated: frozenset[Role] = attrs.field(
        default=frozenset({Role.VISITOR}), converter=_premoderated
    )
    hold_expiry: _dt.timedelta = attrs.field(
        default=_dt.timedelta(minutes=15), converter=_hold_expiry
    )
    ladder: tuple[Step, ...] = attrs.field(
        default=(
            Step(kind=SanctionKind.WARN),
            Step(kind=SanctionKind.TIMEOUT, duration=_dt.timedelta(minutes=10)),
            Step(kind=SanctionKind.TIMEOUT, duration=_dt.timedelta(hours=1)),
            Step(kind=SanctionKind.BAN),
        ),
        converter=_ladder,
    )
    strike_memory: _dt.timedelta = attrs.field(
        default=_dt.timedelta(hours=24), converter=_strike_memory
    )

    @classmethod
    def default(cls) -> "Policy":
        """The policy for an expert-moderated salon chat.

        Pre-moderation of visitors; Russian mat and English profanity blocked (and
        counted as strikes), milder words masked; flood (10 a minute), duplicates
        within a minute, slow mode of 3 s, messages over 1000 characters, shouting
        and more than 5 mentions refused; links only to the salon's own site, and a
        newcomer's first link held. Staff (moderators, chat experts, speakers,
        technicians, exhibitor representatives) are exempt from the rate, format and
        link rules, but not from the word rules.

        >>> tuple(rule.id for rule in Policy.default().rules[:3])
        ('obscene', 'mild-words', 'flood')
        """
        staff = _STAFF
        return cls(
            rules=(
                PresetRule(
                    id="obscene",
                    presets=PRESETS,
                    min_severity=Severity.ERROR,
                    action=Action.BLOCK,
                    strike=True,
                ),
                PresetRule(id="mild-words", presets=PRESETS, action=Action.MASK),
                FloodRule(id="flood", exempt_roles=staff),
                DuplicateRule(id="duplicate", exempt_roles=staff),
                SlowModeRule(id="slow-mode", interval=3, exempt_roles=staff),
                MaxLengthRule(id="max-length", max_chars=1000, exempt_roles=staff),
                CapsRule(id="caps", exempt_roles=staff),
                MentionRule(id="mentions", exempt_roles=staff),
                LinkRule(
                    id="links",
                    allowed_domains=("mmco-expo.ru",),
                    action=Action.HOLD,
                    exempt_roles=staff,
                ),
            )
        )

    # -- loading ---------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Policy":
        """A policy from plain data (as JSON or TOML give it).

        Durations are seconds or ISO 8601 strings; roles and actions their values;
        the ladder a list of ``"warn"``, ``"timeout:10m"``, ``"ban"``. Rules are
        mappings with ``id``, ``kind`` (see `RULE_KINDS`) and the fields of their
        class.

        Raises:
            ModelError: listing every problem, each with its path.
        """
        problems: list[str] = []
        if not isinstance(data, Mapping):
            raise ModelError(problems=[f"policy: must be a mapping, not {type(data).__name__}"])
        known = {"rules", "mode", "premoderated", "hold_expiry", "ladder", "strike_memory"}
        problems.extend(_unknown_keys(data, known, ""))
        rules: list[Rule] = []
        raw_rules = data.get("rules", [])
        if isinstance(raw_rules, str | Mapping) or not isinstance(raw_rules, Sequence):
            problems.append("rules: must be a list of rules")
            raw_rules = []
        for index, raw in enumerate(raw_rules):
            rule = _load_rule(raw, f"rules[{index}]", problems)
            if rule is not None:
                rules.append(rule)
        fields: dict[str, Any] = {}
        for attribute in attrs.fields(cls):
            if attribute.name == "rules" or attribute.name not in data:
                continue
            raw = data[attribute.name]
            if (
                attribute.name == "ladder"
                and isinstance(raw, Sequence)
                and not isinstance(raw, str)
            ):
                raw = [_load_step(step, f"ladder[{i}]", problems) for i, step in enumerate(raw)]
                if None in raw:
                    continue
            try:
                fields[attribute.name] = attribute.converter(raw)
            except InvalidValueError as exc:
                problems.append(f"{attribute.name}: {exc.reason}, not {exc.value!r}")
        policy = cls(rules=(), **fields)
        ids = [rule.id for rule in rules]
        for index, rule in enumerate(rules):
            if rule.id in ids[:index]:
                problems.append(f"rules[{index}].id: {rule.id!r} is used by an earlier rule")
        if problems:
            raise ModelError(problems=problems)
        return attrs.evolve(policy, rules=tuple(rules))

    @classmethod
    def from_json(cls, text: str) -> "Policy":
        """A policy from JSON text (see `from_dict`).

        Raises:
            ModelError: on bad JSON or any problem in the policy.
        """
        try:
            data = json.loads(text)
        except (TypeError, ValueError, RecursionError) as exc:
            raise ModelError(problems=[f"policy: not JSON: {exc}"]) from exc
        return cls.from_dict(data)

    @classmethod
    def from_toml(cls, text: str) -> "Policy":
        """A policy from TOML text: top-level keys, and the rules as ``[[rules]]`` tables.

        >>> Policy.from_toml('''
        ... mode = "post"
        ... [[rules]]
        ... id = "spam"
        ... kind = "keyword"
        ... terms = ["casino*", "*bet"]
        ... ''').rules[0].terms
        (('*bet', <Severity.ERROR: 30>), ('casino*', <Severity.ERROR: 30>))

        Raises:
            ModelError: on bad TOML or any problem in the policy.
        """
        try:
            data = tomllib.loads(text)
        except (TypeError, tomllib.TOMLDecodeError) as exc:
            raise ModelError(problems=[f"policy: not TOML: {exc}"]) from exc
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """Plain data that `from_dict` reads back into an equal policy.

        >>> Policy.from_dict(Policy.default().to_dict()) == Policy.default()
        True
        """
        return {
            "mode": self.mode.value,
            "premoderated": sorted(r.value for r in self.premoderated),
            "hold_expiry": self.hold_expiry.total_seconds(),
            "ladder": [step.label() for step in self.ladder],
            "strike_memory": self.strike_memory.total_seconds(),
            "rules": [_dump_rule(rule) for rule in self.rules],
        }


def _unknown_keys(data: Mapping[str, Any], known: Iterable[str], path: str) -> list[str]:
    known = set(known)
    where = f"{path}." if path else ""
    return [
        f"{where}{key}: unknown key (known: {', '.join(sorted(known))})"
        for key in data
        if key not in known
    ]


def _load_step(raw: object, path: str, problems: list[str]) -> Step | None:
    try:
        return Step.parse(raw)  # type: ignore[arg-type] # anything else is refused there
    except InvalidValueError as exc:
        problems.append(f"{path}: {exc.field} {exc.reason}, not {exc.value!r}")
        return None


def _load_rule(raw: object, path: str, problems: list[str]) -> Rule | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{path}: must be a mapping with 'id' and 'kind'")
        return None
    kind = raw.get("kind")
    cls = RULE_KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        problems.append(f"{path}.kind: must be one of {', '.join(RULE_KINDS)}, not {kind!r}")
        return None
    fields = {a.name for a in attrs.fields(cls) if a.init}
    unknown = _unknown_keys(raw, {*fields, "kind"}, path)
    if "id" not in raw:
        unknown.append(f"{path}.id: missing")
    if unknown:
        problems.extend(unknown)
        return None
    values = {key: value for key, value in raw.items() if key != "kind"}
    # Check field by field, so that every bad field is reported, not the first.
    bad = False
    for name, value in values.items():
        try:
            _check_field(cls, name, value)
        except InvalidValueError as exc:
            problems.append(f"{path}.{name}: {exc.reason}, not {exc.value!r}")
            bad = True
        except MissingExtraError as exc:
            problems.append(f"{path}: {exc}")
            bad = True
    if bad:
        return None
    try:
        return cls(**values)
    except InvalidValueError as exc:
        problems.append(f"{path}.{exc.field.rsplit('.', 1)[-1]}: {exc.reason}, not {exc.value!r}")
    except MissingExtraError as exc:
        problems.append(f"{path}: {exc}")
    return None


def _check_field(cls: type[Rule], name: str, value: object) -> None:
    """Run the converter and validator of one field on its own."""
    attribute = getattr(attrs.fields(cls), name)
    converter: Callable[[Any], Any] | None = attribute.converter
    converted = converter(value) if converter is not None else value
    if attribute.validator is not None:  # field validators look at the value alone
        attribute.validator(None, attribute, converted)


_Dumped: TypeAlias = dict[str, Any]


def _dump_value(value: object) -> object:
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, enum.Enum):
        return value.name if isinstance(value, Severity) else value.value
    if isinstance(value, frozenset):
        return sorted(str(_dump_value(v)) for v in value)
    if isinstance(value, tuple):
        if value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
            return {str(k): _dump_value(s) for k, s in value}  # keyword terms
        return [_dump_value(v) for v in value]
    return value


def _dump_rule(rule: Rule) -> _Dumped:
    out: _Dumped = {"id": rule.id, "kind": rule.kind}
    for attribute in attrs.fields(type(rule)):
        if attribute.init and attribute.name != "id":
            out[attribute.name] = _dump_value(getattr(rule, attribute.name))
    return out
