"""Tests of Russia's federal subjects and their zones (`mmso_core.regions`)."""

import datetime as dt
import pickle
import zoneinfo
from typing import Any

import attrs
import pendulum
import pytest

import mmso_core
from mmso_core import (
    InvalidValueError,
    MmsoError,
    UnknownRegionError,
    at_local,
    in_zone,
    resolve_zone,
)
from mmso_core.regions import Region, all_regions, region, russian_zones
from mmso_core.testing import strategies as mst

REGIONS = all_regions()
ISO_CODES = [item.iso for item in REGIONS]


def untyped(value: object) -> Any:
    """Pass a value of the wrong type at run time without telling mypy."""
    return value


def test_there_are_85_regions() -> None:
    assert len(REGIONS) == 85
    assert all(isinstance(item, Region) for item in REGIONS)
    assert all_regions() is REGIONS  # the table is read once


def test_iso_codes_and_numbers_are_unique() -> None:
    assert len(set(ISO_CODES)) == 85
    assert len({item.number for item in REGIONS}) == 85
    assert len({item.name_ru for item in REGIONS}) == 85
    assert len({item.name_en for item in REGIONS}) == 85


def test_regions_are_ordered_by_number() -> None:
    numbers = [item.number for item in REGIONS]
    assert numbers == sorted(numbers)
    assert numbers[0] == 1
    assert numbers[-1] == 92


@pytest.mark.parametrize("item", REGIONS, ids=ISO_CODES)
def test_every_region_is_well_formed(item: Region) -> None:
    assert item.iso.startswith("RU-")
    assert 2 <= len(item.iso) - 3 <= 3
    assert item.iso[3:].isupper()
    assert 1 <= item.number <= 92
    assert item.name_ru.strip() == item.name_ru
    assert item.name_en.strip() == item.name_en
    assert item.zones
    assert isinstance(item.zones, tuple)
    assert len(set(item.zones)) == len(item.zones)
    assert item.zone == item.zones[0]


@pytest.mark.parametrize("item", REGIONS, ids=ISO_CODES)
def test_every_zone_loads(item: Region) -> None:
    for name in item.zones:
        assert zoneinfo.ZoneInfo(name).key == name
        assert isinstance(resolve_zone(name), pendulum.Timezone)
    # Russia lies between UTC+2 and UTC+12, without DST since 2014.
    summer = in_zone("2023-07-01T00:00Z", item)
    winter = in_zone("2023-01-01T00:00Z", item)
    assert summer.utcoffset() == winter.utcoffset()
    offset = summer.utcoffset()
    assert offset is not None
    assert dt.timedelta(hours=2) <= offset <= dt.timedelta(hours=12)


@pytest.mark.parametrize("item", REGIONS, ids=ISO_CODES)
def test_lookup_by_every_key_gives_the_region(item: Region) -> None:
    # No key of one region shadows another's.
    assert region(item.iso) is item
    assert region(item.number) is item
    assert region(str(item.number)) is item
    assert region(item.name_ru) is item
    assert region(item.name_en) is item


@pytest.mark.parametrize("item", REGIONS, ids=ISO_CODES)
def test_lookup_ignores_case_spaces_and_yo(item: Region) -> None:
    assert region(item.iso.lower()) is item
    assert region(item.name_en.upper()) is item
    assert region(item.name_en.lower()) is item
    assert region(item.name_ru.upper()) is item
    assert region(item.name_ru.lower()) is item
    assert region("  " + "   ".join(item.name_ru.split()) + "\t") is item
    assert region(" \n" + "  ".join(item.name_en.split()) + " ") is item
    assert region(f" {item.number} ") is item
    assert region(item.name_ru.replace("е", "ё")) is item
    assert region(item.name_ru.upper().replace("Е", "Ё")) is item


