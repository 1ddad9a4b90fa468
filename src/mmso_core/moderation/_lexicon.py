"""Lexicons: which words a chat flags, matched on normalised words, never on raw substrings.

A `Lexicon` holds terms in Discord AutoMod's wildcard syntax (``word`` whole word,
``word*`` word starting so, ``*word`` word ending so, ``*word*`` word containing it),
an allow-list in the same syntax, and, for Russian, *root rules*: a root such as
``пизд`` or ``еб`` with the prefixes and endings it may take, so that ``заебал`` is
found and ``себя``, ``тебе``, ``хлеба``, ``рубля``, ``команда`` or ``сукно`` are not.

`Lexicon.find` tokenises the text once and looks every word up in dictionaries (a
per-lexicon cache remembers the verdict of each word seen), so plain text costs a
couple of C-level passes and one dictionary hit per word. Text that carries
obfuscation (look-alikes, masks, spaced or stretched letters) goes through
`normalize_spans` and every hit is reported as a span of the *original* text.

>>> from mmso_core.moderation import Lexicon
>>> ru = Lexicon.preset("ru-obscene")
>>> [(m.text, m.span) for m in ru.find("Ну xyйня! А себе хлеба купил?")]
[('хуйня', (3, 8))]
>>> custom = Lexicon.from_terms(["spam*", "*coin"], allow=["spamalot"])
>>> [m.term for m in custom.find("Spammers sell bitcoin at Spamalot")]
['spam*', '*coin']
"""

import functools
import importlib.resources
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, final

import attrs

from mmso_core._report import Severity
from mmso_core.errors import InvalidValueError
from mmso_core.moderation._text import (
    _CYRILLIC_TO_LATIN,
    _ONE_LETTER_WORDS,
    _TO_CYRILLIC,
    _TO_LATIN,
    WILDCARD,
    Normalized,
    normalize,
    normalize_spans,
)

__all__ = ["PRESETS", "Lexicon", "Match", "RootRule", "Scan"]

PRESETS: Final = ("en-profanity", "ru-obscene")
_CACHE_LIMIT: Final = 65_536
_FUZZY_LIMIT: Final = 64  # masked words guessed per text (bounds the work on hostile input)
_MAX_PREFIX_PARTS: Final = 3
# Anything outside this set, and any of the patterns after it, sends a text to the full
# normaliser; plain text is matched straight on its case-folded form.
_SUSPECT: Final = re.compile(
    r"[^\sa-zа-яё0-9,;:'`\-–—…«»/.!?()\"\[\]|]"
    r"|[a-z](?:[а-яё0-9]|[.!?()\"…]+[a-zа-яё])"
    r"|[а-яё](?:[a-z0-9]|[.!?()\"…]+[a-zа-яё])"
    r"|[0-9][a-zа-яё]|[0-9][.!?()\"…]+[a-zа-яё]|[a-zа-яё][.!?()\"…]+[0-9]"
)
_SUSPECT_RUNS: Final = re.compile(
    r"([a-zа-яё])\1\1|(?<![a-zа-яё0-9])[a-zа-яё](?:[^a-zа-яё0-9]+[a-zа-яё](?![a-zа-яё0-9])){2}"
)
_WORD: Final = re.compile(r"[a-zа-я0-9]+")
_CHUNK: Final = re.compile(r"[^ \t\n\r\f\v]+")
_LETTER: Final = frozenset("abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщъыьэюя")
# Memo of whitespace-separated chunks already known plain. PLAIN ones hold a word and
# neither start nor end with a one-letter word; EDGES gives, for the others, how many
# one-letter words they start and end with, and whether that is all they hold ("в",
# "и,", "i'm"; a chunk with no word at all, such as "?" or "—", which letters spelled
# apart run through).
_PLAIN_CHUNKS: Final[set[str]] = set()
_EDGE_CHUNKS: Final[dict[str, tuple[int, int, bool]]] = {}
# Memo of the other chunks, as written: the words of those that normalise the same
# alone as in any text (see `_alone`), and the set of those that may glue.
_ALONE_CHUNKS: Final[dict[str, "_Alone"]] = {}
_GLUING_CHUNKS: Final[set[str]] = set()
_RUN: Final = re.compile(r"[^\W_]+")


