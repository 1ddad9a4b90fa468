"""One exception tree for everything `mmso_core` refuses.

Exceptions are for bad *input* (a naive datetime, an unknown zone, a session that
ends before it starts, a programme that refers to people it does not have). A bad
*plan* (two sessions of one speaker at once) is not an exception: the rules return
a [`Report`][mmso_core.Report] for it.

Every error carries typed fields, builds its message from them, and pickles:

>>> import pickle
>>> from mmso_core import UnknownZoneError
>>> err = UnknownZoneError(zone="Europe/Samarra", field="zone")
>>> str(err)
"zone: unknown time zone 'Europe/Samarra' (use an IANA name such as 'Europe/Samara')"
>>> pickle.loads(pickle.dumps(err)).zone
'Europe/Samarra'
>>> isinstance(err, LookupError)
True
"""

import datetime as _dt
from collections.abc import Iterable
from typing import Any, ClassVar, final

__all__ = [
    "AmbiguousTimeError",
    "BroadcastError",
    "InvalidValueError",
    "MissingExtraError",
    "MmsoError",
    "MmsoWarning",
    "ModelError",
    "NaiveDatetimeError",
    "NonexistentTimeError",
    "PermissionDenied",
    "TzinfoMisuseError",
    "UnknownIdError",
    "UnknownRegionError",
    "UnknownZoneError",
]


def _rebuild(cls: type["MmsoError"], state: dict[str, Any]) -> "MmsoError":
    return cls(**state)


def _where(field: str | None) -> str:
    return f"{field}: " if field else ""


class MmsoError(Exception):
    """Base class of every error raised by `mmso_core`.

    Subclasses declare their typed fields in ``_fields``; the message is built from
    them by ``_render`` so that ``str(err)`` and the fields never disagree.
    """

    _fields: ClassVar[tuple[str, ...]] = ("message",)

    def __init__(self, message: str = "") -> None:
        self.message = message
        super().__init__(self._render())

    def _render(self) -> str:
        return self.message

    def __str__(self) -> str:
        return self._render()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), {name: getattr(self, name) for name in self._fields}))


