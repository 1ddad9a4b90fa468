"""Text normalisation for matching, with every character mapped back to the original.

`normalize` folds the tricks people use to slip words past a filter: compatibility
forms (NFKC), case, ``ё``, zero-width characters and soft hyphens, combining marks
(zalgo), Latin/digit look-alikes inside Cyrillic words (``xyй``, ``пиzдец``, ``3``,
``0``, ``@``), letters spelled apart (``х.у.й``, ``б л я``) and stretched letters
(``бляяяя``). Masks such as ``х*й``, ``по%уй`` or ``С..ка`` become a ``*`` wildcard
for the matcher. The result is the words joined by single spaces.

`Normalized` keeps, for every character of the normalised text, the span of the
original text it came from, so a hit is reported where the reader sees it. All of it
is one pass per stage, linear in the length of the text, and never raises on a
``str`` (NUL bytes, lone surrogates and direction overrides become spaces or vanish).

>>> from mmso_core.moderation import normalize, normalize_spans
>>> normalize("Х.У.Й, XYЙ и б л я!")
'хуй хуй и бля'
>>> normalize("С..ка, по%уй, бляяяя")
'с*ка по*уй бля'
>>> n = normalize_spans("ну xyй!")
>>> n.text, n.span(3, 6)
('ну хуй', (3, 6))
"""

import unicodedata
from typing import Final, final

import attrs

from mmso_core.errors import InvalidValueError

__all__ = ["Normalized", "normalize", "normalize_spans"]

WILDCARD: Final = "*"

# Removed outright: zero-width characters, soft hyphen, joiners, bidi controls, BOM.
_DROP: Final = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u200b\u200c"
    "\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufe0e\ufe0f"
)
# Inside a word, a run of these between letters is a mask: one ``*`` wildcard.
_MASK: Final = frozenset('*%#."?!()+~^&_\\')
# Look-alikes folded inside a word that also holds a Cyrillic letter.
_TO_CYRILLIC: Final = {
    "a": "а", "b": "б", "c": "с", "d": "д", "e": "е", "f": "ф", "g": "д", "h": "х",
    "i": "и", "k": "к", "l": "л", "m": "м", "n": "п", "o": "о", "p": "р", "r": "г",
    "s": "с", "t": "т", "u": "и", "v": "в", "w": "ш", "x": "х", "y": "у", "z": "з",
    "0": "о", "3": "з", "4": "ч", "6": "б", "9": "я", "@": "а", "$": "с", "€": "е",
}  # fmt: skip
# Look-alikes folded inside a word of Latin letters (``sh1t``, ``@ss``).
_TO_LATIN: Final = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
    "€": "e", "!": "i",
}  # fmt: skip
# Cyrillic letters that pass for Latin ones inside a mostly Latin word (``fuсk``).
_CYRILLIC_TO_LATIN: Final = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "и": "u", "п": "n", "г": "r", "ь": "b",
}  # fmt: skip
_LATIN_LOOKALIKES: Final = frozenset("abcehkmoptxyunr")
_SHORT_BREVE: Final = "\u0306"
_SYMBOLS: Final = frozenset("@$€")
_ONE_LETTER_WORDS: Final = frozenset("авикосуяi")


def _fold_char(char: str) -> str:
    """NFKC + case folding of one character, stable under a second application.

    Returns the folded characters; whitespace, controls and surrogates come back as
    a space, and zero-width or combining characters as the empty string.
    """
    if char in _DROP:
        return ""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
        return " "
    folded = char
    for _ in range(3):
        again = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", folded).casefold())
        if again == folded:
            break
        folded = again
    out = []
    for piece in folded:
        kind = unicodedata.category(piece)
        if piece in _DROP or unicodedata.combining(piece) or kind in ("Mn", "Me", "Cf"):
            continue
        if piece.isspace() or kind in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append("е" if piece == "ё" else piece)
    return "".join(out)


def _table() -> dict[str, str]:
    """The folds of the characters met most (ASCII and basic Cyrillic), computed once."""
    chars = [chr(c) for c in range(0x80)] + [chr(c) for c in range(0x400, 0x460)]
    return {c: _fold_char(c) for c in chars}


_FOLD: Final = _table()


def _is_letter(char: str) -> bool:
    return char.isalpha()


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _is_latin(char: str) -> bool:
    return "a" <= char <= "z"


