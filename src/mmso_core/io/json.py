"""JSON documents of `mmso_core` values: the ``mmso/1`` format (install ``mmso_core[json]``).

[`dumps`][mmso_core.io.json.dumps] writes a programme, an exhibition, a broadcast,
a broadcast's event log or a chat log as one JSON document;
[`loads`][mmso_core.io.json.loads] reads it back into an equal value, or raises one
[`ModelError`][mmso_core.ModelError] listing every problem with its JSON path.
[`schema`][mmso_core.io.json.schema] gives the format's JSON Schema, generated from
the types. cattrs is imported only when a document is written or read.

>>> from mmso_core.io.json import dumps, loads
>>> from mmso_core.samples import mmso_2020
>>> programme = mmso_2020()
>>> text = dumps(programme)
>>> text[:49]
'{"format": "mmso/1", "kind": "programme", "salon"'
>>> loads(text, type(programme)) == programme
True
"""

import datetime as _dt
import enum
import functools
import json as _json
import math
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar, final

import attrs
import pendulum

from mmso_core._optional import require
from mmso_core._time import Instant, _split_suffix, in_zone, resolve_zone, to_instant
from mmso_core.errors import (
    BroadcastError,
    InvalidValueError,
    MmsoError,
    ModelError,
    UnknownZoneError,
)
from mmso_core.exhibition import Exhibition
from mmso_core.moderation import RULE_KINDS, ChatMessage, Policy, Rule
from mmso_core.schedule import Broadcast, BroadcastEvent, Programme

if TYPE_CHECKING:
    import cattrs

__all__ = ["FORMAT", "KINDS", "dumps", "loads", "schema"]

FORMAT: Final = "mmso/1"
"""The value of every document's ``"format"`` field."""

_T = TypeVar("_T")


# --- the registry of documents -------------------------------------------------------


@final
@attrs.frozen
class _Document:
    """One kind of document.

    ``cls`` is the value written; for a log (``items`` set) it is the type of the
    items, and the document holds them as a list under the key ``items``. ``zone``
    gives the zone a value's instants are written in (default UTC).
    """

    kind: str
    cls: type
    items: str | None = None
    zone: Callable[[Any], str] | None = None


def _programme_zone(programme: Programme) -> str:
    return programme.salon.zone


def _exhibition_zone(exhibition: Exhibition) -> str:
    return exhibition.zone


# To add a type: one line here (and a `_Leaf` below if it has fields of a type the
# format does not know yet: attrs classes, enums, tuples, frozensets, str-keyed
# dicts and the leaves below are known).
_DOCUMENTS: Final = (
    _Document("programme", Programme, zone=_programme_zone),
    _Document("exhibition", Exhibition, zone=_exhibition_zone),
    _Document("broadcast", Broadcast),
    _Document("broadcast-log", BroadcastEvent, items="events"),
    _Document("chat-log", ChatMessage, items="messages"),
    _Document("moderation-policy", Policy),
)

KINDS: Final = tuple(document.kind for document in _DOCUMENTS)
"""The values of a document's ``"kind"`` field."""


# --- leaves: the types with a JSON text of their own ----------------------------------


class _FieldError(ValueError):
    """A value at some path is wrong (the message says how; the walk adds the path)."""


def _shown(value: object) -> str:
    """A JSON value as it appears in the document, shortened."""
    text = _json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