def _edges(chunk: str) -> tuple[int, int, bool]:
    """One-letter words at the start and at the end of a chunk, and if that is all."""
    singles = [len(word) == 1 and word in _LETTER for word in _WORD.findall(chunk)]
    lead = next((i for i, single in enumerate(singles) if not single), len(singles))
    trail = next((i for i, single in enumerate(reversed(singles)) if not single), len(singles))
    return lead, trail, lead == len(singles)


def _spelled_apart(chunks: list[str]) -> bool:
    """Whether known chunks put three one-letter words in a row (``б л я``)."""
    run = 0
    for chunk in chunks:
        lead, trail, whole = _EDGE_CHUNKS.get(chunk, (0, 0, False))
        run += lead
        if run >= 3:
            return True
        if not whole:
            run = trail
    return False


def _plain(folded: str) -> bool:
    """Whether case-folded text (``ё`` already ``е``) needs no normalisation.

    The same verdict as the `_SUSPECT` and `_SUSPECT_RUNS` patterns, memoised per
    whitespace-separated chunk: those patterns never reach across whitespace except
    for letters spelled apart (``б л я``), which need three one-letter words in a row.
    """
    chunks = folded.split()
    unknown = set(chunks).difference(_PLAIN_CHUNKS)
    if not unknown:
        return True
    edges = _EDGE_CHUNKS
    if edges.keys() >= unknown:
        return not _spelled_apart(chunks)
    if _SUSPECT.search(folded) is not None or _SUSPECT_RUNS.search(folded) is not None:
        return False
    if len(_PLAIN_CHUNKS) + len(edges) + len(unknown) > _CACHE_LIMIT:
        _PLAIN_CHUNKS.clear()
        edges.clear()
    for chunk in unknown:
        lead, trail, whole = _edges(chunk)
        if lead or trail or whole:  # one-letter words, or none (transparent to runs)
            edges[chunk] = (lead, trail, whole)
        else:
            _PLAIN_CHUNKS.add(chunk)
    return True


_Verdict = tuple[str, Severity] | None
_MISSING: Final[tuple[str, Severity]] = ("", Severity.INFO)  # compared by identity


@final
class Scan:
    """A text tokenised once for matching: its normalised words and their spans.

    Plain text (letters, digits, ordinary punctuation) is split straight from its
    case-folded form; text that carries any obfuscation goes through
    `normalize_spans`. `Lexicon.find_in` matches a scan, so a policy with several
    lexicons pays for tokenising a message once.

    Where a disguise has two readings, a word also has *alternates*, tried when it is
    clean: a word that mixes scripts read in the other script (``еbaloм``), a
    stretched letter read as a double one (``belllllend``), a one-letter word spelled
    apart with the word after it (``в з б л я д``), and a word followed by a mask
    (``бл*``).

    Attributes:
        original: The text as given.
        words: The normalised words, in order.
        fuzzy: Indexes of the masked words that may be guessed (at most a fixed
            budget per text, which bounds the work on hostile input).
        unguessed: How many masked words are over that budget (not guessed: a
            moderator holds such a message for a person to read).
        alternates: Other readings of some words: index -> ``((word, span), ...)``.

    >>> Scan.of("Ну, х*й!").words
    ['ну', 'х*й']
    >>> Scan.of("ну бл*").alternates
    {1: (('бл*', (3, 6)),)}
    """

    __slots__ = (
        "_folded",
        "_found",
        "_spans",
        "alternates",
        "fuzzy",
        "original",
        "unguessed",
        "words",
    )

    def __init__(self, original: str, *, normalise: bool = False) -> None:
        if not isinstance(original, str):
            raise InvalidValueError(field="text", value=original, reason="must be a string")
        self.original = original
        self._found: dict[int, tuple[Match, ...]] = {}  # by id() of a lexicon
        self._spans: list[tuple[int, int]] | None = None
        self._folded = ""
        self.alternates: dict[int, tuple[tuple[str, tuple[int, int]], ...]] = {}
        folded = original.casefold().replace("ё", "е")
        if not normalise and len(folded) == len(original) and _plain(folded):
            self._folded = folded
            self.words: list[str] = _WORD.findall(folded)
            self.fuzzy: frozenset[int] = frozenset()
            self.unguessed = 0
            return
        words: list[str] = []
        spans: list[tuple[int, int]] = []
        if normalise:
            _normalised(original, 0, words, spans, self.alternates)
        else:
            _segmented(original, words, spans, self.alternates)
        self.words, self._spans = words, spans
        masked = [i for i, word in enumerate(words) if WILDCARD in word]
        self.fuzzy = frozenset(masked[:_FUZZY_LIMIT])
        self.unguessed = max(0, len(masked) - _FUZZY_LIMIT)
        masks = _FUZZY_LIMIT  # masked readings are guessed within the same bound
        room = _READINGS_LIMIT
        for index in sorted(self.alternates):
            kept = []
            for reading in self.alternates[index][:room]:
                if WILDCARD in reading[0]:
                    if masks <= 0:
                        continue
                    masks -= 1
                kept.append(reading)
            room -= len(kept)
            if kept:
                self.alternates[index] = tuple(kept)
            else:
                del self.alternates[index]

    @classmethod
    def of(cls, text: str, *, normalise: bool = False) -> "Scan":
        """Tokenise ``text`` (``normalise=True`` runs the full normaliser on all of it).

        Raises:
            InvalidValueError: when ``text`` is not a string.
        """
        return cls(text, normalise=normalise)

    @property
    def text(self) -> str:
        """The normalised text: the words joined by single spaces."""
        return " ".join(self.words)

    def span(self, index: int) -> tuple[int, int]:
        """The span of the original text behind word ``index``."""
        if self._spans is None:
            self._spans = [m.span() for m in _WORD.finditer(self._folded)]
        return self._spans[index]