class InvalidValueError(MmsoError, ValueError):
    """A field got a value it cannot hold (``ends_at <= starts_at``, an empty id, ...).

    Attributes:
        field: The field, as ``Class.field`` or a path such as ``sessions[3].ends_at``.
        value: The offending value.
        reason: What is wrong with it, in English.
    """

    _fields = ("field", "value", "reason")

    def __init__(self, *, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__()

    def _render(self) -> str:
        return f"{self.field}: {self.reason} (got {self.value!r})"


@final
class NaiveDatetimeError(MmsoError, ValueError):
    """A datetime without a time zone was given where an instant is needed.

    Attributes:
        value: The naive datetime.
        field: The field it was given for, if known.
    """

    _fields = ("value", "field")

    def __init__(self, *, value: _dt.datetime, field: str | None = None) -> None:
        self.value = value
        self.field = field
        super().__init__()

    def _render(self) -> str:
        return (
            f"{_where(self.field)}naive time {self.value.isoformat()!r} has no time zone; "
            "pass an aware datetime, an ISO 8601 string with an offset, or name the zone "
            "with at_local(wall, zone)"
        )


@final
class TzinfoMisuseError(MmsoError, ValueError):
    """A pytz zone was attached with ``tzinfo=`` (the "pytz trap": local mean time).

    Attributes:
        value: The wrongly built datetime.
        zone: The pytz zone's name.
        field: The field it was given for, if known.
    """

    _fields = ("value", "zone", "field")

    def __init__(self, *, value: _dt.datetime, zone: str, field: str | None = None) -> None:
        self.value = value
        self.zone = zone
        self.field = field
        super().__init__()

    def _render(self) -> str:
        offset = self.value.utcoffset()
        return (
            f"{_where(self.field)}{self.value.replace(tzinfo=None).isoformat()!r} carries pytz "
            f"zone {self.zone!r} attached with tzinfo=, which means its local mean time "
            f"(offset {offset}), not the zone's real offset; use "
            f"pytz.timezone({self.zone!r}).localize(naive) or at_local(naive, {self.zone!r})"
        )


class _WallTimeError(MmsoError, ValueError):
    """A wall time that does not name one instant in its zone (shared fields)."""

    _fields = ("wall", "zone", "field")

    def __init__(self, *, wall: _dt.datetime, zone: str, field: str | None = None) -> None:
        self.wall = wall
        self.zone = zone
        self.field = field
        super().__init__()


@final
class AmbiguousTimeError(_WallTimeError):
    """A wall time occurs twice in the zone (clocks were turned back).

    Attributes:
        wall: The naive wall time.
        zone: The zone's name.
        field: The field it was given for, if known.
    """

    def _render(self) -> str:
        return (
            f"{_where(self.field)}{self.wall.isoformat()!r} happens twice in {self.zone}; "
            "choose one with disambiguate='earlier' or 'later' (or 'compatible')"
        )


@final
class NonexistentTimeError(_WallTimeError):
    """A wall time is skipped in the zone (clocks were turned forward).

    Attributes:
        wall: The naive wall time.
        zone: The zone's name.
        field: The field it was given for, if known.
    """

    def _render(self) -> str:
        return (
            f"{_where(self.field)}{self.wall.isoformat()!r} does not exist in {self.zone} "
            "(the clocks skip it); choose a policy with disambiguate='compatible' or 'later' "
            "(move forward by the gap) or 'earlier' (move back by the gap)"
        )


@final
class UnknownZoneError(MmsoError, LookupError):
    """A time zone name is not in the tz database.

    Attributes:
        zone: The name that was looked up.
        field: The field it was given for, if known.
    """

    _fields = ("zone", "field")

    def __init__(self, *, zone: object, field: str | None = None) -> None:
        self.zone = zone
        self.field = field
        super().__init__()

    def _render(self) -> str:
        return (
            f"{_where(self.field)}unknown time zone {self.zone!r} "
            "(use an IANA name such as 'Europe/Samara')"
        )


@final
class UnknownRegionError(MmsoError, LookupError):
    """A region name or code is not one of Russia's federal subjects.

    Attributes:
        region: The name or code that was looked up.
        field: The field it was given for, if known.
    """

    _fields = ("region", "field")

    def __init__(self, *, region: str, field: str | None = None) -> None:
        self.region = region
        self.field = field
        super().__init__()

    def _render(self) -> str:
        return (
            f"{_where(self.field)}unknown region {self.region!r} "
            "(use an ISO 3166-2 code such as 'RU-SAM', a number such as '63', "
            "or a name such as 'Samara Oblast' / 'Самарская область')"
        )


@final
class UnknownIdError(MmsoError, LookupError):
    """An id looked up in an aggregate is not there.

    Attributes:
        kind: What was looked up: ``"session"``, ``"person"``, ``"channel"``...
        id: The id.
    """

    _fields = ("kind", "id")

    def __init__(self, *, kind: str, id: str) -> None:
        self.kind = kind
        self.id = id
        super().__init__()

    def _render(self) -> str:
        return f"unknown {self.kind} id {self.id!r}"


@final
class ModelError(MmsoError, ValueError):
    """An aggregate (a programme, an exhibition) is inconsistent.

    Raised once with *all* problems found, not the first one.

    Attributes:
        problems: One line per problem, each naming the path and the offending value.
    """

    _fields = ("problems",)

    def __init__(self, *, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__()

    def _render(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the model:"
        return "\n  ".join((head, *self.problems))


@final
class BroadcastError(MmsoError, ValueError):
    """An illegal broadcast command: it names the state it met and the rule it broke.

    Attributes:
        session: Id of the session.
        status: The broadcast's status when the command came.
        command: The command refused.
        rule: A stable code of the rule broken, e.g. ``"one-speaker-at-a-time"``.
        detail: What exactly was wrong, in English.
    """

    _fields = ("session", "status", "command", "rule", "detail")

    def __init__(self, *, session: str, status: str, command: str, rule: str, detail: str) -> None:
        self.session = session
        self.status = status
        self.command = command
        self.rule = rule
        self.detail = detail
        super().__init__()

    def _render(self) -> str:
        return (
            f"cannot {self.command} while {self.status}: {self.detail} "
            f"[rule {self.rule}, session {self.session}]"
        )


@final
class MissingExtraError(MmsoError, ImportError):
    """A feature needs an optional library that is not installed.

    Attributes:
        feature: What was asked for (``"regex rules"``, ``"mmso_core.io.ical"``).
        module: The module that could not be imported (``"re2"``).
        extra: The extra that installs it (``"re2"`` for ``mmso_core[re2]``).

    >>> str(MissingExtraError(feature="regex rules", module="re2", extra="re2"))
    "regex rules need the optional module 're2': pip install 'mmso_core[re2]'"
    """

    _fields = ("feature", "module", "extra")

    def __init__(self, *, feature: str, module: str, extra: str) -> None:
        self.feature = feature
        self.module = module
        self.extra = extra
        super().__init__()

    def _render(self) -> str:
        return (
            f"{self.feature} need the optional module {self.module!r}: "
            f"pip install 'mmso_core[{self.extra}]'"
        )


@final
class PermissionDenied(MmsoError, PermissionError):  # noqa: N818 - the issue's name
    """Someone tried an action their role does not allow (the attempt is logged).

    Attributes:
        actor: Id of who tried.
        role: Their role.
        action: What they tried (``"approve"``, ``"ban"``...).
        target: Id of the message or person acted on.
        reason: Why it is refused, in English.
    """

    _fields = ("actor", "role", "action", "target", "reason")

    def __init__(self, *, actor: str, role: str, action: str, target: str, reason: str) -> None:
        self.actor = actor
        self.role = role
        self.action = action
        self.target = target
        self.reason = reason
        super().__init__()

    def _render(self) -> str:
        return f"{self.actor} ({self.role}) may not {self.action} {self.target}: {self.reason}"


class MmsoWarning(UserWarning):
    """Base class of the warnings `mmso_core` emits."""
