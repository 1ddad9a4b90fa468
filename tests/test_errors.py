"""Tests of the exception tree (`mmso_core.errors`): bases, fields, messages, pickling."""

import copy
import datetime as dt
import pickle
import warnings
import zoneinfo

import pytest
import pytz

import mmso_core
from mmso_core import errors
from mmso_core._optional import require
from mmso_core.errors import (
    AmbiguousTimeError,
    BroadcastError,
    InvalidValueError,
    MissingExtraError,
    MmsoError,
    MmsoWarning,
    ModelError,
    NaiveDatetimeError,
    NonexistentTimeError,
    PermissionDenied,
    TzinfoMisuseError,
    UnknownIdError,
    UnknownRegionError,
    UnknownZoneError,
)

WALL = dt.datetime(2026, 10, 25, 2, 30)  # noqa: DTZ001 - a naive wall time on purpose
TRAP = dt.datetime(2020, 4, 29, 17, 20, tzinfo=pytz.timezone("Europe/Moscow"))

# One example of every error, with every field set, and what its message must mention.
EXAMPLES: list[tuple[MmsoError, list[str]]] = [
    (MmsoError("something went wrong"), ["something went wrong"]),
    (
        BroadcastError(
            session="s1",
            status="live",
            command="bring_on_air",
            rule="lineup-only",
            detail="'p9' is not in the session's lineup",
        ),
        ["cannot bring_on_air while live", "'p9'", "rule lineup-only", "session s1"],
    ),
    (
        InvalidValueError(field="Session.ends_at", value=42, reason="must be after starts_at"),
        ["Session.ends_at", "42", "must be after starts_at"],
    ),
    (
        NaiveDatetimeError(value=WALL, field="Session.starts_at"),
        ["Session.starts_at", "2026-10-25T02:30:00", "no time zone"],
    ),
    (NaiveDatetimeError(value=WALL), ["2026-10-25T02:30:00", "no time zone"]),
    (
        TzinfoMisuseError(value=TRAP, zone="Europe/Moscow", field="Session.starts_at"),
        ["Session.starts_at", "2020-04-29T17:20:00", "Europe/Moscow", "localize", "at_local"],
    ),
    (TzinfoMisuseError(value=TRAP, zone="Europe/Moscow"), ["Europe/Moscow", "localize"]),
    (
        AmbiguousTimeError(wall=WALL, zone="Europe/Berlin", field="Session.starts_at"),
        ["Session.starts_at", "2026-10-25T02:30:00", "Europe/Berlin", "twice"],
    ),
    (AmbiguousTimeError(wall=WALL, zone="Europe/Berlin"), ["2026-10-25T02:30:00", "twice"]),
    (
        NonexistentTimeError(wall=WALL, zone="Europe/Berlin", field="Session.starts_at"),
        ["Session.starts_at", "2026-10-25T02:30:00", "Europe/Berlin", "does not exist"],
    ),
    (NonexistentTimeError(wall=WALL, zone="Europe/Berlin"), ["Europe/Berlin", "does not exist"]),
    (
        UnknownZoneError(zone="Europe/Samarra", field="Salon.zone"),
        ["Salon.zone", "'Europe/Samarra'", "unknown time zone"],
    ),
    (UnknownZoneError(zone=42), ["42", "unknown time zone"]),
    (
        UnknownRegionError(region="Атлантида", field="Person.region"),
        ["Person.region", "'Атлантида'", "unknown region"],
    ),
    (UnknownRegionError(region="RU-XXX"), ["'RU-XXX'", "unknown region"]),
    (UnknownIdError(kind="session", id="s-42"), ["session", "'s-42'"]),
    (
        ModelError(problems=["sessions[0].speaker: unknown person 'p9'"]),
        ["1 problem in the model", "sessions[0].speaker: unknown person 'p9'"],
    ),
    (
        MissingExtraError(feature="regex rules", module="re2", extra="re2"),
        ["regex rules", "'re2'", "mmso_core[re2]"],
    ),
    (
        PermissionDenied(
            actor="v1", role="visitor", action="approve", target="m7", reason="not a moderator"
        ),
        ["v1", "visitor", "approve", "m7", "not a moderator"],
    ),
]
IDS = [f"{type(err).__name__}-{index}" for index, (err, _) in enumerate(EXAMPLES)]

