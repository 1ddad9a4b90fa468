"""A seeded generator of the MMSO-2020 programme.

The real salon ran an intense main phase (26–29 April 2020) and a lower-intensity
continuation (30 April – 8 May 2020) in Moscow time; about 200 sessions with up to
1000 experts and speakers; every session in its own player. The generator lays the
sessions on a grid of slots per channel (so channels never overlap and changeovers
hold), books people only into free slots (so nobody is double-booked), and picks
audience regions whose local hours suit the session. The Samara round table of
29 April 2020, 17:20 Moscow time, from the letter that announced the salon, is
placed by hand on that grid.
"""

import datetime as _dt
import functools
import random
import re
from collections.abc import Iterator
from typing import Final

import attrs

from mmso_core._time import Instant, Interval, at_local, resolve_zone
from mmso_core.regions import Region, all_regions, region
from mmso_core.samples import _vocabulary as vocab
from mmso_core.schedule import (
    Channel,
    Cluster,
    IntensityPolicy,
    Person,
    Phase,
    PhaseKind,
    Programme,
    Salon,
    Session,
    SessionFormat,
)

__all__ = ["SAMARA_ROUND_TABLE_ID", "SAMARA_ROUND_TABLE_TITLE", "mmso_2020"]

SAMARA_ROUND_TABLE_ID: Final = "samara-round-table"
SAMARA_ROUND_TABLE_TITLE: Final = (
    "Опыт, проблемы и перспективы дистанционного обучения в Самарской области"
)

_ZONE: Final = "Europe/Moscow"
_MAIN_DAYS: Final = tuple(_dt.date(2020, 4, day) for day in range(26, 30))
_CONTINUATION_DAYS: Final = tuple(_dt.date(2020, 4, 30) + _dt.timedelta(days=i) for i in range(9))
# Slot starts (Moscow wall time); a slot is 110 minutes: up to 90 on air + changeover.
_MAIN_SLOTS: Final = (
    _dt.time(10, 0),
    _dt.time(11, 50),
    _dt.time(13, 40),
    _dt.time(15, 30),
    _dt.time(17, 20),
    _dt.time(19, 10),
)
_CONTINUATION_SLOTS: Final = (
    _dt.time(11, 0),
    _dt.time(12, 50),
    _dt.time(14, 40),
    _dt.time(16, 30),
)
_MAIN_FORMATS: Final = (
    (SessionFormat.ROUND_TABLE, 5),
    (SessionFormat.PANEL, 5),
    (SessionFormat.WEBINAR, 3),
    (SessionFormat.WORKSHOP, 2),
    (SessionFormat.LECTURE, 2),
    (SessionFormat.PRESENTATION, 2),
    (SessionFormat.INTERVIEW, 1),
    (SessionFormat.DEBATE, 1),
)
_CONTINUATION_FORMATS: Final = (
    SessionFormat.ROUND_TABLE,
    SessionFormat.PANEL,
    SessionFormat.PROJECT_SESSION,
    SessionFormat.STRATEGY_SESSION,
    SessionFormat.WEBINAR,
    SessionFormat.WORKSHOP,
)
_SPEAKERS: Final = {
    SessionFormat.PLENARY: (5, 7),
    SessionFormat.ROUND_TABLE: (5, 8),
    SessionFormat.PANEL: (4, 6),
    SessionFormat.WEBINAR: (1, 3),
    SessionFormat.WORKSHOP: (1, 3),
    SessionFormat.LECTURE: (1, 2),
    SessionFormat.PRESENTATION: (2, 4),
    SessionFormat.INTERVIEW: (1, 2),
    SessionFormat.DEBATE: (2, 4),
    SessionFormat.PROJECT_SESSION: (3, 5),
    SessionFormat.STRATEGY_SESSION: (3, 5),
}
_MINUTES: Final = {
    SessionFormat.PLENARY: (90,),
    SessionFormat.PROJECT_SESSION: (60, 90),
    SessionFormat.STRATEGY_SESSION: (60, 90),
    SessionFormat.INTERVIEW: (30, 45, 60),
    SessionFormat.PRESENTATION: (30, 45, 60),
}
_PEOPLE: Final = 1000
_TECHNICIANS: Final = 10
_CHAT_EXPERTS: Final = 10
_MODERATORS: Final = 90

_Cell = tuple[int, int]  # (day number across the salon, slot number)


