"""Russia's federal subjects and the IANA time zones they live in.

The salon's audience spans Russia's 11 time zones, from Kaliningrad (UTC+2) to
Kamchatka (UTC+12). A [`Region`][mmso_core.regions.Region] is accepted wherever a
zone is: it stands for its main zone (its capital's).

The table (package data ``data/regions.csv``) lists the 85 subjects of the 2020
constitution with their ISO 3166-2 codes (``RU-CR`` and ``RU-SEV`` follow Russian
administrative data), their numbers in the constitution's classification (as on
vehicle plates), their Russian and English names and their zones (main one first).

>>> from mmso_core.regions import region
>>> samara = region("Самарская область")
>>> samara.iso, samara.number, samara.name_en, samara.zone
('RU-SAM', 63, 'Samara Oblast', 'Europe/Samara')
>>> region("RU-SAM") is region("63") is region("samara oblast")
True
"""

import csv
import functools
import importlib.resources
import io
from typing import Final, final

import attrs

from mmso_core._report import Locale, check_locale
from mmso_core.errors import UnknownRegionError

__all__ = ["Region", "all_regions", "region", "russian_zones"]


def _zones(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(value.split()) if isinstance(value, str) else tuple(value)


@final
@attrs.frozen(kw_only=True)
class Region:
    """One federal subject of Russia.

    Attributes:
        iso: ISO 3166-2 code, e.g. ``"RU-SAM"``.
        number: Number in the constitution's classification, e.g. ``63``.
        name_ru: Russian name, e.g. ``"Самарская область"``.
        name_en: English name, e.g. ``"Samara Oblast"``.
        zones: IANA zones used in the subject, the main one (its capital's) first.
    """

    iso: str
    number: int
    name_ru: str
    name_en: str
    zones: tuple[str, ...] = attrs.field(converter=_zones)

    @property
    def zone(self) -> str:
        """The main zone, which a region stands for wherever a zone is accepted."""
        return self.zones[0]

    def name(self, locale: Locale = "en") -> str:
        """The region's name in ``"en"`` or ``"ru"``."""
        return self.name_ru if check_locale(locale) == "ru" else self.name_en

    def __str__(self) -> str:
        return f"{self.name_en} ({self.iso})"


_DASHES: Final = str.maketrans({"—": "-", "–": "-", "‐": "-", "-": "-"})
_ALIASES: Final = {
    "RU-SA": ("Якутия", "Yakutia", "Саха", "Sakha"),
    "RU-SPE": ("Санкт Петербург", "Saint-Petersburg", "St Petersburg", "St. Petersburg"),
    "RU-KHM": ("Югра", "Yugra", "ХМАО", "KhMAO"),
    "RU-YAN": ("ЯНАО", "YaNAO"),
}


def _key(text: str) -> str:
    """Lookup form: case-folded, ё as е, any dash as "-", spaces collapsed around it."""
    folded = text.replace("ё", "е").replace("Ё", "Е").translate(_DASHES).casefold()
    return " ".join(folded.replace("-", " - ").split()).replace(" - ", "-")


def _names(name: str) -> set[str]:
    """A name and its usual short forms: without "(Адыгея)", either side of " — "."""
    forms = {name}
    if "(" in name and name.endswith(")"):
        head, _, tail = name.partition(" (")
        forms |= {head, tail[:-1]}
    for separator in (" — ", " – "):
        if separator in name:
            forms |= set(name.split(separator))
    for prefix in ("Republic of ",):
        forms |= {form.removeprefix(prefix) for form in forms if form.startswith(prefix)}
    forms |= {form.removesuffix(" Republic") for form in forms if form.endswith(" Republic")}
    return {form.strip() for form in forms if form.strip()}


@functools.cache
def _table() -> tuple[tuple[Region, ...], dict[str, Region]]:
    text = importlib.resources.files("mmso_core").joinpath("data/regions.csv").read_text("utf-8")
    regions = tuple(
        Region(
            iso=row["iso"],
            number=int(row["number"]),
            name_ru=row["name_ru"],
            name_en=row["name_en"],
            zones=row["zones"],
        )
        for row in csv.DictReader(io.StringIO(text))
    )
    index: dict[str, Region] = {}
    for item in regions:  # exact codes and names first: they win over short forms
        for key in (item.iso, str(item.number), item.name_ru, item.name_en):
            index[_key(key)] = item
    for item in regions:
        keys = {f"{item.number:02d}", *_ALIASES.get(item.iso, ())}
        keys |= _names(item.name_ru) | _names(item.name_en)
        for key in keys:
            index.setdefault(_key(key), item)
    return regions, index


def all_regions() -> tuple[Region, ...]:
    """All 85 federal subjects, ordered by number.

    >>> len(all_regions())
    85
    """
    return _table()[0]


@functools.cache
def russian_zones() -> tuple[str, ...]:
    """Every IANA zone of Russia's federal subjects, sorted by name.

    >>> zones = russian_zones()
    >>> zones[0], "Asia/Kamchatka" in zones, "Europe/Kaliningrad" in zones
    ('Asia/Anadyr', True, True)
    """
    return tuple(sorted({zone for item in all_regions() for zone in item.zones}))


def region(key: "str | int | Region", *, field: str | None = None) -> Region:
    """Look a region up by ISO code, number, or Russian or English name.

    Matching ignores case, repeated spaces, the kind of dash and the difference between
    "ё" and "е"; short forms work too ("Адыгея", "Республика Татарстан", "Якутия",
    "Кемеровская область", "Kuzbass", plate numbers such as "01").

    Args:
        key: ``"RU-SAM"``, ``63``, ``"63"``, ``"Samara Oblast"`` or ``"Самарская область"``;
            a ``Region`` is returned as is.
        field: Named in the error message.

    Returns:
        The region.

    Raises:
        UnknownRegionError: Nothing matches.
    """
    if isinstance(key, Region):
        return key
    found = _table()[1].get(_key(str(key)))
    if found is None:
        raise UnknownRegionError(region=str(key), field=field)
    return found