# Every error class and the builtin it must also be.
BASES: list[tuple[type[MmsoError], type[Exception]]] = [
    (InvalidValueError, ValueError),
    (NaiveDatetimeError, ValueError),
    (TzinfoMisuseError, ValueError),
    (AmbiguousTimeError, ValueError),
    (NonexistentTimeError, ValueError),
    (ModelError, ValueError),
    (UnknownZoneError, LookupError),
    (UnknownRegionError, LookupError),
    (UnknownIdError, LookupError),
    (BroadcastError, ValueError),
    (MissingExtraError, ImportError),
    (PermissionDenied, PermissionError),
]


def fields(err: MmsoError) -> dict[str, object]:
    return {name: getattr(err, name) for name in type(err)._fields}


def test_every_error_class_is_listed() -> None:
    classes = {
        obj
        for obj in vars(errors).values()
        if isinstance(obj, type)
        and issubclass(obj, MmsoError)
        and obj is not MmsoError
        and not obj.__name__.startswith("_")  # private bases share fields only
    }
    assert classes == {cls for cls, _ in BASES}
    assert {type(err) for err, _ in EXAMPLES} == {*classes, MmsoError}
    assert sorted(errors.__all__) == errors.__all__
    assert set(errors.__all__) == {cls.__name__ for cls in classes} | {"MmsoError", "MmsoWarning"}


@pytest.mark.parametrize(("cls", "base"), BASES, ids=[cls.__name__ for cls, _ in BASES])
def test_error_bases(cls: type[MmsoError], base: type[Exception]) -> None:
    assert issubclass(cls, MmsoError)
    assert issubclass(cls, base)
    assert issubclass(cls, Exception)
    # Bad values are not lookups and unknown references are not bad values.
    other = LookupError if base is ValueError else ValueError
    assert not issubclass(cls, other)


def test_require_names_the_extra() -> None:
    with pytest.raises(MissingExtraError, match=r"mmso_core\[nope\]") as caught:
        require("mmso_core_no_such_module", extra="nope", feature="tests")
    assert caught.value.module == "mmso_core_no_such_module"
    assert isinstance(caught.value.__cause__, ImportError)


@pytest.mark.parametrize(("err", "mentions"), EXAMPLES, ids=IDS)
def test_message_names_the_fields(err: MmsoError, mentions: list[str]) -> None:
    text = str(err)
    for part in mentions:
        assert part in text
    assert err.args == (text,)
    field = getattr(err, "field", None)
    if field is not None:
        assert text.startswith(f"{field}: ")
    else:
        assert not text.startswith("None")


@pytest.mark.parametrize(("err", "mentions"), EXAMPLES, ids=IDS)
def test_errors_pickle_with_their_fields(err: MmsoError, mentions: list[str]) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(err, protocol=protocol))
        assert type(again) is type(err)
        assert fields(again) == fields(err)
        assert str(again) == str(err)
        assert again.args == err.args
    assert str(copy.copy(err)) == str(err)
    assert fields(copy.deepcopy(err)) == fields(err)


@pytest.mark.parametrize(("err", "mentions"), EXAMPLES, ids=IDS)
def test_errors_are_raised_and_caught_as_mmso_errors(err: MmsoError, mentions: list[str]) -> None:
    with pytest.raises(MmsoError) as info:
        raise err
    assert info.value is err
    assert mentions[0] in str(info.value)


def test_str_is_built_from_the_fields() -> None:
    err = InvalidValueError(field="Session.ends_at", value="2020-04-29T17:00Z", reason="too early")
    assert str(err) == "Session.ends_at: too early (got '2020-04-29T17:00Z')"
    assert err.field == "Session.ends_at"
    assert err.value == "2020-04-29T17:00Z"
    assert err.reason == "too early"
    assert repr(err).startswith("InvalidValueError(")


def test_naive_datetime_error_message() -> None:
    err = NaiveDatetimeError(value=WALL, field="Session.starts_at")
    assert str(err) == (
        "Session.starts_at: naive time '2026-10-25T02:30:00' has no time zone; pass an aware "
        "datetime, an ISO 8601 string with an offset, or name the zone with at_local(wall, zone)"
    )
    assert str(NaiveDatetimeError(value=WALL)).startswith("naive time '2026-10-25T02:30:00'")


def test_tzinfo_misuse_error_message_says_what_to_do() -> None:
    err = TzinfoMisuseError(value=TRAP, zone="Europe/Moscow")
    text = str(err)
    assert text.startswith("'2020-04-29T17:20:00' carries pytz zone 'Europe/Moscow'")
    assert "local mean time (offset 2:30:00)" in text
    assert "pytz.timezone('Europe/Moscow').localize(naive)" in text
    assert "at_local(naive, 'Europe/Moscow')" in text
    assert err.value is TRAP