_Alternates = dict[int, tuple[tuple[str, tuple[int, int]], ...]]
_STRETCH_LIMIT: Final = 3  # stretched letters of one word read as doubles, at most
# Words with other readings, and readings, per text (bound the work on hostile input).
_ALTERNATES_LIMIT: Final = 256
_READINGS_LIMIT: Final = 4096
_LATIN_RE: Final = re.compile(r"[a-zA-Z]")
_CYRILLIC_RE: Final = re.compile(r"[\u0400-\u04ff]")
_TRAILING_MASKS: Final = frozenset("*%#")


def _normalised(
    text: str,
    offset: int,
    words: list[str],
    spans: list[tuple[int, int]],
    alternates: _Alternates,
) -> None:
    """Append the words of ``text`` (at ``offset`` in the original) via the normaliser."""
    normal = normalize_spans(text)
    ranges = normal.words()
    for number, (lo, hi) in enumerate(ranges):
        start, end = normal.span(lo, hi)
        word = normal.text[lo:hi]
        readings = (
            _readings(text, normal, lo, hi, ranges[number - 1] if number else None)
            if len(alternates) < _ALTERNATES_LIMIT
            else None
        )
        if readings:
            alternates[len(words)] = tuple(
                (reading, (first + offset, last + offset)) for reading, (first, last) in readings
            )
        words.append(word)
        spans.append((start + offset, end + offset))


def _readings(
    text: str, normal: Normalized, lo: int, hi: int, before: tuple[int, int] | None
) -> list[tuple[str, tuple[int, int]]]:
    """Other readings of the normalised word ``normal.text[lo:hi]`` (see `Scan`)."""
    word = normal.text[lo:hi]
    start, end = normal.span(lo, hi)
    source = text[start:end]
    out: list[tuple[str, tuple[int, int]]] = []
    if _LATIN_RE.search(source) is not None and _CYRILLIC_RE.search(source) is not None:
        if word.isascii():
            other = "".join(_TO_CYRILLIC.get(c, c) for c in word)
        else:
            other = "".join(_TO_LATIN.get(c, _CYRILLIC_TO_LATIN.get(c, c)) for c in word)
        if other != word:
            out.append((other, (start, end)))
    stretched = (
        [
            k - lo
            for k in range(lo, hi)
            if normal.ends[k] - normal.starts[k] >= 3
            and len(set(text[normal.starts[k] : normal.ends[k]].casefold())) == 1
        ][:_STRETCH_LIMIT]
        if end - start >= len(word) + 2  # a letter written three times or more
        else []
    )
    for size in range(1, len(stretched) + 1):
        for chosen in itertools.combinations(stretched, size):
            doubled = "".join(c * 2 if i in chosen else c for i, c in enumerate(word))
            out.append((doubled, (start, end)))
    if (
        before is not None
        and before[1] - before[0] == 1
        and normal.text[before[0]] in _ONE_LETTER_WORDS
        and len(word) >= 3
        and all(normal.starts[k + 1] > normal.ends[k] for k in range(lo, hi - 1))
    ):  # "в з б л я д": the one-letter word the normaliser kept apart may belong
        first = normal.starts[before[0]]
        out.append((normal.text[before[0]] + word, (first, end)))
    if len(word) >= 2 and text[end : end + 1] in _TRAILING_MASKS and not word.endswith(WILDCARD):
        tail = end + 1
        while tail < len(text) and text[tail] in _TRAILING_MASKS:
            tail += 1
        out.append((word + WILDCARD, (start, tail)))
    return out