@pytest.mark.parametrize(
    ("key", "iso"),
    [
        ("RU-SAM", "RU-SAM"),
        ("ru-sam", "RU-SAM"),
        ("Ru-Sam", "RU-SAM"),
        (63, "RU-SAM"),
        ("63", "RU-SAM"),
        ("Samara Oblast", "RU-SAM"),
        ("samara  oblast", "RU-SAM"),
        ("SAMARA OBLAST", "RU-SAM"),
        ("Самарская область", "RU-SAM"),
        ("  самарская   ОБЛАСТЬ ", "RU-SAM"),
        ("Москва", "RU-MOW"),
        ("Moscow", "RU-MOW"),
        (77, "RU-MOW"),
        ("Moscow Oblast", "RU-MOS"),
        (50, "RU-MOS"),
        ("Санкт-Петербург", "RU-SPE"),
        ("Камчатский край", "RU-KAM"),
        ("Калининградская область", "RU-KGD"),
        ("Республика Саха (Якутия)", "RU-SA"),
        ("Еврейская автономная область", "RU-YEV"),
        ("Ёврейская автономная область", "RU-YEV"),
        ("ЁВРЕЙСКАЯ АВТОНОМНАЯ ОБЛАСТЬ", "RU-YEV"),
        ("Кемёровская область — Кузбасс", "RU-KEM"),
        ("Republic of Crimea", "RU-CR"),
        (91, "RU-CR"),
        ("Севастополь", "RU-SEV"),
        (92, "RU-SEV"),
        ("Чукотский автономный округ", "RU-CHU"),
    ],
)
def test_lookup_examples(key: str | int, iso: str) -> None:
    assert region(key).iso == iso


@pytest.mark.parametrize(
    ("key", "zone"),
    [
        ("RU-KGD", "Europe/Kaliningrad"),
        ("RU-MOW", "Europe/Moscow"),
        ("RU-SAM", "Europe/Samara"),
        ("RU-VGG", "Europe/Volgograd"),
        ("RU-SVE", "Asia/Yekaterinburg"),
        ("RU-OMS", "Asia/Omsk"),
        ("RU-NVS", "Asia/Novosibirsk"),
        ("RU-KYA", "Asia/Krasnoyarsk"),
        ("RU-IRK", "Asia/Irkutsk"),
        ("RU-AMU", "Asia/Yakutsk"),
        ("RU-PRI", "Asia/Vladivostok"),
        ("RU-MAG", "Asia/Magadan"),
        ("RU-KAM", "Asia/Kamchatka"),
        ("RU-CHU", "Asia/Anadyr"),
    ],
)
def test_main_zones(key: str, zone: str) -> None:
    assert region(key).zone == zone
    assert region(key).zones[0] == zone


def test_multi_zone_subjects_list_the_main_zone_first() -> None:
    sakha = region("RU-SA")
    assert sakha.zone == "Asia/Yakutsk"
    assert sakha.zones[0] == "Asia/Yakutsk"
    assert len(sakha.zones) > 1
    assert {"Asia/Khandyga", "Asia/Ust-Nera", "Asia/Srednekolymsk"} <= set(sakha.zones)
    sakhalin = region("RU-SAK")
    assert sakhalin.zones == ("Asia/Sakhalin", "Asia/Srednekolymsk")
    multi = [item for item in REGIONS if len(item.zones) > 1]
    assert {item.iso for item in multi} == {"RU-SA", "RU-SAK"}


def test_the_salon_spans_eleven_zones() -> None:
    offsets = set()
    for item in REGIONS:
        for name in item.zones:
            offsets.add(in_zone("2020-04-29T12:00Z", name).utcoffset())
    assert offsets == {dt.timedelta(hours=hours) for hours in range(2, 13)}


def test_region_stands_for_its_main_zone() -> None:
    sakha = region("RU-SA")
    noon = at_local("2020-04-29 12:00", sakha)
    assert noon == at_local("2020-04-29 12:00", "Asia/Yakutsk")
    assert in_zone(noon, sakha).utcoffset() == dt.timedelta(hours=9)
    assert mmso_core.zone_name(sakha) == "Asia/Yakutsk"


@pytest.mark.parametrize(
    "key", ["RU-XXX", "Samara", "Samarra Oblast", "64a", 0, 84, 100, -63, "", "   ", "RU-"]
)
def test_unknown_region_is_refused(key: str | int) -> None:
    with pytest.raises(UnknownRegionError) as info:
        region(key)
    err = info.value
    assert isinstance(err, LookupError)
    assert isinstance(err, MmsoError)
    assert err.region == str(key)
    assert err.field is None
    assert repr(str(key)) in str(err)
    assert str(err).startswith("unknown region")


def test_unknown_region_error_names_the_field() -> None:
    with pytest.raises(UnknownRegionError) as info:
        region("Атлантида", field="Person.region")
    assert info.value.field == "Person.region"
    assert str(info.value).startswith("Person.region: unknown region 'Атлантида'")
    assert "RU-SAM" in str(info.value)


