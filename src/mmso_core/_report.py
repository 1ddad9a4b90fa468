"""What every rule in every area returns: violations gathered in a report.

A bad *plan* is not an exception: rules return [`Violation`][mmso_core.Violation]
values, each with a stable ``code``, a ``severity``, the ids of the things involved
and a message in English and Russian.

>>> from mmso_core import Report, Severity, Violation
>>> v = Violation(
...     code="channel-overlap",
...     severity=Severity.ERROR,
...     subjects=("s1", "s2"),
...     en="sessions s1 and s2 overlap in channel main",
...     ru="мероприятия s1 и s2 пересекаются в плеере main",
... )
>>> report = Report(violations=(v,))
>>> report.ok, len(report.errors), v.message("ru")
(False, 1, 'мероприятия s1 и s2 пересекаются в плеере main')
"""

import enum
from collections.abc import Iterable
from typing import Literal, TypeAlias, final

import attrs

from mmso_core._checks import instance_of, items, non_empty, strings
from mmso_core.errors import InvalidValueError

__all__ = ["Locale", "Report", "Severity", "Violation"]

Locale: TypeAlias = Literal["en", "ru"]


@final
class Severity(enum.IntEnum):
    """How bad a violation is; ordered, so thresholds compare with ``>=``."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    def label(self, locale: Locale = "en") -> str:
        """The severity's name in ``"en"`` or ``"ru"``."""
        if locale == "ru":
            return {"INFO": "сведения", "WARNING": "предупреждение", "ERROR": "ошибка"}[self.name]
        return self.name.lower()


def plural_ru(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for a count: 1 мероприятие, 3 мероприятия, 9 мероприятий.

    >>> [plural_ru(n, "мероприятие", "мероприятия", "мероприятий") for n in (1, 3, 9, 11, 21)]
    ['мероприятие', 'мероприятия', 'мероприятий', 'мероприятий', 'мероприятие']
    """
    if count % 10 == 1 and count % 100 != 11:
        return one
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return few
    return many


def check_locale(locale: str) -> Locale:
    """Return ``locale`` if it is ``"en"`` or ``"ru"``; raise ``InvalidValueError`` otherwise."""
    if locale not in ("en", "ru"):
        raise InvalidValueError(field="locale", value=locale, reason="must be 'en' or 'ru'")
    return locale  # type: ignore[return-value] # narrowed by the check above


def _subjects(value: Iterable[str]) -> tuple[str, ...]:
    return strings(value, "Violation.subjects")


@final
@attrs.frozen(kw_only=True, order=False)
class Violation:
    """One broken rule.

    Attributes:
        code: Stable rule code, e.g. ``"person-double-booked"``.
        severity: How bad it is.
        subjects: Ids of the things involved (sessions, people, channels...).
        en: The message in English.
        ru: The message in Russian.
    """

    code: str = attrs.field(validator=non_empty)
    severity: Severity = attrs.field(validator=instance_of(Severity))
    subjects: tuple[str, ...] = attrs.field(converter=_subjects)
    en: str = attrs.field(validator=non_empty)
    ru: str = attrs.field(validator=non_empty)

    def message(self, locale: Locale = "en") -> str:
        """The message in ``"en"`` or ``"ru"``."""
        return self.ru if check_locale(locale) == "ru" else self.en

    def sort_key(self) -> tuple[int, str, tuple[str, ...]]:
        """Most severe first, then by code and subjects: a stable order for reports."""
        return (-self.severity, self.code, self.subjects)


def _sorted_violations(value: Iterable[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(items(value, Violation, "Report.violations"), key=Violation.sort_key))


@final
@attrs.frozen(kw_only=True)
class Report:
    """The violations found by a check, in a stable order (most severe first).

    Attributes:
        violations: All violations.
        error_threshold: Violations at or above this severity count as errors.
    """

    violations: tuple[Violation, ...] = attrs.field(converter=_sorted_violations)
    error_threshold: Severity = attrs.field(default=Severity.ERROR, validator=instance_of(Severity))

    @classmethod
    def from_violations(
        cls, violations: Iterable[Violation], *, error_threshold: Severity = Severity.ERROR
    ) -> "Report":
        """Build a report from any iterable of violations."""
        return cls(violations=tuple(violations), error_threshold=error_threshold)

    @property
    def errors(self) -> tuple[Violation, ...]:
        """Violations at or above the error threshold."""
        return tuple(v for v in self.violations if v.severity >= self.error_threshold)

    @property
    def ok(self) -> bool:
        """Whether the report holds no errors (warnings are allowed)."""
        return not self.errors

    def codes(self) -> dict[str, int]:
        """How many violations there are of each code."""
        counts: dict[str, int] = {}
        for item in self.violations:
            counts[item.code] = counts.get(item.code, 0) + 1
        return counts

    def to_text(self, locale: Locale = "en") -> str:
        """A plain-text rendering, one line per violation, with a summary line."""
        check_locale(locale)
        lines = [
            f"{v.severity.label(locale)} [{v.code}] {v.message(locale)}" for v in self.violations
        ]
        errors, total = len(self.errors), len(self.violations)
        if locale == "ru":
            lines.append(f"ошибок: {errors}, всего замечаний: {total}")
        else:
            lines.append(f"{errors} error(s), {total} violation(s) in all")
        return "\n".join(lines)