def _learn(chunk: str, size: int) -> bool:
    """Check one unknown folded chunk (``size`` characters as written); memoise if plain."""
    if (
        len(chunk) != size
        or _SUSPECT.search(chunk) is not None
        or _SUSPECT_RUNS.search(chunk) is not None
        or any(_edges(chunk))
    ):
        return False
    if len(_PLAIN_CHUNKS) >= _CACHE_LIMIT:
        _PLAIN_CHUNKS.clear()
        _EDGE_CHUNKS.clear()
    _PLAIN_CHUNKS.add(chunk)
    return True


_Alone = tuple[tuple[tuple[str, int, int], ...], _Alternates]


def _alone(chunk: str) -> _Alone | None:
    """The words of a chunk normalised on its own, when no neighbour can change them.

    Only one-letter words glue to their neighbours (``б л я``). A chunk whose first and
    last runs of letters or digits both have two characters or more starts and ends
    with words of two letters or more, so its words are the same alone as in any text;
    they are memoised as ``(word, start, end)`` relative to the chunk. ``None`` for the
    others (they are normalised with their neighbours).
    """
    memo = _ALONE_CHUNKS.get(chunk)
    if memo is not None or chunk in _GLUING_CHUNKS:
        return memo
    runs = _RUN.findall(chunk)
    if len(_ALONE_CHUNKS) + len(_GLUING_CHUNKS) >= _CACHE_LIMIT:
        _ALONE_CHUNKS.clear()
        _GLUING_CHUNKS.clear()
    if not runs or len(runs[0]) < 2 or len(runs[-1]) < 2:
        _GLUING_CHUNKS.add(chunk)
        return None
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    alternates: _Alternates = {}
    _normalised(chunk, 0, words, spans, alternates)
    found = tuple((word, start, end) for word, (start, end) in zip(words, spans, strict=True))
    result = _ALONE_CHUNKS[chunk] = (found, alternates)
    return result


def _segmented(
    text: str, words: list[str], spans: list[tuple[int, int]], alternates: _Alternates
) -> None:
    """Normalise only the stretches of ``text`` whose words depend on their neighbours.

    Chunks between ASCII whitespace that `_plain` has seen (``_PLAIN_CHUNKS``: no
    suspect character, no one-letter word at an edge) normalise to their own letter
    runs, and other chunks that start and end with longer words normalise the same
    alone (`_alone`): neither can glue to a neighbour, so the text is cut around them.
    The runs of the remaining chunks go through `normalize_spans` as they stand.
    """
    plain = _PLAIN_CHUNKS
    pending = -1  # start of the stretch waiting for the normaliser
    last = 0
    for chunk in _CHUNK.finditer(text):
        base = chunk.start()
        folded = chunk.group().casefold().replace("ё", "е")
        if folded in plain or _learn(folded, chunk.end() - base):
            alone = None
        else:
            alone = _alone(chunk.group())
            if alone is None:
                if pending < 0:
                    pending = base
                last = chunk.end()
                continue
        if pending >= 0:
            _normalised(text[pending:last], pending, words, spans, alternates)
            pending = -1
        if alone is None:
            for found in _WORD.finditer(folded):
                words.append(found.group())
                spans.append((found.start() + base, found.end() + base))
        else:
            parts, readings = alone
            for index, shifted in readings.items() if len(alternates) < _ALTERNATES_LIMIT else ():
                alternates[len(words) + index] = tuple(
                    (reading, (first + base, last + base)) for reading, (first, last) in shifted
                )
            for word, start, end in parts:
                words.append(word)
                spans.append((start + base, end + base))
    if pending >= 0:
        _normalised(text[pending:last], pending, words, spans, alternates)