def test_a_region_passed_to_region_comes_back_as_is() -> None:
    samara = region("RU-SAM")
    assert region(samara) is samara
    custom = Region(iso="RU-XX", number=99, name_ru="Тест", name_en="Test", zones="Europe/Moscow")
    assert region(custom) is custom
    assert region(custom, field="x") is custom


def test_region_names() -> None:
    samara = region("RU-SAM")
    assert samara.name() == "Samara Oblast"
    assert samara.name("en") == "Samara Oblast"
    assert samara.name("ru") == "Самарская область"
    with pytest.raises(InvalidValueError) as info:
        samara.name(untyped("de"))
    assert info.value.field == "locale"
    assert info.value.value == "de"
    assert str(samara) == "Samara Oblast (RU-SAM)"
    assert str(region("RU-MOW")) == "Moscow (RU-MOW)"
    assert samara.iso == "RU-SAM"
    assert samara.number == 63
    assert samara.name_ru == "Самарская область"
    assert samara.name_en == "Samara Oblast"
    assert samara.zones == ("Europe/Samara",)


@pytest.mark.parametrize(
    ("zones", "expected"),
    [
        ("Asia/Yakutsk", ("Asia/Yakutsk",)),
        ("Asia/Yakutsk Asia/Khandyga", ("Asia/Yakutsk", "Asia/Khandyga")),
        ("  Asia/Yakutsk   Asia/Khandyga ", ("Asia/Yakutsk", "Asia/Khandyga")),
        (("Asia/Yakutsk", "Asia/Khandyga"), ("Asia/Yakutsk", "Asia/Khandyga")),
        (["Asia/Yakutsk", "Asia/Khandyga"], ("Asia/Yakutsk", "Asia/Khandyga")),
    ],
)
def test_region_zones_are_stored_as_a_tuple(zones: object, expected: tuple[str, ...]) -> None:
    item = Region(iso="RU-XX", number=99, name_ru="Тест", name_en="Test", zones=untyped(zones))
    assert item.zones == expected
    assert item.zone == expected[0]


def test_region_is_a_frozen_hashable_value() -> None:
    samara = region("RU-SAM")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        samara.iso = "RU-XX"  # type: ignore[misc] # frozen on purpose
    twin = Region(
        iso="RU-SAM",
        number=63,
        name_ru="Самарская область",
        name_en="Samara Oblast",
        zones=("Europe/Samara",),
    )
    assert twin == samara
    assert hash(twin) == hash(samara)
    assert pickle.loads(pickle.dumps(samara)) == samara
    assert len(set(REGIONS)) == 85


def test_public_names() -> None:
    assert mmso_core.region is region
    assert mmso_core.all_regions is all_regions
    assert mmso_core.Region is Region
    assert mmso_core.regions.__all__ == ["Region", "all_regions", "region", "russian_zones"]


@pytest.mark.parametrize(
    ("spelling", "iso"),
    [
        ("Республика Татарстан", "RU-TA"),
        ("Республика Адыгея", "RU-AD"),
        ("Адыгея", "RU-AD"),
        ("Якутия", "RU-SA"),
        ("Yakutia", "RU-SA"),
        ("Кемеровская область", "RU-KEM"),
        ("Кузбасс", "RU-KEM"),
        ("Чувашская Республика", "RU-CU"),
        ("Республика Северная Осетия - Алания", "RU-SE"),
        ("Khanty-Mansi Autonomous Okrug - Yugra", "RU-KHM"),
        ("Saint-Petersburg", "RU-SPE"),
        ("01", "RU-AD"),
        ("Tatarstan", "RU-TA"),
        ("Moscow", "RU-MOW"),
        ("Moscow Oblast", "RU-MOS"),
    ],
)
def test_usual_short_forms_are_found(spelling: str, iso: str) -> None:
    # regression: these spellings raised UnknownRegionError
    assert region(spelling).iso == iso


def test_russian_zones_are_those_of_the_regions() -> None:
    zones = russian_zones()
    assert set(zones) == {z for r in all_regions() for z in r.zones}
    assert zones == tuple(sorted(zones))
    assert set(zones) == set(mst.RUSSIAN_ZONES)