def test_ambiguous_and_nonexistent_messages_name_the_policies() -> None:
    ambiguous = str(AmbiguousTimeError(wall=WALL, zone="Europe/Berlin"))
    assert ambiguous == (
        "'2026-10-25T02:30:00' happens twice in Europe/Berlin; choose one with "
        "disambiguate='earlier' or 'later' (or 'compatible')"
    )
    gap = dt.datetime(2026, 3, 29, 2, 30)  # noqa: DTZ001 - a naive wall time on purpose
    nonexistent = str(NonexistentTimeError(wall=gap, zone="Europe/Berlin", field="starts_at"))
    assert nonexistent.startswith(
        "starts_at: '2026-03-29T02:30:00' does not exist in Europe/Berlin (the clocks skip it)"
    )
    for policy in ("'compatible'", "'later'", "'earlier'"):
        assert policy in nonexistent


def test_unknown_zone_error_message() -> None:
    err = UnknownZoneError(zone="Europe/Samarra", field="zone")
    assert str(err) == (
        "zone: unknown time zone 'Europe/Samarra' (use an IANA name such as 'Europe/Samara')"
    )
    assert str(UnknownZoneError(zone=None)).startswith("unknown time zone None")


def test_unknown_region_error_message() -> None:
    err = UnknownRegionError(region="Samarra")
    assert str(err).startswith("unknown region 'Samarra' (use an ISO 3166-2 code")
    assert "RU-SAM" in str(err)
    assert "Самарская область" in str(err)


def test_unknown_id_error() -> None:
    err = UnknownIdError(kind="person", id="p-7")
    assert str(err) == "unknown person id 'p-7'"
    assert (err.kind, err.id) == ("person", "p-7")
    assert isinstance(err, LookupError)


def test_model_error_lists_and_counts_all_problems() -> None:
    one = ModelError(problems=["sessions[0].speaker: unknown person 'p9'"])
    assert str(one) == "1 problem in the model:\n  sessions[0].speaker: unknown person 'p9'"
    two = ModelError(
        problems=(
            problem
            for problem in (
                "sessions[0].speaker: unknown person 'p9'",
                "sessions[3].channel: unknown channel 'c2'",
            )
        )
    )
    assert two.problems == (
        "sessions[0].speaker: unknown person 'p9'",
        "sessions[3].channel: unknown channel 'c2'",
    )
    assert str(two) == (
        "2 problems in the model:\n"
        "  sessions[0].speaker: unknown person 'p9'\n"
        "  sessions[3].channel: unknown channel 'c2'"
    )
    assert isinstance(two.problems, tuple)
    many = ModelError(problems=[f"people[{i}].id: empty" for i in range(12)])
    assert str(many).startswith("12 problems in the model:")
    assert str(many).count("\n  ") == 12
    assert pickle.loads(pickle.dumps(many)).problems == many.problems


def test_base_error_works_and_pickles() -> None:
    err = MmsoError("text")
    assert str(err) == "text"
    assert err.message == "text"
    assert err.args == ("text",)
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is MmsoError
    assert again.message == "text"
    assert str(again) == "text"
    assert str(MmsoError()) == ""
    assert pickle.loads(pickle.dumps(MmsoError())).message == ""
    assert not isinstance(err, ValueError | LookupError)


def test_error_values_of_any_library_pickle() -> None:
    zoned = dt.datetime(2026, 10, 25, 2, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"), fold=1)
    err = InvalidValueError(field="starts_at", value=zoned, reason="example")
    again = pickle.loads(pickle.dumps(err))
    assert isinstance(again, InvalidValueError)
    assert isinstance(again.value, dt.datetime)
    assert again.value == zoned
    assert again.value.fold == 1
    assert str(again) == str(err)


def test_warning() -> None:
    assert issubclass(MmsoWarning, UserWarning)
    assert not issubclass(MmsoWarning, MmsoError)
    with pytest.warns(MmsoWarning, match="careful"):
        warnings.warn("careful", MmsoWarning, stacklevel=1)


@pytest.mark.parametrize(
    "name",
    [
        "MmsoError",
        "NaiveDatetimeError",
        "TzinfoMisuseError",
        "AmbiguousTimeError",
        "NonexistentTimeError",
        "UnknownZoneError",
        "ModelError",
    ],
)
def test_contract_errors_are_exported_at_the_top_level(name: str) -> None:
    assert getattr(mmso_core, name) is getattr(errors, name)


def test_top_level_errors_are_the_modules_own() -> None:
    for name in errors.__all__:
        if hasattr(mmso_core, name):
            assert getattr(mmso_core, name) is getattr(errors, name)