_JSON_TYPES: Final = (
    (bool, "a boolean"),
    (int, "a number"),
    (float, "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)


def _json_type(value: object) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "a value")


def _expect(value: object, kind: type | tuple[type, ...], what: str) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
        got = "null" if value is None else f"{_json_type(value)} {_shown(value)}"
        raise _FieldError(f"expected {what}, got {got}")


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


_INSTANT_EXAMPLE: Final = '"2020-04-29T17:20:00+03:00[Europe/Moscow]"'
_INSTANT_PATTERN: Final = (
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
    r"([+-]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?|[Zz])\[[A-Za-z][A-Za-z0-9_+\-/]*\]$"
)


def _write_instant(value: Instant, zone: str) -> str:
    return f"{in_zone(value, zone).isoformat()}[{zone}]"


def _read_instant(value: object) -> Instant:
    _expect(value, str, f"an RFC 9557 date-time string such as {_INSTANT_EXAMPLE}")
    assert isinstance(value, str)
    raw, zone = _split_suffix(value.strip())
    try:
        parsed = _dt.datetime.fromisoformat(raw)
    except ValueError:
        raise _FieldError(
            f"not an RFC 9557 date-time {_shown(value)} (expected e.g. {_INSTANT_EXAMPLE})"
        ) from None
    if parsed.tzinfo is None:
        raise _FieldError(
            f"naive time {_shown(value)} (write its offset and zone, e.g. {_INSTANT_EXAMPLE})"
        )
    if zone is None:
        raise _FieldError(
            f"no zone in {_shown(value)} (add its IANA zone in brackets, e.g. {_INSTANT_EXAMPLE})"
        )
    _check_zone(zone)
    try:
        return to_instant(value)
    except InvalidValueError as error:
        raise _FieldError(f"{error.reason}: {_shown(value)}") from None


def _check_zone(name: str) -> None:
    if re.match(r"^[+-]\d", name):
        raise _FieldError(f"{_shown(name)} is an offset, not a zone (use an IANA id)")
    try:
        resolve_zone(name)  # a name resolves to an IANA zone or to nothing
    except UnknownZoneError:
        raise _FieldError(f"unknown time zone {_shown(name)} (use an IANA id)") from None


def _write_date(value: _dt.date, _zone: str) -> str:
    return value.isoformat()


_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _read_date(value: object) -> _dt.date:
    _expect(value, str, 'a date "YYYY-MM-DD"')
    assert isinstance(value, str)
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise _FieldError(f'not a date "YYYY-MM-DD": {_shown(value)}') from None


_TIME_PATTERN: Final = r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"


def _write_time(value: _dt.time, _zone: str) -> str:
    if value.second or value.microsecond:
        return value.isoformat()
    return value.isoformat(timespec="minutes")


def _read_time(value: object) -> _dt.time:
    _expect(value, str, 'a local time "HH:MM"')
    assert isinstance(value, str)
    try:
        if not re.match(_TIME_PATTERN, value):
            raise ValueError(value)
        return _dt.time.fromisoformat(value)
    except ValueError:
        raise _FieldError(f'not a local time "HH:MM[:SS]": {_shown(value)}') from None


_DURATION_PATTERN: Final = (
    r"^-?P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,6})?S)?)?$"  # ISO 8601, days at most
)
_DURATION: Final = re.compile(
    r"^(?P<sign>-?)P(?!$)(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+)(?:\.(?P<fraction>\d{1,6}))?S)?)?$"
)


def _write_duration(value: _dt.timedelta, _zone: str) -> str:
    sign = "-" if value < _dt.timedelta(0) else ""
    value = abs(value)
    minutes, seconds = divmod(value.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    clock = "".join(f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M")) if amount)
    if seconds or value.microseconds:
        fraction = f".{value.microseconds:06d}".rstrip("0") if value.microseconds else ""
        clock += f"{seconds}{fraction}S"
    days = f"{value.days}D" if value.days else ""
    if not days and not clock:
        clock = "0S"
    return f"{sign}P{days}{'T' + clock if clock else ''}"


def _read_duration(value: object) -> _dt.timedelta:
    _expect(value, str, 'an ISO 8601 duration such as "PT15M"')
    assert isinstance(value, str)
    match = _DURATION.match(value)
    if match is None:
        raise _FieldError(f'not an ISO 8601 duration such as "PT15M": {_shown(value)}')
    parts = match.groupdict()
    duration = _dt.timedelta(
        days=int(parts["days"] or 0),
        hours=int(parts["hours"] or 0),
        minutes=int(parts["minutes"] or 0),
        seconds=int(parts["seconds"] or 0),
        microseconds=int((parts["fraction"] or "0").ljust(6, "0")),
    )
    return -duration if parts["sign"] else duration


def _same(value: Any, _zone: str) -> Any:
    return value


def _read_str(value: object) -> str:
    _expect(value, str, "a string")
    return value  # type: ignore[return-value] # checked above


def _read_int(value: object) -> int:
    _expect(value, int, "an integer")
    return value  # type: ignore[return-value] # checked above


def _read_float(value: object) -> float:
    _expect(value, (int, float), "a number")
    assert isinstance(value, int | float)
    if not math.isfinite(value):  # pragma: no cover - json.loads(parse_constant) refuses
        raise _FieldError(f"expected a finite number, got {value!r}")
    return float(value)


def _read_bool(value: object) -> bool:
    _expect(value, bool, "true or false")
    return value  # type: ignore[return-value] # checked above


def _write_rule(rule: Rule, _zone: str) -> dict[str, Any]:
    return rule.to_dict()


def _read_rule(value: object) -> Rule:
    _expect(value, dict, "a rule (an object with id and kind)")
    try:
        return Rule.from_dict(value)  # type: ignore[arg-type] # checked above
    except ModelError as error:
        raise _FieldError("; ".join(error.problems)) from None


@final
@attrs.frozen
class _Leaf:
    """A type written as one JSON value: how to write it, read it, and its schema."""

    type: type
    write: Callable[[Any, str], Any]
    read: Callable[[object], Any]
    schema: Mapping[str, Any]


_LEAVES: Final = (
    _Leaf(
        pendulum.DateTime,
        _write_instant,
        _read_instant,
        {
            "type": "string",
            "pattern": _INSTANT_PATTERN,
            "description": "An instant as RFC 9557 text: the local time, its offset and the "
            "IANA zone, e.g. 2020-04-29T17:20:00+03:00[Europe/Moscow]; the offset must be "
            "the zone's at that instant.",
        },
    ),
    _Leaf(_dt.date, _write_date, _read_date, {"type": "string", "format": "date"}),
    _Leaf(
        _dt.time,
        _write_time,
        _read_time,
        {"type": "string", "pattern": _TIME_PATTERN, "description": "A local time HH:MM."},
    ),
    _Leaf(
        _dt.timedelta,
        _write_duration,
        _read_duration,
        {
            "type": "string",
            "pattern": _DURATION_PATTERN,
            "description": "An ISO 8601 duration in days, hours, minutes and seconds, e.g. PT15M.",
        },
    ),
    _Leaf(
        Rule,
        _write_rule,
        _read_rule,
        {
            "type": "object",
            "description": "A moderation rule: its id, its kind and the kind's fields, as "
            "in the policy reference (durations in seconds there).",
            "required": ["id", "kind"],
            "properties": {"id": {"type": "string"}, "kind": {"enum": list(RULE_KINDS)}},
        },
    ),
    _Leaf(str, _same, _read_str, {"type": "string"}),
    _Leaf(bool, _same, _read_bool, {"type": "boolean"}),
    _Leaf(int, _same, _read_int, {"type": "integer"}),
    _Leaf(float, _same, _read_float, {"type": "number"}),
)


# --- the converter ---------------------------------------------------------------------


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


def _is_homogeneous(kind: Any) -> bool:
    """``tuple[X, ...]``, ``frozenset[X]``, ``set[X]`` or ``list[X]``."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return origin in (frozenset, set, list)


def _is_sequence(kind: Any) -> bool:
    """A homogeneous collection, or a fixed tuple such as ``tuple[time, time]``."""
    return _is_homogeneous(kind) or typing.get_origin(kind) is tuple


def _is_mapping(kind: Any) -> bool:
    return typing.get_origin(kind) in (dict, Mapping) and len(typing.get_args(kind)) == 2


def _item_types(kind: Any, count: int) -> tuple[Any, ...]:
    """The type of each of ``count`` items of a sequence type."""
    args = typing.get_args(kind)
    return (args[0],) * count if _is_homogeneous(kind) else args


_FEATURE: Final = "JSON documents (mmso_core.io.json)"


@functools.lru_cache(maxsize=32)
def _converter(zone: str) -> "cattrs.Converter":
    """The converter writing instants in ``zone`` (built once per zone)."""
    cattrs_module = require("cattrs", extra="json", feature=_FEATURE)
    converter: cattrs.Converter = cattrs_module.Converter(
        detailed_validation=True, forbid_extra_keys=True
    )
    for leaf in _LEAVES:  # a StrEnum dispatches here as a str: the hooks see it
        converter.register_unstructure_hook(
            leaf.type, functools.partial(_apply_write, leaf.write, zone)
        )
        converter.register_structure_hook(leaf.type, functools.partial(_apply_read, leaf.read))
    converter.register_unstructure_hook_factory(_is_enum, lambda _: _enum_value)
    converter.register_structure_hook_factory(_is_enum, lambda _: _read_enum)
    hooks = _Hooks(converter)
    converter.register_structure_hook_func(_is_sequence, hooks.read_sequence)
    converter.register_unstructure_hook_factory(_is_sequence, hooks.sequence_writer)
    converter.register_structure_hook_func(_is_mapping, hooks.read_mapping)
    converter.register_unstructure_hook_factory(_is_mapping, hooks.mapping_writer)
    converter.register_structure_hook_factory(attrs.has, hooks.attrs_reader)
    return converter


class _Hooks:
    """The converter's hooks for collections and attrs classes.

    Collections are read item by item, and every failing item is kept with a note
    of where it is (as cattrs does), so the walk in `_problems` finds all of them.
    """

    def __init__(self, converter: "cattrs.Converter") -> None:
        self.converter = converter
        self.errors = require("cattrs.errors", extra="json", feature=_FEATURE)
        self.gen = require("cattrs.gen", extra="json", feature=_FEATURE)

    def read_sequence(self, value: object, kind: Any) -> Any:
        _expect(value, list, "an array")
        assert isinstance(value, list)
        types_ = _item_types(kind, len(value))
        if len(types_) != len(value):
            raise _FieldError(f"expected {len(types_)} values, got {len(value)}")
        found, failures = [], []
        for index, (element, item) in enumerate(zip(value, types_, strict=True)):
            try:
                found.append(self.converter.structure(element, item))
            except Exception as failure:
                note = self.errors.IterableValidationNote(f"@ index {index}", index, item)
                failures.append(_noted(failure, note))
        if failures:
            raise self.errors.IterableValidationError(f"While structuring {kind}", failures, kind)
        origin = typing.get_origin(kind)
        if origin in (frozenset, set) and len(set(found)) != len(found):
            raise _FieldError("lists a value twice")
        return origin(found)

    def sequence_writer(self, kind: Any) -> Callable[[Any], list[Any]]:
        unstructure, sort = self.converter.unstructure, typing.get_origin(kind) in (frozenset, set)

        def write(value: Any) -> list[Any]:
            types_ = _item_types(kind, len(value))
            written = [unstructure(e, t) for e, t in zip(value, types_, strict=True)]
            if sort:  # a set in a stable order
                written.sort(key=lambda element: _json.dumps(element, sort_keys=True))
            return written

        return write

    def read_mapping(self, value: object, kind: Any) -> dict[Any, Any]:
        _expect(value, dict, "an object")
        assert isinstance(value, dict)
        keys, values = typing.get_args(kind)
        found, failures = {}, []
        for key, element in value.items():
            try:
                found[self.converter.structure(key, keys)] = self.converter.structure(
                    element, values
                )
            except Exception as failure:
                note = self.errors.AttributeValidationNote(f"@ key {key}", key, values)
                failures.append(_noted(failure, note))
        if failures:
            raise self.errors.ClassValidationError(f"While structuring {kind}", failures, kind)
        return found

    def mapping_writer(self, kind: Any) -> Callable[[Any], dict[Any, Any]]:
        unstructure = self.converter.unstructure
        keys, values = typing.get_args(kind)

        def write(value: Any) -> dict[Any, Any]:
            return {unstructure(k, keys): unstructure(v, values) for k, v in value.items()}

        return write

    def attrs_reader(self, kind: type) -> Callable[[object, Any], Any]:
        generated = self.gen.make_dict_structure_fn(kind, self.converter)

        def read(value: object, _: Any) -> Any:
            _expect(value, dict, f"an object ({kind.__name__})")
            return generated(value, kind)

        return read


def _noted(failure: Exception, note: str) -> Exception:
    failure.__notes__ = [*getattr(failure, "__notes__", []), note]
    return failure


def _apply_write(write: Callable[[Any, str], Any], zone: str, value: Any) -> Any:
    return _enum_value(value) if isinstance(value, enum.Enum) else write(value, zone)


def _apply_read(read: Callable[[object], Any], value: object, kind: Any) -> Any:
    return _read_enum(value, kind) if _is_enum(kind) else read(value)


def _read_enum(value: object, kind: type[enum.Enum]) -> Any:
    allowed = [member.value for member in kind]
    if value not in allowed or isinstance(value, bool):
        listed = ", ".join(_shown(v) for v in allowed)
        raise _FieldError(f"{_shown(value)} is not a value of {kind.__name__} (one of {listed})")
    return kind(value)


def _enum_value(member: enum.Enum) -> Any:
    return member.value


# --- problems: the walk over cattrs' errors --------------------------------------------


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _problems(error: BaseException, path: str, kind: Any) -> list[str]:
    """Every problem inside ``error`` (raised while reading a ``kind`` at ``path``)."""
    errors = require("cattrs.errors", extra="json", feature=_FEATURE)
    if isinstance(error, errors.ClassValidationError | errors.IterableValidationError):
        found: list[str] = []
        noted, bare = error.group_exceptions()
        for inner, note in noted:
            if isinstance(note, errors.IterableValidationNote):
                found += _problems(inner, f"{path}[{note.index}]", note.type)
            else:
                found += _problems(inner, _join(path, note.name), note.type)
        for inner in bare:
            found += _problems(inner, path, error.cl)
        return found
    if isinstance(error, errors.ForbiddenExtraKeysError):
        known = ", ".join(sorted(field.name for field in attrs.fields(error.cl) if field.init))
        return [
            f"{_join(path, key)}: unknown field (a {error.cl.__name__} has {known})"
            for key in sorted(error.extra_fields)
        ]
    if isinstance(error, ModelError):
        return [f"{path}: {problem}" if path else problem for problem in error.problems]
    return [_problem(error, path, kind)]


def _problem(error: BaseException, path: str, kind: Any) -> str:
    """One problem that is not a group of problems."""
    if isinstance(error, KeyError):
        return f"{path}: is missing"
    if isinstance(error, _FieldError):
        return f"{path}: {error}" if path else str(error)
    if isinstance(error, BroadcastError):  # the log does not replay
        return f"{_join(path, 'log')}: {error}"
    if isinstance(error, MmsoError):
        return _placed(error, path, kind)
    return f"{path}: {error}" if path else str(error)  # pragma: no cover - a last resort


def _placed(error: MmsoError, path: str, kind: Any) -> str:
    """An error a constructor raised, at the path of the field it names."""
    text = str(error)
    field = getattr(error, "field", None)
    kinds = [k for k in (kind, *typing.get_args(kind)) if isinstance(k, type)]
    if isinstance(field, str):
        for candidate in kinds:
            prefix = f"{candidate.__name__}."
            if field.startswith(prefix):
                text = text.removeprefix(f"{field}: ")
                return f"{_join(path, field.removeprefix(prefix))}: {text}"
    return f"{path}: {text}" if path else text


# --- the public functions --------------------------------------------------------------


def _document_of(value: object, cls: Any) -> _Document:
    """The kind of document ``value`` is written as (``cls`` names an empty log's type)."""
    if cls is not None:
        document = _document_for(cls, None)
        fits = (
            isinstance(value, document.cls)
            if document.items is None
            else isinstance(value, list | tuple) and all(isinstance(v, document.cls) for v in value)
        )
        if not fits:
            raise InvalidValueError(
                field="obj",
                value=type(value).__name__,
                reason=f"cannot be written as {_type_name(cls)}",
            )
        return document
    for document in _DOCUMENTS:
        if document.items is None and isinstance(value, document.cls):
            return document
    if isinstance(value, list | tuple):
        kinds = {type(item) for item in value}
        for document in _DOCUMENTS:
            if document.items is not None and kinds == {document.cls}:
                return document
        if not value:
            raise InvalidValueError(
                field="cls",
                value=value,
                reason="an empty log does not say what it logs: name its type, e.g. "
                "cls=tuple[ChatMessage, ...]",
            )
    raise InvalidValueError(
        field="obj",
        value=type(value).__name__,
        reason="cannot be written as an mmso/1 document (documents are "
        + ", ".join(f"{d.cls.__name__} logs" if d.items else d.cls.__name__ for d in _DOCUMENTS)
        + ")",
    )


def _type_name(cls: Any) -> str:
    return cls.__name__ if isinstance(cls, type) and not typing.get_args(cls) else str(cls)


def _document_for(cls: Any, kind: object) -> _Document:
    """The document read as ``cls``; a bare ``tuple`` or ``list`` takes any log's ``kind``."""
    origin, args = typing.get_origin(cls), typing.get_args(cls)
    for document in _DOCUMENTS:
        if document.items is None and cls is document.cls:
            return document
        if document.items is not None:
            if origin in (tuple, list) and args and args[0] is document.cls:
                return document
            if cls in (tuple, list) and kind == document.kind:
                return document
    if cls in (tuple, list):
        logs = [d.kind for d in _DOCUMENTS if d.items is not None]
        raise ModelError(problems=[f"kind: {_shown(kind)} is not a log ({', '.join(logs)})"])
    raise InvalidValueError(
        field="cls",
        value=cls,
        reason="is not a type of mmso/1 documents (use "
        + ", ".join(
            f"tuple[{d.cls.__name__}, ...]" if d.items else d.cls.__name__ for d in _DOCUMENTS
        )
        + ")",
    )


def dumps(
    obj: object, *, cls: Any = None, zone: str | None = None, indent: int | None = None
) -> str:
    """Write a value as an ``mmso/1`` JSON document.

    Args:
        obj: A ``Programme``, an ``Exhibition``, a ``Broadcast``, or a log: a sequence
            of ``BroadcastEvent`` or of ``ChatMessage``.
        cls: The type to write ``obj`` as; needed only for an empty log
            (``tuple[ChatMessage, ...]``).
        zone: The IANA zone instants are written in: by default the salon's zone for
            a programme, the exhibition's zone for an exhibition, UTC for the rest.
            Any zone gives the same instants back.
        indent: Indent the JSON by this many spaces (``None``: one line).

    Returns:
        The JSON text, with ``"format": "mmso/1"`` and ``"kind"`` first.

    Raises:
        InvalidValueError: ``obj`` is not a type the format knows.
        UnknownZoneError: ``zone`` is not an IANA zone.
        MissingExtraError: cattrs is not installed (``mmso_core[json]``).

    >>> from mmso_core.samples import samara_broadcast
    >>> print(dumps(samara_broadcast().log[:1], zone="Europe/Samara", indent=1))
    {
     "format": "mmso/1",
     "kind": "broadcast-log",
     "events": [
      {
       "command": "go_live",
       "at": "2020-04-29T18:20:00+04:00[Europe/Samara]",
       "by": "p0008",
       "speaker": null
      }
     ]
    }
    """
    document = _document_of(obj, cls)
    if zone is None:
        zone = document.zone(obj) if document.zone is not None and document.items is None else "UTC"
    try:
        _check_zone(zone)
    except _FieldError as problem:
        raise UnknownZoneError(zone=zone, field="zone") from problem
    converter = _converter(zone)
    head: dict[str, Any] = {"format": FORMAT, "kind": document.kind}
    if document.items is not None:
        body = {document.items: converter.unstructure(obj, tuple[document.cls, ...])}  # type: ignore[name-defined] # a runtime type
    else:
        body = converter.unstructure(obj, document.cls)
    return _json.dumps({**head, **body}, ensure_ascii=False, indent=indent, allow_nan=False)


def loads(text: str | bytes, cls: type[_T]) -> _T:
    """Read an ``mmso/1`` JSON document as a value of ``cls``.

    Args:
        text: The JSON text.
        cls: ``Programme``, ``Exhibition``, ``Broadcast``, ``tuple[BroadcastEvent, ...]``
            or ``tuple[ChatMessage, ...]`` (``list[...]`` gives a list); a bare
            ``tuple`` or ``list`` reads whichever log the document holds.

    Returns:
        The value, equal to the one written.

    Raises:
        ModelError: With every problem found, each as ``path: problem``, e.g.
            ``sessions[17].starts_at: naive time "2020-04-29T17:20" ...``.
        InvalidValueError: ``cls`` is not a type the format knows.
        MissingExtraError: cattrs is not installed (``mmso_core[json]``).

    >>> loads('{"format": "mmso/1", "kind": "chat-log", "messages": [1]}', tuple)
    Traceback (most recent call last):
    ...
    mmso_core.errors.ModelError: 1 problem in the model:
      messages[0]: expected an object (ChatMessage), got a number 1
    """
    try:
        data = _json.loads(text, parse_constant=_no_constant)
    except (ValueError, _FieldError) as error:
        raise ModelError(problems=[f"not JSON: {error}"]) from None
    except RecursionError:
        raise ModelError(problems=["not JSON we read: nested too deeply"]) from None
    if not isinstance(data, dict):
        raise ModelError(problems=[f"expected a JSON object, got {_json_type(data)}"])
    fmt, kind = data.pop("format", None), data.pop("kind", None)
    if fmt != FORMAT:
        reason = "is missing" if fmt is None else f"expected {_shown(FORMAT)}, got {_shown(fmt)}"
        raise ModelError(problems=[f"format: {reason}"])
    document = _document_for(cls, kind)
    if kind != document.kind:
        raise ModelError(problems=[f"kind: expected {_shown(document.kind)}, got {_shown(kind)}"])
    converter = _converter("UTC")
    target: Any = document.cls
    path = ""
    if document.items is not None:
        extra = sorted(set(data) - {document.items})
        if extra or document.items not in data:
            problems = [f"{key}: unknown field" for key in extra]
            if document.items not in data:
                problems.append(f"{document.items}: is missing")
            raise ModelError(problems=problems)
        data = data[document.items]
        path = document.items
        target = tuple[document.cls, ...]  # type: ignore[name-defined] # a runtime type
    try:
        value = converter.structure(data, target)
    except Exception as error:
        raise ModelError(problems=_problems(error, path, target)) from None
    if document.items is not None and (cls is list or typing.get_origin(cls) is list):
        value = list(value)
    return value  # type: ignore[no-any-return] # the document's type is cls


def _no_constant(name: str) -> None:
    raise _FieldError(f"{name} is not a JSON number")


# --- the schema ------------------------------------------------------------------------


def schema(cls: Any = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``mmso/1`` documents, generated from the types.

    Args:
        cls: One document type (as for [`loads`][mmso_core.io.json.loads]); ``None``
            gives the schema of every kind of document.

    Returns:
        The schema, a JSON-ready ``dict``.

    >>> from mmso_core.schedule import Programme
    >>> document = schema(Programme)
    >>> document.get("properties").get("kind"), tuple(document.get("required"))
    ({'const': 'programme'}, ('format', 'kind', 'salon', 'people', 'channels', 'sessions'))
    >>> "Session" in document.get("$defs")
    True
    """
    names: dict[Any, str] = {}
    defs: dict[str, Any] = {}
    documents = _DOCUMENTS if cls is None else (_document_for(cls, None),)
    shapes = {d.kind: _document_schema(d, names, defs) for d in documents}
    head: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"mmso_core {FORMAT} document",
    }
    if cls is not None:
        (shape,) = shapes.values()
        return {**head, **shape, "$defs": dict(sorted(defs.items()))}
    return {
        **head,
        "oneOf": [{"$ref": f"#/$defs/{kind}"} for kind in shapes],
        "$defs": dict(sorted({**defs, **shapes}.items())),
    }


def _document_schema(
    document: _Document, names: dict[Any, str], defs: dict[str, Any]
) -> dict[str, Any]:
    head = {"format": {"const": FORMAT}, "kind": {"const": document.kind}}
    if document.items is not None:
        items = _type_schema(tuple[document.cls, ...], names, defs)  # type: ignore[name-defined] # a runtime type
        return {
            "description": f"A log: a list of {document.cls.__name__}.",
            "type": "object",
            "properties": {**head, document.items: items},
            "required": ["format", "kind", document.items],
            "additionalProperties": False,
        }
    shape = _class_schema(document.cls, names, defs)
    return {
        **shape,
        "properties": {**head, **shape["properties"]},
        "required": ["format", "kind", *shape["required"]],
    }


def _type_schema(kind: Any, names: dict[Any, str], defs: dict[str, Any]) -> dict[str, Any]:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        options = [_type_schema(arg, names, defs) for arg in args if arg is not type(None)]
        if type(None) in args:
            options.append({"type": "null"})
        return options[0] if len(options) == 1 else {"anyOf": options}
    if _is_homogeneous(kind):
        shape = {"type": "array", "items": _type_schema(args[0], names, defs)}
        return {**shape, "uniqueItems": True} if origin in (frozenset, set) else shape
    if origin is tuple:
        return {
            "type": "array",
            "prefixItems": [_type_schema(arg, names, defs) for arg in args],
            "minItems": len(args),
            "maxItems": len(args),
        }
    if origin is dict and args and args[0] is str:
        return {"type": "object", "additionalProperties": _type_schema(args[1], names, defs)}
    return _named_schema(kind, names, defs)


def _named_schema(kind: Any, names: dict[Any, str], defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of a leaf, an enum or an attrs class (the last two in ``$defs``)."""
    for leaf in _LEAVES:
        if kind is leaf.type:
            if kind is pendulum.DateTime:
                defs.setdefault("Instant", dict(leaf.schema))
                return {"$ref": "#/$defs/Instant"}
            return dict(leaf.schema)
    if _is_enum(kind) or attrs.has(kind):
        name = _def_name(kind, names)
        if name not in defs:
            defs[name] = {}  # taken before the walk, for recursive types
            if attrs.has(kind):
                defs[name] = _class_schema(kind, names, defs)
            else:
                defs[name] = {
                    "description": _summary(kind),
                    "enum": [member.value for member in kind],
                }
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"mmso/1 has no JSON form for {kind!r}; add a _Leaf for it")


def _def_name(kind: type, names: dict[Any, str]) -> str:
    if kind not in names:
        name = kind.__name__
        if name in names.values():  # two types of one name: qualify by their package
            name = f"{kind.__module__.split('.')[1]}.{name}"
        names[kind] = name
    return names[kind]


def _summary(kind: type) -> str:
    return (kind.__doc__ or kind.__name__).strip().splitlines()[0]


def _class_schema(kind: type, names: dict[Any, str], defs: dict[str, Any]) -> dict[str, Any]:
    fields = [field for field in attrs.fields(attrs.resolve_types(kind)) if field.init]
    return {
        "description": _summary(kind),
        "type": "object",
        "properties": {field.name: _type_schema(field.type, names, defs) for field in fields},
        "required": [field.name for field in fields if field.default is attrs.NOTHING],
        "additionalProperties": False,
    }
