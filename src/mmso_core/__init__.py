"""mmso_core: the domain logic of an online education salon.

The public face: the version, the error tree, the time boundary and the report
types every area shares. The areas live in subpackages: `mmso_core.schedule`
(phases, sessions, rules), `mmso_core.samples` (the embedded MMSO-2020 programme)
and `mmso_core.testing` (Hypothesis strategies, extra ``mmso_core[testing]``).

>>> import mmso_core
>>> mmso_core.in_zone(mmso_core.to_instant("2020-04-29T17:20+03:00"), "Europe/Samara").hour
18
"""

from importlib.metadata import PackageNotFoundError, version

from mmso_core._report import Locale, Report, Severity, Violation
from mmso_core._time import (
    UTC,
    Clock,
    Disambiguate,
    FixedClock,
    Instant,
    Interval,
    ManualClock,
    SystemClock,
    ZoneLike,
    at_local,
    countdown,
    humanize,
    in_zone,
    resolve_zone,
    to_instant,
    tz_database_version,
    zone_name,
)
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
from mmso_core.regions import Region, all_regions, region

try:
    __version__ = version("mmso_core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "UTC",
    "AmbiguousTimeError",
    "BroadcastError",
    "Clock",
    "Disambiguate",
    "FixedClock",
    "Instant",
    "Interval",
    "InvalidValueError",
    "Locale",
    "ManualClock",
    "MissingExtraError",
    "MmsoError",
    "MmsoWarning",
    "ModelError",
    "NaiveDatetimeError",
    "NonexistentTimeError",
    "PermissionDenied",
    "Region",
    "Report",
    "Severity",
    "SystemClock",
    "TzinfoMisuseError",
    "UnknownIdError",
    "UnknownRegionError",
    "UnknownZoneError",
    "Violation",
    "ZoneLike",
    "__version__",
    "all_regions",
    "at_local",
    "countdown",
    "humanize",
    "in_zone",
    "region",
    "resolve_zone",
    "to_instant",
    "tz_database_version",
    "zone_name",
]
