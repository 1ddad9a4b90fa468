"""The public surface: complete, sorted ``__all__`` and a light ``import mmso_core``."""

import importlib
import importlib.metadata
import inspect
import subprocess
import sys
import types

import pytest

import mmso_core

PACKAGES = [
    "mmso_core",
    "mmso_core.errors",
    "mmso_core.regions",
    "mmso_core.schedule",
    "mmso_core.samples",
    "mmso_core.moderation",
    "mmso_core.io",
    "mmso_core.io.frab",
    "mmso_core.io.frames",
    "mmso_core.io.ical",
    "mmso_core.io.json",
    "mmso_core.io.plots",
    "mmso_core.testing",
    "mmso_core.testing.strategies",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_importable_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    # isort-style, as ruff's RUF022 keeps it: CONSTANTS, then Classes, then functions
    assert exported == sorted(
        exported, key=lambda n: (0 if n.isupper() else 1 if n[:1].isupper() else 2, n)
    )
    for item in exported:
        assert hasattr(module, item), f"{name}.{item} is in __all__ but missing"
    public = {
        n
        for n, value in vars(module).items()
        if not n.startswith("_")
        and not isinstance(value, types.ModuleType)
        and (inspect.isclass(value) or inspect.isfunction(value))
        and _defined_under(getattr(value, "__module__", ""), name)
    }
    assert public <= set(exported), f"{name} exposes {public - set(exported)} outside __all__"


def _defined_under(origin: str, name: str) -> bool:
    """Defined in the module itself or in one of its private submodules."""
    return origin == name or origin.startswith(f"{name}._")


def test_contract_names_of_design_md() -> None:
    for name in (
        "__version__",
        "MmsoError",
        "NaiveDatetimeError",
        "TzinfoMisuseError",
        "AmbiguousTimeError",
        "NonexistentTimeError",
        "UnknownZoneError",
        "ModelError",
        "to_instant",
        "at_local",
        "Interval",
        "tz_database_version",
        "Violation",
        "Severity",
        "Report",
    ):
        assert name in mmso_core.__all__
    schedule = importlib.import_module("mmso_core.schedule")
    for name in ("Salon", "Phase", "Person", "Channel", "Session", "Programme", "check"):
        assert name in schedule.__all__
    for code in (
        "person-double-booked",
        "channel-overlap",
        "changeover-too-short",
        "outside-phase",
        "phase-parallel-limit",
        "phase-daily-limit",
        "outside-phase-hours",
        "person-unavailable",
        "missing-role",
        "duration-out-of-range",
        "outside-audience-hours",
        "follow-up-before-original",
        "recording-late",
    ):
        assert code in schedule.RULE_CODES


def test_error_bases() -> None:
    for name in (
        "NaiveDatetimeError",
        "TzinfoMisuseError",
        "AmbiguousTimeError",
        "NonexistentTimeError",
        "ModelError",
        "InvalidValueError",
    ):
        assert issubclass(getattr(mmso_core, name), ValueError)
    for name in ("UnknownZoneError", "UnknownRegionError", "UnknownIdError"):
        assert issubclass(getattr(mmso_core, name), LookupError)


def test_import_does_not_pull_optional_libraries() -> None:
    code = (
        "import sys, mmso_core, mmso_core.schedule, mmso_core.samples, mmso_core.cli;"
        "heavy = {'hypothesis', 'pandas', 'icalendar', 'matplotlib', 're2', 'numpy'};"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_version() -> None:
    assert mmso_core.__version__ == importlib.metadata.version("mmso_core")
