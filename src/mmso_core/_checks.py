"""Shared input checks for the values' converters and validators.

One way to refuse bad input everywhere: each check raises
[`InvalidValueError`][mmso_core.InvalidValueError] naming the field and the value,
so no constructor ends in a bare ``TypeError`` or ``AttributeError``.
"""

import datetime as _dt
import math
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs

from mmso_core.errors import InvalidValueError

__all__ = [
    "field_name",
    "hours",
    "instance_of",
    "items",
    "local_time",
    "mapping",
    "non_empty",
    "number",
    "optional_text",
    "positive_int",
    "positive_int_or_none",
    "sequence",
    "strings",
    "timedelta",
]

_T = TypeVar("_T")


def field_name(instance: object, attribute: "attrs.Attribute[Any]") -> str:
    """``Class.field`` for messages."""
    return f"{type(instance).__name__}.{attribute.name}"


def non_empty(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    """Validator: a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            field=field_name(instance, attribute), value=value, reason="must be a non-empty string"
        )


def optional_text(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    """Validator: ``None`` or a non-empty string."""
    if value is not None:
        non_empty(instance, attribute, value)


def positive_int(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    """Validator: an integer >= 1 (not a bool)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidValueError(
            field=field_name(instance, attribute), value=value, reason="must be a positive integer"
        )


def positive_int_or_none(
    instance: object, attribute: "attrs.Attribute[Any]", value: object
) -> None:
    """Validator: ``None`` or an integer >= 1."""
    if value is not None:
        positive_int(instance, attribute, value)


def instance_of(kind: type) -> Any:
    """Validator: an instance of ``kind``."""

    def check(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidValueError(
                field=field_name(instance, attribute),
                value=value,
                reason=f"must be a {kind.__name__}",
            )

    return check


def sequence(value: object, field: str, what: str = "values") -> tuple[Any, ...]:
    """Any sequence as a tuple; ``None``, a string, a mapping or a scalar is refused."""
    if value is None or isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidValueError(field=field, value=value, reason=f"must be a sequence of {what}")
    return tuple(value)


def items(value: object, kind: type[_T], field: str) -> tuple[_T, ...]:
    """A sequence of ``kind`` values as a tuple (one bare value is refused too)."""
    if isinstance(value, kind):
        raise InvalidValueError(
            field=field, value=value, reason=f"must be a sequence of {kind.__name__}, not one"
        )
    result = sequence(value, field, kind.__name__)
    for position, item in enumerate(result):
        if not isinstance(item, kind):
            raise InvalidValueError(
                field=f"{field}[{position}]", value=item, reason=f"must be a {kind.__name__}"
            )
    return result


def strings(value: object, field: str, *, unique: bool = False) -> tuple[str, ...]:
    """A sequence of non-empty strings as a tuple (optionally without repeats)."""
    result = items(value, str, field)
    for item in result:
        if not item.strip():
            raise InvalidValueError(field=field, value=item, reason="must be non-empty strings")
    if unique and len(set(result)) != len(result):
        raise InvalidValueError(field=field, value=result, reason="lists an id twice")
    return result


def local_time(value: object, field: str) -> _dt.time:
    """A naive wall-clock time, from a ``time`` or an ``"HH:MM"`` string."""
    if isinstance(value, _dt.time) and value.tzinfo is None:
        return value
    if isinstance(value, str):
        try:
            return _dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidValueError(field=field, value=value, reason="must be a local time (HH:MM)")


def hours(value: object, field: str) -> tuple[_dt.time, _dt.time]:
    """A pair (start, end) of local times with ``end > start``."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise InvalidValueError(
            field=field, value=value, reason="must be a pair (start, end) of local times"
        )
    start, end = local_time(value[0], field), local_time(value[1], field)
    if end <= start:
        raise InvalidValueError(field=field, value=value, reason="end must be after start")
    return (start, end)


def mapping(value: object, field: str) -> Mapping[Any, Any]:
    """A mapping (``None`` and other types refused)."""
    if not isinstance(value, Mapping):
        raise InvalidValueError(field=field, value=value, reason="must be a mapping")
    return value


def number(
    value: object, field: str, *, minimum: float | None = None, strict: bool = False
) -> float:
    """A finite real number, optionally ``>= minimum`` (``> minimum`` if ``strict``)."""
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InvalidValueError(field=field, value=value, reason="must be a finite number")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        sign = ">" if strict else ">="
        raise InvalidValueError(field=field, value=value, reason=f"must be {sign} {minimum:g}")
    return float(value)


def timedelta(
    value: object, field: str, *, minimum: _dt.timedelta | None = None, strict: bool = False
) -> _dt.timedelta:
    """A ``timedelta``, optionally ``>= minimum`` (``> minimum`` if ``strict``)."""
    if not isinstance(value, _dt.timedelta):
        raise InvalidValueError(field=field, value=value, reason="must be a timedelta")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        sign = ">" if strict else ">="
        raise InvalidValueError(field=field, value=value, reason=f"must be {sign} {minimum}")
    return value
