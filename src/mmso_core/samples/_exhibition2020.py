"""A seeded generator of the MMSO-2020 virtual exhibition.

About 130 stands of businesses, regional education systems and educational
institutions along ten alleys, one per programme cluster. The alleys leave a main
avenue north and south; rings join their far ends, so there is more than one way
round. Stands are open every day of both phases; webinar rooms at some stands hold
webinars across both phases, a few of them already full.
"""

import datetime as _dt
import functools
import random
from typing import Final

from mmso_core._time import Interval, at_local
from mmso_core.exhibition import (
    Alley,
    Contact,
    Exhibition,
    Exhibitor,
    ExhibitorKind,
    FloorPlan,
    Junction,
    Stand,
    Video,
    Webinar,
    WebinarRoom,
)
from mmso_core.regions import all_regions
from mmso_core.samples import _vocabulary as vocab
from mmso_core.schedule import Cluster

__all__ = ["exhibition_2020"]

_ZONE: Final = "Europe/Moscow"
_MAIN: Final = tuple(_dt.date(2020, 4, day) for day in range(26, 30))
_CONTINUATION: Final = tuple(_dt.date(2020, 4, 30) + _dt.timedelta(days=i) for i in range(9))
_AVENUE_STEP: Final = 60.0
_ALLEY_LENGTH: Final = 120.0
_STANDS_PER_ALLEY: Final = 13
_BUSINESSES: Final = (
    "Цифровая школа",
    "ЭдТех Лаб",
    "Учебные платформы",
    "Робототехника для всех",
    "Открытый класс",
    "Школьный навигатор",
    "Лаборатория знаний",
    "Интерактивные доски",
    "Электронный дневник",
    "Умный кампус",
    "Курсы будущего",
    "Кванториум-Сервис",
    "Медиашкола",
    "Лингвотренажёр",
    "Математика онлайн",
)
_TAGS: Final = (
    "дистанционное обучение",
    "цифровые платформы",
    "для учителей",
    "для родителей",
    "для школьников",
    "оценка качества",
    "профориентация",
    "инклюзия",
    "робототехника",
    "программирование",
)
_MATERIALS: Final = (
    "Презентация (PDF)",
    "Каталог программ",
    "Методические рекомендации",
    "Прайс-лист",
)
_PRODUCTS: Final = (
    "Онлайн-курсы",
    "Платформа для вебинаров",
    "Электронные учебники",
    "Программы повышения квалификации",
    "Цифровые лаборатории",
    "Сервис онлайн-тестирования",
)


# Institutions only: ministries and departments are a region's education system.
_INSTITUTION_PATTERNS: Final = tuple(
    pattern
    for pattern in vocab.ORGANISATION_PATTERNS
    if not pattern.startswith(("Министерство", "Департамент", "Комитет"))
)


def _daily(days: tuple[_dt.date, ...], opens: _dt.time, closes: _dt.time) -> list[Interval]:
    return [
        Interval(
            start=at_local(_dt.datetime.combine(day, opens), _ZONE),
            end=at_local(_dt.datetime.combine(day, closes), _ZONE),
        )
        for day in days
    ]