@final
@attrs.frozen(kw_only=True)
class Match:
    """One hit of a lexicon in a text.

    Attributes:
        term: The lexicon entry that matched (a pattern such as ``"fuck*"`` or a root
            such as ``"пизд"``).
        text: The matched word, normalised (what `normalize` makes of ``span``).
        span: ``(start, end)`` of the hit in the original text, half-open.
        severity: How bad the term is.
    """

    term: str
    text: str
    span: tuple[int, int]
    severity: Severity


def _severity(value: object, field: str) -> Severity:
    if isinstance(value, Severity):
        return value
    if isinstance(value, str) and value.upper() in Severity.__members__:
        return Severity[value.upper()]
    raise InvalidValueError(field=field, value=value, reason="must be INFO, WARNING or ERROR")


def _root_severity(value: object) -> Severity:
    return _severity(value, "RootRule.severity")


def _strings(value: object, field: str) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError(field=field, value=value, reason="must be a collection of strings")
    items = tuple(value)
    if not all(isinstance(item, str) for item in items):
        raise InvalidValueError(field=field, value=value, reason="must hold strings only")
    return frozenset(items)


def _regex(value: str, field: str) -> "re.Pattern[str]":
    try:
        return re.compile(value)
    except (re.error, TypeError) as exc:
        raise InvalidValueError(field=field, value=value, reason=f"not a regex: {exc}") from exc


@final
@attrs.frozen(kw_only=True)
class RootRule:
    """A Russian root with the prefixes and endings it takes (used by the presets).

    Attributes:
        root: The root, normalised (``"пизд"``).
        tail: A regular expression the rest of the word after the root must match in
            full (``".*"`` for anything, ``"(?:ак|ил).*"``...).
        severity: How bad a word built on the root is.
        prefixes: The exact prefixes allowed before the root, or ``None`` for any chain
            of the lexicon's prefixes (and none).
        exclude_prefixes: Prefixes that may not stand right before the root (``"с"``
            before ``еб`` would make ``себя``).
    """

    root: str
    tail: str = ".*"
    severity: Severity = attrs.field(default=Severity.ERROR, converter=_root_severity)
    prefixes: frozenset[str] | None = None
    exclude_prefixes: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.root, str) or not self.root or normalize(self.root) != self.root:
            raise InvalidValueError(
                field="RootRule.root", value=self.root, reason="must be one normalised word"
            )
        _regex(self.tail, "RootRule.tail")


@final
class _Patterns:
    """Words in Discord syntax, indexed: exact, starts-with, ends-with, contains."""

    def __init__(self, entries: Iterable[tuple[str, str, Severity]], tails: Iterable[str]) -> None:
        self.exact: dict[str, tuple[str, Severity]] = {}
        self.starts: dict[str, tuple[str, Severity]] = {}
        self.ends: dict[str, tuple[str, Severity]] = {}
        self.contains: list[tuple[str, str, Severity]] = []
        tails = tuple(tails)
        for label, core, severity in entries:
            lead, trail = label.startswith(WILDCARD), label.endswith(WILDCARD) and len(label) > 1
            if lead and trail:
                self.contains.append((core, label, severity))
            elif trail:
                self.starts.setdefault(core, (label, severity))
            elif lead:
                self.ends.setdefault(core, (label, severity))
            else:
                for tail in tails:
                    self.exact.setdefault(core + tail, (label, severity))
        self.start_sizes = sorted({len(k) for k in self.starts})
        self.end_sizes = sorted({len(k) for k in self.ends})

    def lookup(self, word: str) -> _Verdict:
        hit = self.exact.get(word)
        if hit is not None:
            return hit
        for size in self.start_sizes:
            hit = self.starts.get(word[:size])
            if hit is not None:
                return hit
        for size in self.end_sizes:
            hit = self.ends.get(word[-size:])
            if hit is not None:
                return hit
        for core, label, severity in self.contains:
            if core in word:
                return label, severity
        return None

    def cores(self) -> list[str]:
        return [*self.exact, *self.starts, *self.ends, *(c for c, _, _ in self.contains)]