def _plain(name: str) -> str:
    """A region's name without the parenthesised short form, for organisation names."""
    return re.sub(r"\s*\([^)]*\)", "", name)


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.regions = all_regions()
        self.moscow = region("RU-MOW")
        self.samara = region("RU-SAM")
        self.people: list[Person] = []
        self.names: set[str] = set()
        self.busy: dict[str, set[_Cell]] = {}
        self.sessions: list[Session] = []
        self.channels = tuple(
            Channel(id=f"ch{i:02d}", name=name, url=f"https://mmco-expo.ru/stream/ch{i:02d}")
            for i, name in enumerate(vocab.CHANNEL_NAMES, start=1)
        )
        self.topics = {cluster: list(topics) for cluster, topics in vocab.CLUSTER_TOPICS}
        for topics in self.topics.values():
            self.rng.shuffle(topics)
        self.format_titles = dict(vocab.FORMAT_TITLES)

    # --- people ------------------------------------------------------------------

    def person(self, home: Region | None = None) -> Person:
        rng = self.rng
        home = home or (self.moscow if rng.random() < 0.2 else rng.choice(self.regions))
        while True:
            female = rng.random() < 0.55
            first = rng.choice(vocab.FEMALE_FIRST_NAMES if female else vocab.MALE_FIRST_NAMES)
            index = rng.randrange(len(vocab.MALE_PATRONYMICS))
            middle = (vocab.FEMALE_PATRONYMICS if female else vocab.MALE_PATRONYMICS)[index]
            surname = rng.choice(vocab.SURNAMES)
            if female:
                surname = surname[:-2] + "ая" if surname.endswith("ий") else surname + "а"
            name = f"{surname} {first} {middle}"
            if name not in self.names:
                break
        self.names.add(name)
        if rng.random() < 0.15:
            organisation = rng.choice(vocab.FEDERAL_ORGANISATIONS)
        else:
            pattern = rng.choice(vocab.ORGANISATION_PATTERNS)
            organisation = pattern.format(region=_plain(home.name_ru), number=rng.randrange(1, 200))
        item = Person(
            id=f"p{len(self.people) + 1:04d}",
            name=name,
            organisation=organisation,
            region=home.iso,
        )
        self.people.append(item)
        self.busy[item.id] = set()
        return item

    def free(self, pool: list[Person], cell: _Cell, count: int) -> list[Person]:
        """Take ``count`` people of ``pool`` free at ``cell`` (least used first)."""
        chosen: list[Person] = []
        for candidate in sorted(pool, key=lambda p: (len(self.busy[p.id]), self.rng.random())):
            if cell not in self.busy[candidate.id]:
                chosen.append(candidate)
                if len(chosen) == count:
                    break
        for item in chosen:
            self.busy[item.id].add(cell)
        return chosen

    # --- sessions ----------------------------------------------------------------

    def topic(self, cluster: str) -> str:
        topics = self.topics[cluster]
        topic = topics.pop()
        topics.insert(0, topic)  # cycle through, most recent last
        return topic

    def fitting_region(self, starts_at: Instant, ends_at: Instant) -> Region:
        """A region whose audience can watch the session between 08:00 and 22:00 local."""
        candidates = []
        for item in self.regions:
            zone = resolve_zone(item)
            start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
            if start.hour >= 8 and end.date() == start.date() and end.time() <= _dt.time(22):
                candidates.append(item)
        return self.rng.choice(candidates)

    def add(
        self,
        *,
        cell: _Cell,
        day: _dt.date,
        slot: _dt.time,
        channel: Channel,
        fmt: SessionFormat,
        cluster: str,
        title: str,
        staff: dict[str, list[Person]],
        session_id: str | None = None,
        minutes: int | None = None,
        follows_up: str | None = None,
        audience: tuple[Region, ...] | None = None,
        speakers: list[Person] | None = None,
        moderator: Person | None = None,
    ) -> Session:
        rng = self.rng
        starts_at = at_local(_dt.datetime.combine(day, slot), _ZONE)
        minutes = minutes or rng.choice(_MINUTES.get(fmt, (60, 75, 90)))
        ends_at = starts_at.add(minutes=minutes)
        if speakers is None:
            low, high = _SPEAKERS[fmt]
            speakers = self.free(staff["speakers"], cell, rng.randint(low, high))
        if moderator is None:
            moderator = self.free(staff["moderators"], cell, 1)[0]
        if audience is None:
            audience = (self.fitting_region(starts_at, ends_at),) if rng.random() < 0.2 else ()
        number = int(channel.id[2:]) - 1
        session = Session(
            id=session_id or f"s{len(self.sessions) + 1:03d}",
            title=title,
            format=fmt,
            starts_at=starts_at,
            ends_at=ends_at,
            channel=channel.id,
            moderator=moderator.id,
            speakers=tuple(p.id for p in speakers),
            technician=staff["technicians"][number].id,
            chat_expert=staff["chat_experts"][number].id,
            cluster=cluster,
            audience_regions=tuple(r.iso for r in audience),
            follows_up=follows_up,
            recording_available_at=ends_at,
        )
        self.sessions.append(session)
        return session

    def weighted_format(self) -> SessionFormat:
        formats = [fmt for fmt, _ in _MAIN_FORMATS]
        weights = [weight for _, weight in _MAIN_FORMATS]
        return self.rng.choices(formats, weights)[0]

    def titled(self, fmt: SessionFormat, topic: str) -> str:
        name = self.format_titles[fmt.value]
        # a topic that quotes a name already has guillemets: no quotes inside quotes
        return f"{name}: {topic}" if "«" in topic else f"{name} «{topic}»"

    def main_phase(self, staff: dict[str, list[Person]]) -> None:
        rng = self.rng
        clusters = [c.value for c in Cluster]
        samara_cell = (3, 4)  # 29 April, 17:20
        regions_channel = self.channels[7]  # Зал «Регионы»
        for day_number, day in enumerate(_MAIN_DAYS):
            for slot_number, slot in enumerate(_MAIN_SLOTS):
                cell = (day_number, slot_number)
                channels = list(self.channels)
                if cell == samara_cell:
                    self.samara_round_table(cell, day, slot, regions_channel, staff)
                    channels.remove(regions_channel)
                if slot_number == 0:
                    plenary = self.add(
                        cell=cell,
                        day=day,
                        slot=slot,
                        channel=channels.pop(0),
                        fmt=SessionFormat.PLENARY,
                        cluster=Cluster.STATE_POLICY.value,
                        title=self.titled(
                            SessionFormat.PLENARY, self.topic(Cluster.STATE_POLICY.value)
                        ),
                        staff=staff,
                        audience=(),
                    )
                    if day_number == 0:  # the opening plenary is simulcast in a second player
                        self.relay(plenary, channels.pop(0), staff)
                    continue
                live = rng.randint(6, 8) - (1 if cell == samara_cell else 0)
                for channel in rng.sample(channels, live):
                    fmt = self.weighted_format()
                    cluster = rng.choice(clusters)
                    self.add(
                        cell=cell,
                        day=day,
                        slot=slot,
                        channel=channel,
                        fmt=fmt,
                        cluster=cluster,
                        title=self.titled(fmt, self.topic(cluster)),
                        staff=staff,
                    )

    def samara_round_table(
        self,
        cell: _Cell,
        day: _dt.date,
        slot: _dt.time,
        channel: Channel,
        staff: dict[str, list[Person]],
    ) -> None:
        locals_ = [self.person(self.samara) for _ in range(6)]
        for item in locals_:
            self.busy[item.id].add(cell)
        self.add(
            cell=cell,
            day=day,
            slot=slot,
            channel=channel,
            fmt=SessionFormat.ROUND_TABLE,
            cluster=Cluster.DIGITAL.value,
            title=SAMARA_ROUND_TABLE_TITLE,
            staff=staff,
            session_id=SAMARA_ROUND_TABLE_ID,
            minutes=90,
            audience=(self.samara,),
            moderator=locals_[0],
            speakers=locals_[1:],
        )

    def relay(self, original: Session, channel: Channel, staff: dict[str, list[Person]]) -> None:
        number = int(channel.id[2:]) - 1
        relay = Session(
            id=f"s{len(self.sessions) + 1:03d}",
            title=original.title,
            format=original.format,
            starts_at=original.starts_at,
            ends_at=original.ends_at,
            channel=channel.id,
            moderator=original.moderator,
            speakers=original.speakers,
            technician=staff["technicians"][number].id,
            chat_expert=staff["chat_experts"][number].id,
            cluster=original.cluster,
            relay_of=original.id,
            recording_available_at=original.recording_available_at,
        )
        self.sessions.append(relay)

    def continuation(self, staff: dict[str, list[Person]]) -> None:
        rng = self.rng
        main_by_cluster: dict[str, list[Session]] = {}
        for item in self.sessions:
            if item.relay_of is None and item.format is not SessionFormat.PLENARY:
                main_by_cluster.setdefault(str(item.cluster), []).append(item)
        for followed in main_by_cluster.values():
            rng.shuffle(followed)
        channels = self.channels[:3]
        offset = len(_MAIN_DAYS)
        for day_number, day in enumerate(_CONTINUATION_DAYS, start=offset):
            cells = [(s, c) for s in range(len(_CONTINUATION_SLOTS)) for c in range(3)]
            for slot_number, channel_number in sorted(rng.sample(cells, rng.randint(4, 7))):
                cell = (day_number, slot_number)
                fmt = rng.choice(_CONTINUATION_FORMATS)
                cluster = rng.choice(sorted(main_by_cluster))
                originals = main_by_cluster[cluster]
                follows: Session | None = None
                if originals and rng.random() < 0.6:
                    follows = originals.pop()
                    title = rng.choice(vocab.FOLLOW_UP_PREFIXES) + follows.title
                else:
                    title = self.titled(fmt, self.topic(cluster))
                self.add(
                    cell=cell,
                    day=day,
                    slot=_CONTINUATION_SLOTS[slot_number],
                    channel=channels[channel_number],
                    fmt=fmt,
                    cluster=cluster,
                    title=title,
                    staff=staff,
                    follows_up=follows.id if follows else None,
                )

    def availability(self) -> Iterator[Person]:
        """Give some people availability windows (local days of their sessions)."""
        booked_days: dict[str, set[_dt.date]] = {}
        for session in self.sessions:
            day = session.starts_at.in_tz(_ZONE).date()
            for person_id, _ in session.people():
                booked_days.setdefault(person_id, set()).add(day)
        for item in self.people:
            days = booked_days.get(item.id)
            if days and self.rng.random() < 0.1:
                windows = [
                    Interval(
                        start=at_local(_dt.datetime.combine(day, _dt.time(9)), _ZONE),
                        end=at_local(_dt.datetime.combine(day, _dt.time(21)), _ZONE),
                    )
                    for day in sorted(days)
                ]
                yield attrs.evolve(item, availability=windows)
            else:
                yield item

    def build(self) -> Programme:
        staff = {
            "technicians": [self.person(self.moscow) for _ in range(_TECHNICIANS)],
            "chat_experts": [self.person() for _ in range(_CHAT_EXPERTS)],
            "moderators": [self.person() for _ in range(_MODERATORS)],
        }
        others = _PEOPLE - _TECHNICIANS - _CHAT_EXPERTS - _MODERATORS - 6  # 6: Samara's guests
        staff["speakers"] = [self.person() for _ in range(others)]
        self.main_phase(staff)
        self.continuation(staff)
        salon = Salon(
            name="ММСО-2020",
            zone=_ZONE,
            phases=(
                Phase(
                    kind=PhaseKind.MAIN,
                    name="ММСО",
                    first_day=_MAIN_DAYS[0],
                    last_day=_MAIN_DAYS[-1],
                    policy=IntensityPolicy(
                        max_parallel=8,
                        max_per_day=len(_MAIN_SLOTS) * 8,
                        daily_hours=(_dt.time(10), _dt.time(21)),
                    ),
                ),
                Phase(
                    kind=PhaseKind.CONTINUATION,
                    name="ММСО: продолжение",
                    first_day=_CONTINUATION_DAYS[0],
                    last_day=_CONTINUATION_DAYS[-1],
                    policy=IntensityPolicy(
                        max_parallel=3,
                        max_per_day=8,
                        daily_hours=(_dt.time(11), _dt.time(19)),
                        allowed_formats=_CONTINUATION_FORMATS,
                    ),
                ),
            ),
        )
        used = {person for session in self.sessions for person, _ in session.people()}
        return Programme(
            salon=salon,
            people=tuple(p for p in self.availability() if p.id in used),
            channels=self.channels,
            sessions=tuple(self.sessions),
        )


@functools.lru_cache(maxsize=4)
def mmso_2020(*, seed: int = 2020) -> Programme:
    """The MMSO-2020 programme: both phases on their real dates, about 200 sessions.

    Deterministic: the same ``seed`` gives an equal programme on every machine.

    Args:
        seed: Seed of the generator (the default gives the documented sample).

    Returns:
        A programme with about 1000 people from many regions, 10 channels, the
        programme clusters of MMSO-2020, continuation sessions that follow up
        main ones, a simulcast of the opening plenary, and the Samara round table.

    >>> programme = mmso_2020()
    >>> table = programme.session("samara-round-table")
    >>> table.starts_at.in_tz("Europe/Samara").strftime("%d.%m.%Y %H:%M")
    '29.04.2020 18:20'
    """
    return _Generator(seed).build()