def _plain(name: str) -> str:
    return name.split(" (", maxsplit=1)[0]


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # sample data, not cryptography
        self.exhibitors: list[Exhibitor] = []
        self.stands: list[Stand] = []
        self.systems_left = list(all_regions())

    def person(self) -> str:
        rng = self.rng
        female = rng.random() < 0.55
        first = rng.choice(vocab.FEMALE_FIRST_NAMES if female else vocab.MALE_FIRST_NAMES)
        surname = rng.choice(vocab.SURNAMES)
        if female:
            surname = surname[:-2] + "ая" if surname.endswith("ий") else surname + "а"
        return f"{first} {surname}"

    def exhibitor(self, number: int) -> Exhibitor:
        rng = self.rng
        kind = rng.choices(list(ExhibitorKind), weights=(5, 3, 4))[0]
        if kind is ExhibitorKind.REGIONAL_SYSTEM and not self.systems_left:
            kind = ExhibitorKind.INSTITUTION
        if kind is ExhibitorKind.REGIONAL_SYSTEM:  # one regional system per region
            home = self.systems_left.pop(rng.randrange(len(self.systems_left)))
        else:
            home = rng.choice(all_regions())
        if kind is ExhibitorKind.BUSINESS:
            name = f"ООО «{rng.choice(_BUSINESSES)} {number}»"
            where = None
        elif kind is ExhibitorKind.REGIONAL_SYSTEM:
            name = f"Система образования: {_plain(home.name_ru)}"
            where = home.iso
        else:
            name = rng.choice(_INSTITUTION_PATTERNS).format(
                region=_plain(home.name_ru), number=rng.randrange(1, 200)
            )
            where = home.iso
        item = Exhibitor(
            id=f"e{number:03d}",
            name=name,
            kind=kind,
            region=where,
            website=f"https://example.org/expo/e{number:03d}",
        )
        self.exhibitors.append(item)
        return item

    def floor_plan(self, clusters: list[str]) -> FloorPlan:
        junctions = [Junction(id="entrance", x=0.0, y=0.0)]
        alleys: list[Alley] = []
        for step in range(1, 6):
            x = step * _AVENUE_STEP
            junctions.append(Junction(id=f"a{step}", x=x, y=0.0))
            alleys.append(
                Alley(
                    id=f"avenue-{step}",
                    name=f"Главная аллея, участок {step}",
                    start="entrance" if step == 1 else f"a{step - 1}",
                    end=f"a{step}",
                    length=_AVENUE_STEP,
                )
            )
        for number, cluster in enumerate(clusters):
            step, north = number // 2 + 1, number % 2 == 0
            far = f"{'n' if north else 's'}{step}"
            junctions.append(
                Junction(
                    id=far, x=step * _AVENUE_STEP, y=_ALLEY_LENGTH if north else -_ALLEY_LENGTH
                )
            )
            alleys.append(
                Alley(
                    id=f"alley-{cluster}",
                    name=f"Аллея «{Cluster(cluster).label('ru').capitalize()}»",
                    start=f"a{step}",
                    end=far,
                    length=_ALLEY_LENGTH,
                    cluster=cluster,
                )
            )
        alleys.extend(
            Alley(
                id=f"ring-{side}{step}",
                name=f"Кольцевая аллея {side.upper()}{step}",
                start=f"{side}{step}",
                end=f"{side}{step + 1}",
                length=_AVENUE_STEP,
            )
            for side in "ns"
            for step in range(1, 5)
        )
        return FloorPlan(junctions=junctions, alleys=alleys, entrance="entrance")

    def build(self) -> Exhibition:
        rng = self.rng
        clusters = [c.value for c in Cluster]
        plan = self.floor_plan(clusters)
        opening = _daily(_MAIN, _dt.time(10), _dt.time(19)) + _daily(
            _CONTINUATION, _dt.time(11), _dt.time(18)
        )
        number = 0
        for cluster in clusters:
            for slot in range(_STANDS_PER_ALLEY):
                number += 1
                owner = self.exhibitor(number)
                minutes = rng.randint(3, 9)
                self.stands.append(
                    Stand(
                        id=f"stand-{number:03d}",
                        name=owner.name,
                        exhibitor=owner.id,
                        alley=f"alley-{cluster}",
                        offset=8.0 * (slot + 1),
                        clusters={cluster},
                        tags=rng.sample(_TAGS, rng.randint(1, 3)),
                        video=Video(
                            title=f"Видеопрезентация: {owner.name}",
                            duration=_dt.timedelta(minutes=minutes),
                        ),
                        products=rng.sample(_PRODUCTS, rng.randint(1, 3)),
                        materials=rng.sample(_MATERIALS, rng.randint(1, 2)),
                        contacts=[
                            Contact(name=self.person(), position="представитель экспонента")
                            for _ in range(rng.randint(1, 3))
                        ],
                        chat=f"chat-stand-{number:03d}",
                        opening_hours=opening,
                    )
                )
        rooms = [
            WebinarRoom(
                id=f"room-{n:02d}",
                name=f"Вебинарная комната {n}",
                stand=stand.id,
                capacity=rng.choice((50, 100, 200, 300)),
            )
            for n, stand in enumerate(rng.sample(self.stands, 20), start=1)
        ]
        webinars: list[Webinar] = []
        topics = dict(vocab.CLUSTER_TOPICS)
        for room in rooms:
            stand = next(s for s in self.stands if s.id == room.stand)
            for day in rng.sample(_MAIN + _CONTINUATION, 4):
                hour = rng.randint(11, 16)
                starts = at_local(_dt.datetime.combine(day, _dt.time(hour)), _ZONE)
                full = rng.random() < 0.1
                webinars.append(
                    Webinar(
                        id=f"webinar-{len(webinars) + 1:03d}",
                        title=f"Вебинар: {rng.choice(topics[next(iter(stand.clusters))])}",
                        room=room.id,
                        starts_at=starts,
                        ends_at=starts + _dt.timedelta(minutes=rng.choice((30, 45, 60))),
                        host=self.person(),
                        registered=room.capacity if full else rng.randrange(room.capacity),
                        clusters=stand.clusters,
                    )
                )
        return Exhibition(
            name="Интерактивная карта индустрии образования",
            zone=_ZONE,
            floor_plan=plan,
            exhibitors=self.exhibitors,
            stands=self.stands,
            rooms=rooms,
            webinars=webinars,
        )


@functools.lru_cache(maxsize=4)
def exhibition_2020(*, seed: int = 2020) -> Exhibition:
    """The MMSO-2020 virtual exhibition: 130 stands along ten alleys, webinars in 20 rooms.

    Deterministic: the same ``seed`` gives an equal exhibition on every machine.

    >>> expo = exhibition_2020()
    >>> len(expo.stands), len(expo.floor_plan.alleys), len(expo.rooms)
    (130, 23, 20)
    """
    return _Generator(seed).build()