def _parse_term(term: object, field: str) -> tuple[str, str]:
    """``(label, core)`` of a Discord-syntax term; the core is one normalised word."""
    if not isinstance(term, str):
        raise InvalidValueError(field=field, value=term, reason="must be a string")
    label = term.strip()
    core = normalize(label.strip(WILDCARD))
    if not core or " " in core or WILDCARD in core:
        raise InvalidValueError(
            field=field,
            value=term,
            reason="must be one word, optionally with * at its start and/or end",
        )
    lead = WILDCARD if label.startswith(WILDCARD) else ""
    trail = WILDCARD if label.endswith(WILDCARD) and len(label) > 1 else ""
    return f"{lead}{core}{trail}", core


@final
@attrs.frozen(kw_only=True)
class Lexicon:
    """Terms a chat flags, with an allow-list; see the module documentation.

    Build one with `Lexicon.preset` or `Lexicon.from_terms`; keep it (it caches the
    verdict of every word it has seen) and call `find`.

    Attributes:
        name: A label (``"ru-obscene"``, ``"custom"``).
        terms: ``(pattern, severity)`` pairs in Discord wildcard syntax.
        roots: Root rules (Russian morphology).
        prefixes: The prefixes root rules may take by default.
        tails: The endings an exact ``word`` term may take (``("",)``: none).
        exceptions: Patterns never flagged, in the same syntax (the allow-list).
        fills: What a mask (``*``) may stand for, tried first when guessing a masked
            word; every one- and two-letter piece of the terms and roots comes after.
    """

    name: str
    terms: tuple[tuple[str, Severity], ...] = ()
    roots: tuple[RootRule, ...] = ()
    prefixes: frozenset[str] = frozenset()
    tails: tuple[str, ...] = ("",)
    exceptions: frozenset[str] = frozenset()
    fills: tuple[str, ...] = ()
    _terms: _Patterns = attrs.field(init=False, repr=False, eq=False)
    _allow: _Patterns = attrs.field(init=False, repr=False, eq=False)
    _roots: dict[str, tuple[RootRule, ...]] = attrs.field(init=False, repr=False, eq=False)
    _root_re: "re.Pattern[str] | None" = attrs.field(init=False, repr=False, eq=False)
    _tails: dict[str, "re.Pattern[str]"] = attrs.field(init=False, repr=False, eq=False)
    _cache: dict[str, _Verdict] = attrs.field(init=False, repr=False, eq=False)
    _clean: set[str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidValueError(
                field="Lexicon.name", value=self.name, reason="must be a non-empty string"
            )
        entries = []
        for index, (term, severity) in enumerate(self.terms):
            label, core = _parse_term(term, f"Lexicon.terms[{index}]")
            entries.append((label, core, _severity(severity, f"Lexicon.terms[{index}]")))
        allowed = []
        for term in sorted(self.exceptions):
            label, core = _parse_term(term, "Lexicon.exceptions")
            allowed.append((label, core, Severity.INFO))
        roots: dict[str, list[RootRule]] = {}
        for rule in self.roots:
            if not isinstance(rule, RootRule):
                raise InvalidValueError(
                    field="Lexicon.roots", value=rule, reason="must hold RootRule values"
                )
            roots.setdefault(rule.root, []).append(rule)
        ordered = sorted(roots, key=lambda r: (-len(r), r))
        root_re = re.compile("(?=(" + "|".join(map(re.escape, ordered)) + "))") if ordered else None
        set_ = object.__setattr__
        set_(self, "_terms", _Patterns(entries, self.tails))
        set_(self, "_allow", _Patterns(allowed, ("",)))
        set_(self, "_roots", {root: tuple(rules) for root, rules in roots.items()})
        set_(self, "_root_re", root_re)
        set_(self, "_tails", {r.tail: re.compile(r.tail) for r in self.roots})
        set_(self, "_cache", {})
        set_(self, "_clean", set())
        fills = (*self.fills, *self._default_fills())  # the given ones are tried first
        set_(self, "fills", tuple(sorted(dict.fromkeys(fills), key=len)))

    def _default_fills(self) -> tuple[str, ...]:
        """Every one- and two-letter piece of the terms and roots."""
        pieces: set[str] = set()
        for core in [*self._terms.cores(), *self._roots]:
            for size in (1, 2):
                pieces.update(core[i : i + size] for i in range(len(core) - size + 1))
        return tuple(sorted(pieces))

    # -- construction ---------------------------------------------------------------

    @classmethod
    def from_terms(
        cls,
        terms: Iterable[str] | Mapping[str, Severity | str],
        *,
        allow: Iterable[str] = (),
        name: str = "custom",
        severity: Severity | str = Severity.ERROR,
    ) -> "Lexicon":
        """A user lexicon from Discord-syntax terms.

        Args:
            terms: Patterns (``word``, ``word*``, ``*word``, ``*word*``), or a mapping
                of patterns to their severity.
            allow: Patterns never flagged, in the same syntax.
            name: A label for the lexicon.
            severity: The severity of terms given without one.

        Returns:
            The lexicon.

        Raises:
            InvalidValueError: when a term is not one word with optional ``*`` ends, or
                a severity is unknown.

        >>> Lexicon.from_terms({"dang": "WARNING"}).terms
        (('dang', <Severity.WARNING: 20>),)
        """
        default = _severity(severity, "severity")
        if isinstance(terms, Mapping):
            pairs = tuple((t, _severity(s, f"terms[{t!r}]")) for t, s in terms.items())
        else:
            pairs = tuple((t, default) for t in _strings(terms, "terms"))
            pairs = tuple(sorted(pairs))
        if not pairs:
            raise InvalidValueError(
                field="terms", value=terms, reason="must hold at least one term"
            )
        return cls(name=name, terms=pairs, exceptions=_strings(allow, "allow"))

    @classmethod
    def preset(cls, name: str) -> "Lexicon":
        """A lexicon shipped with the package: ``"ru-obscene"`` or ``"en-profanity"``.

        Args:
            name: One of `PRESETS`.

        Returns:
            The lexicon.

        Raises:
            InvalidValueError: when ``name`` is not a preset.

        >>> Lexicon.preset("en-profanity").name
        'en-profanity'

        The lexicon is loaded once and shared (it is immutable; sharing also shares
        the memo of words it has judged).
        """
        if name not in PRESETS:
            raise InvalidValueError(
                field="name", value=name, reason=f"must be one of {', '.join(PRESETS)}"
            )
        return _preset(name)

    # -- matching -------------------------------------------------------------------

    def find(self, text: str) -> tuple[Match, ...]:
        """Every flagged word of ``text``, in order, with its span in ``text``.

        Args:
            text: Any string.

        Returns:
            The matches (empty when the text is clean).

        Raises:
            InvalidValueError: when ``text`` is not a string.

        >>> tuple(m.span for m in Lexicon.preset("ru-obscene").find("х.у.й вам"))
        ((0, 5),)
        """
        return self.find_in(Scan.of(text))

    def find_in(self, scan: "Scan") -> tuple[Match, ...]:
        """`find` on a text already tokenised: several lexicons share one `Scan`.

        >>> scan = Scan.of("Ну xyйня, shit")
        >>> tuple(m.text for m in Lexicon.preset("ru-obscene").find_in(scan))
        ('хуйня',)
        >>> tuple(m.text for m in Lexicon.preset("en-profanity").find_in(scan))
        ('shit',)
        """
        words = scan.words
        clean = self._clean
        alternates = scan.alternates
        if not alternates and clean.issuperset(words):  # the common case, at C speed
            return ()
        known = scan._found.get(id(self))
        if known is not None:  # another rule of the policy asked already
            return known
        cache = self._cache
        found: list[Match] = []
        for index, word in enumerate(words):
            hit = None if word in clean else cache.get(word, _MISSING)
            if hit is _MISSING:
                hit = self._verdict(word, fuzzy=index in scan.fuzzy)
            if hit is not None:
                term, severity = hit
                found.append(Match(term=term, text=word, span=scan.span(index), severity=severity))
            elif index in alternates:
                for reading, span in alternates[index]:
                    hit = cache.get(reading, _MISSING)
                    if hit is _MISSING:
                        hit = self._verdict(reading, fuzzy=True)
                    if hit is not None:
                        term, severity = hit
                        found.append(Match(term=term, text=reading, span=span, severity=severity))
                        break
        result = scan._found[id(self)] = tuple(found)
        return result

    def _find_normalised(self, text: str) -> tuple[Match, ...]:
        """The general path on any text: full normalisation with span mapping."""
        return self.find_in(Scan.of(text, normalise=True))

    def _verdict(self, word: str, *, fuzzy: bool) -> _Verdict:
        """Look ``word`` up (and remember the answer when it is final)."""
        if WILDCARD in word:
            if not fuzzy:
                return None
            hit = self._masked(word)
        else:
            hit = self._plain(word)
        cache = self._cache
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
            self._clean.clear()
        cache[word] = hit
        if hit is None:
            self._clean.add(word)
        return hit

    def _plain(self, word: str) -> _Verdict:
        if self._allow.lookup(word) is not None:
            return None
        hit = self._terms.lookup(word)
        if hit is not None or self._root_re is None:
            return hit
        for found in self._root_re.finditer(word):
            root = found.group(1)
            start = found.start()
            prefix, tail = word[:start], word[start + len(root) :]
            for rule in self._roots[root]:
                if self._tails[rule.tail].fullmatch(tail) and self._prefix_ok(prefix, rule):
                    return rule.root, rule.severity
        return None

    def _prefix_ok(self, prefix: str, rule: RootRule) -> bool:
        """``prefix`` is allowed before ``rule.root``."""
        if rule.prefixes is not None:
            return prefix in rule.prefixes
        if prefix in self.prefixes or not prefix:
            return prefix not in rule.exclude_prefixes
        # Chains of two or three prefixes of two letters or more (под+за, на+по+...).
        return self._chain(prefix, rule.exclude_prefixes, _MAX_PREFIX_PARTS)

    def _chain(self, prefix: str, excluded: frozenset[str], parts: int) -> bool:
        if prefix in self.prefixes and len(prefix) >= 2:
            return prefix not in excluded
        if parts <= 1:
            return False
        for cut in range(2, len(prefix) - 1):
            if prefix[:cut] in self.prefixes and self._chain(prefix[cut:], excluded, parts - 1):
                return True
        return False

    def _masked(self, word: str) -> _Verdict:
        """A word with masks: try the masks as nothing, then as each fill in turn."""
        parts = word.split(WILDCARD)
        letters = "".join(parts)
        if len(letters) < 2 or len(parts) > 4 or len(word) > 40:
            return None
        if len(letters) >= 3:
            hit = self._plain(letters)
            if hit is not None:
                return hit
        for index in range(len(parts) - 1):
            head = "".join(parts[: index + 1])
            rest = "".join(parts[index + 1 :])
            for fill in self.fills:
                hit = self._plain(head + fill + rest)
                if hit is not None:
                    return hit
        return None


@functools.cache
def _preset(name: str) -> Lexicon:
    """Load a preset lexicon from the package data (once per process)."""
    resource = importlib.resources.files("mmso_core.moderation").joinpath(f"data/{name}.json")
    data: dict[str, Any] = json.loads(resource.read_text("utf-8"))
    words = data.get("words", {})
    terms: list[tuple[str, Severity]] = []
    for key, value in words.items():
        if isinstance(value, list):  # {"ERROR": [...]} in the English file
            terms.extend((word, _severity(key, name)) for word in value)
        else:
            terms.append((key, _severity(value, name)))
    roots = tuple(
        RootRule(
            root=r["root"],
            tail=r.get("tail", ".*"),
            severity=r.get("severity", "ERROR"),
            prefixes=frozenset(r["prefixes"]) if "prefixes" in r else None,
            exclude_prefixes=frozenset(r.get("exclude_prefixes", ())),
        )
        for r in data.get("roots", ())
    )
    return Lexicon(
        name=name,
        terms=tuple(terms),
        roots=roots,
        prefixes=frozenset(data.get("prefixes", ())),
        tails=tuple(data.get("tails", ("",))),
        exceptions=frozenset(data.get("exceptions", ())),
        fills=tuple(data.get("fills", ())),
    )