@final
@attrs.frozen(kw_only=True)
class Normalized:
    """Normalised text plus, for each of its characters, the original span.

    Attributes:
        original: The text as given.
        text: The normalised text: words joined by single spaces.
        starts: For each character of ``text``, where its source starts in ``original``.
        ends: For each character of ``text``, where its source ends in ``original``.

    >>> n = normalize_spans("Б Л Я")
    >>> n.text, n.span(0, 3)
    ('бля', (0, 5))
    """

    original: str
    text: str
    starts: tuple[int, ...] = attrs.field(repr=False)
    ends: tuple[int, ...] = attrs.field(repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` behind ``text[start:end]`` (``end > start``).

        Raises:
            InvalidValueError: when ``start:end`` is not a non-empty slice of ``text``.
        """
        if not 0 <= start < end <= len(self.text):
            raise InvalidValueError(
                field="Normalized.span",
                value=(start, end),
                reason=f"must be a non-empty slice of the {len(self.text)}-character text",
            )
        return self.starts[start], self.ends[end - 1]

    def words(self) -> tuple[tuple[int, int], ...]:
        """The ``(start, end)`` slices of ``text`` holding one word each.

        >>> normalize_spans("a, b").words()
        ((0, 1), (2, 3))
        """
        out: list[tuple[int, int]] = []
        position = 0
        for word in self.text.split(" "):
            if word:
                out.append((position, position + len(word)))
            position += len(word) + 1
        return tuple(out)


# A word under construction: its characters and, for each, the original span.
_Word = tuple[list[str], list[int], list[int]]


def _chars(text: str) -> _Word:
    """Stage 1: fold each character; keep the original index of each output char."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    fold = _FOLD
    for index, char in enumerate(text):
        out = fold.get(char)
        if out is None:
            if char == _SHORT_BREVE and chars and chars[-1] == "и":
                chars[-1] = "й"
                ends[-1] = index + 1
                continue
            out = _fold_char(char)
        for piece in out:
            chars.append(piece)
            starts.append(index)
            ends.append(index + 1)
    return chars, starts, ends


def _split_chunks(chars: list[str]) -> list[tuple[int, int]]:
    """Maximal runs of non-space characters, as ``(start, end)`` indexes."""
    chunks: list[tuple[int, int]] = []
    start = -1
    for index, char in enumerate(chars):
        if char == " ":
            if start >= 0:
                chunks.append((start, index))
                start = -1
        elif start < 0:
            start = index
    if start >= 0:
        chunks.append((start, len(chars)))
    return chunks


def _fold_lookalikes(chars: list[str], start: int, end: int) -> list[str]:
    """Letters of one chunk with look-alikes folded into the chunk's script."""
    piece = chars[start:end]
    cyrillic = [c for c in piece if _is_cyrillic(c)]
    latin = [c for c in piece if _is_latin(c)]
    if cyrillic and latin:
        only_cyrillic = any(c not in _CYRILLIC_TO_LATIN for c in cyrillic)
        only_latin = any(c not in _LATIN_LOOKALIKES for c in latin)
        # A letter only one script has decides; otherwise the majority does.
        to_cyrillic = len(cyrillic) >= len(latin) if only_cyrillic == only_latin else only_cyrillic
        table = _TO_CYRILLIC if to_cyrillic else _CYRILLIC_TO_LATIN
    elif cyrillic:
        table = _TO_CYRILLIC
    elif latin:
        table = _TO_LATIN
    else:
        return piece
    folded = [table.get(c, c) for c in piece]
    if table is _CYRILLIC_TO_LATIN:
        folded = [_TO_LATIN.get(c, c) for c in folded]
    if table is not _TO_CYRILLIC:
        # "!" is a letter only between letters ("sh!t"), not at the end of a sentence.
        for i, c in enumerate(piece):
            if c == "!" and not (0 < i < len(piece) - 1 and _is_letter(piece[i + 1])):
                folded[i] = c
    return folded


def _words_of_chunk(
    chars: list[str], starts: list[int], ends: list[int], lo: int, hi: int
) -> list[_Word]:
    """Stage 2: one chunk (no spaces) into words, with masks as ``*``.

    The chunk splits at characters that are neither letters, digits, masks nor
    look-alike symbols ("-", ",", ":", "/"...); each piece is folded on its own.
    """
    words: list[_Word] = []
    seg_from = lo
    for index in range(lo, hi + 1):
        if index == hi or not (
            chars[index].isalnum() or chars[index] in _MASK or chars[index] in _SYMBOLS
        ):
            if index > seg_from:
                word = _word_of_segment(chars, starts, ends, seg_from, index)
                if word[0]:
                    words.append(_glue_masked_letters(word))
            seg_from = index + 1
    return words


def _word_of_segment(
    chars: list[str], starts: list[int], ends: list[int], lo: int, hi: int
) -> _Word:
    """One word from a piece of a chunk: look-alikes folded, mask runs as ``*``."""
    folded = _fold_lookalikes(chars, lo, hi)
    word: _Word = ([], [], [])
    mask_from = -1  # index (into folded) where a pending mask run starts
    for offset, char in enumerate(folded):
        if char.isalnum():
            if mask_from >= 0 and (word[0] or folded[0] == WILDCARD):
                word[0].append(WILDCARD)
                word[1].append(starts[lo + mask_from])
                word[2].append(ends[lo + offset - 1])
            mask_from = -1
            word[0].append(char)
            word[1].append(starts[lo + offset])
            word[2].append(ends[lo + offset])
        elif mask_from < 0:
            mask_from = offset
    return word


def _glue_masked_letters(word: _Word) -> _Word:
    """``х*у*й`` (three or more single letters between masks) becomes ``хуй``."""
    letters, starts, ends = word
    if WILDCARD not in letters or len(letters) < 5:
        return word
    singles = (
        all((c == WILDCARD) == (i % 2 == 1) for i, c in enumerate(letters))
        and len(letters) % 2 == 1
    )
    if not singles:
        return word
    return letters[::2], starts[::2], ends[::2]


def _glue_single_letters(words: list[_Word]) -> list[_Word]:
    """``б л я``: a run of three or more one-letter words becomes one word."""
    out: list[_Word] = []
    run: list[_Word] = []

    def flush() -> None:
        if len(run) >= 4 and run[0][0][0] in _ONE_LETTER_WORDS:
            out.append(run.pop(0))  # "и б л я": the conjunction stays a word
        if len(run) >= 3:
            letters = [w[0][0] for w in run]
            letters = _fold_lookalikes(letters, 0, len(letters))
            out.append((letters, [w[1][0] for w in run], [w[2][0] for w in run]))
        else:
            out.extend(run)
        run.clear()

    for word in words:
        if len(word[0]) == 1 and word[0][0].isalpha():
            run.append(word)
        else:
            flush()
            out.append(word)
    flush()
    return out


def _squeeze(word: _Word) -> _Word:
    """Stage 3: a letter repeated three or more times becomes one (``бляяяя``)."""
    letters, starts, ends = word
    out: _Word = ([], [], [])
    index = 0
    size = len(letters)
    while index < size:
        char = letters[index]
        run_end = index + 1
        while run_end < size and letters[run_end] == char:
            run_end += 1
        if run_end - index >= 3 or char == WILDCARD:
            out[0].append(char)
            out[1].append(starts[index])
            out[2].append(ends[run_end - 1])
        else:
            for i in range(index, run_end):
                out[0].append(char)
                out[1].append(starts[i])
                out[2].append(ends[i])
        index = run_end
    return out


def normalize_spans(text: str) -> Normalized:
    """Normalise ``text`` and keep the original span of each normalised character.

    Args:
        text: Any string; it never raises on one.

    Returns:
        The normalised text with its span mapping.

    Raises:
        InvalidValueError: when ``text`` is not a string.

    >>> normalize_spans("пиzдец").text
    'пиздец'
    """
    if not isinstance(text, str):
        raise InvalidValueError(field="text", value=text, reason="must be a string")
    chars, starts, ends = _chars(text)
    words: list[_Word] = []
    for lo, hi in _split_chunks(chars):
        words.extend(_words_of_chunk(chars, starts, ends, lo, hi))
    words = [_squeeze(w) for w in _glue_single_letters(words)]
    out_chars: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    for word in words:
        if out_chars:
            out_chars.append(" ")
            gap = (out_ends[-1], word[1][0])  # one source character may yield two words
            out_starts.append(min(gap))
            out_ends.append(max(gap))
        out_chars.extend(word[0])
        out_starts.extend(word[1])
        out_ends.extend(word[2])
    return Normalized(
        original=text, text="".join(out_chars), starts=tuple(out_starts), ends=tuple(out_ends)
    )


def normalize(text: str) -> str:
    """The normalised form of ``text``: the words, folded, joined by single spaces.

    Args:
        text: Any string; it never raises on one.

    Returns:
        The normalised text (see the module documentation for what is folded).

    Raises:
        InvalidValueError: when ``text`` is not a string.

    >>> normalize("ＦＵＣＫ  Ё-моё\u200b!")
    'fuck е мое'
    """
    return normalize_spans(text).text
