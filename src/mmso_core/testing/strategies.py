"""Hypothesis strategies for `mmso_core` values (install ``mmso_core[testing]``).

Modelled on ``hypothesis.extra``: plural names, keyword-only bounds, composed by hand
so every draw passes the values' validators. ``programmes()`` draws whole programmes
that are *conflict-free by construction*: ``check()`` finds nothing in them, so a
test can plant one conflict and expect exactly that violation.

>>> from mmso_core.testing import strategies as mst
>>> from mmso_core.schedule import check
>>> from hypothesis import given
>>> @given(mst.programmes(max_sessions=8))
... def test_clean(programme):
...     assert check(programme).violations == ()
>>> test_clean()
"""

import datetime as _dt
from typing import Final

import attrs

from mmso_core._report import Severity
from mmso_core._time import Instant, Interval, at_local, in_zone, resolve_zone, to_instant
from mmso_core.errors import UnknownZoneError
from mmso_core.exhibition import (
    Alley,
    Exhibition,
    Exhibitor,
    ExhibitorKind,
    FloorPlan,
    Junction,
    Stand,
    Video,
    Visitor,
    Webinar,
    WebinarRoom,
)
from mmso_core.moderation import (
    PRESETS,
    Action,
    CapsRule,
    ChatMessage,
    DuplicateRule,
    FloodRule,
    KeywordRule,
    LinkRule,
    MaxLengthRule,
    MentionRule,
    MessageKind,
    Mode,
    Policy,
    PresetRule,
    Role,
    Rule,
    SanctionKind,
    SlowModeRule,
    Step,
)
from mmso_core.regions import Region, all_regions, russian_zones
from mmso_core.schedule import (
    Broadcast,
    BroadcastEvent,
    Channel,
    Command,
    IntensityPolicy,
    Person,
    Phase,
    PhaseKind,
    Programme,
    Salon,
    Session,
    SessionFormat,
)

try:
    from hypothesis import strategies as st
    from hypothesis.strategies import DrawFn, SearchStrategy
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "mmso_core.testing.strategies needs Hypothesis: pip install 'mmso_core[testing]'"
    ) from exc

__all__ = [
    "RUSSIAN_ZONES",
    "broadcast_logs",
    "broadcasts",
    "channels",
    "chat_logs",
    "chat_messages",
    "exhibitions",
    "instants",
    "intervals",
    "people",
    "policies",
    "programmes",
    "regions",
    "sessions",
    "visitors",
    "zones",
]

RUSSIAN_ZONES: Final = russian_zones()
"""Every IANA zone used in Russia, from Europe/Kaliningrad to Asia/Kamchatka."""

_MIN: Final = _dt.datetime(2000, 1, 1)  # noqa: DTZ001 - naive bounds for st.datetimes
_MAX: Final = _dt.datetime(2040, 1, 1)  # noqa: DTZ001 - naive bounds for st.datetimes
_SAFE_FORMATS: Final = (
    SessionFormat.ROUND_TABLE,
    SessionFormat.PANEL,
    SessionFormat.WEBINAR,
    SessionFormat.LECTURE,
    SessionFormat.WORKSHOP,
)
"""Formats whose default duration bounds all contain 45-100 minutes."""
_SLOTS: Final = tuple(_dt.time(9 + 2 * k) for k in range(6))  # 09:00 ... 19:00
_SALON_ZONES: Final = ("Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Europe/Berlin")


def zones(*, russian_only: bool = False) -> SearchStrategy[str]:
    """IANA zone names: Russia's zones, plus any zone of the database unless ``russian_only``."""
    russian = st.sampled_from(RUSSIAN_ZONES)
    if russian_only:
        return russian
    return russian | st.timezone_keys(allow_prefix=False).filter(_resolvable)


def _resolvable(name: str) -> bool:
    """Whether the library accepts a zone name (it refuses "localtime" and the like)."""
    try:
        resolve_zone(name)
    except UnknownZoneError:
        return False
    return True


def regions() -> SearchStrategy[Region]:
    """Russia's federal subjects."""
    return st.sampled_from(all_regions())


def instants(
    *, min_value: _dt.datetime = _MIN, max_value: _dt.datetime = _MAX
) -> SearchStrategy[Instant]:
    """Instants (UTC pendulum values) drawn as aware datetimes in any zone, then converted.

    Args:
        min_value: Naive lower bound of the wall time drawn.
        max_value: Naive upper bound of the wall time drawn.
    """
    return st.datetimes(
        min_value=min_value,
        max_value=max_value,
        timezones=st.timezones(),
        allow_imaginary=False,
    ).map(to_instant)


def intervals(
    *,
    min_start: _dt.datetime = _MIN,
    max_start: _dt.datetime = _MAX,
    min_duration: _dt.timedelta = _dt.timedelta(minutes=1),
    max_duration: _dt.timedelta = _dt.timedelta(days=2),
) -> SearchStrategy[Interval]:
    """Half-open intervals with a duration between the bounds (``min_duration > 0``)."""
    if min_duration <= _dt.timedelta(0) or max_duration < min_duration:
        raise ValueError("need 0 < min_duration <= max_duration")
    return st.builds(
        lambda start, length: Interval(start=start, end=start + length),
        instants(min_value=min_start, max_value=max_start),
        st.timedeltas(min_value=min_duration, max_value=max_duration),
    )


_names = st.text(
    alphabet=st.characters(categories=("Lu", "Ll"), max_codepoint=0x44F), min_size=1, max_size=20
).filter(str.strip)
_ids = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)


def people(*, ids: SearchStrategy[str] = _ids) -> SearchStrategy[Person]:
    """People with a home region or zone (or neither) and sorted availability windows."""

    @st.composite
    def build(draw: DrawFn) -> Person:
        home = draw(st.one_of(st.none(), regions()))
        return Person(
            id=draw(ids),
            name=draw(_names),
            organisation=draw(st.none() | _names),
            region=home,
            zone=draw(zones()) if home is None and draw(st.booleans()) else None,
            availability=draw(st.lists(intervals(), max_size=3)),
        )

    return build()


def channels(*, ids: SearchStrategy[str] = _ids) -> SearchStrategy[Channel]:
    """Channels (players)."""
    return st.builds(
        Channel, id=ids, name=_names, url=st.none() | st.just("https://example.org/live")
    )


def sessions(
    *,
    ids: SearchStrategy[str] = _ids,
    people_ids: SearchStrategy[str] = _ids,
    channel_ids: SearchStrategy[str] = _ids,
) -> SearchStrategy[Session]:
    """Single sessions with any format, times and roles (ids are not cross-checked here)."""

    @st.composite
    def build(draw: DrawFn) -> Session:
        span = draw(intervals(max_duration=_dt.timedelta(hours=6)))
        return Session(
            id=draw(ids),
            title=draw(_names),
            format=draw(st.sampled_from(SessionFormat)),
            starts_at=span.start,
            ends_at=span.end,
            channel=draw(channel_ids),
            moderator=draw(st.none() | people_ids),
            speakers=draw(st.lists(people_ids, max_size=4, unique=True)),
            technician=draw(st.none() | people_ids),
            chat_expert=draw(st.none() | people_ids),
            cluster=draw(st.none() | st.sampled_from(["general", "higher", "digital"])),
            audience_regions=draw(st.lists(regions(), max_size=2)),
            recording_available_at=draw(st.none() | st.just(span.end)),
        )

    return build()


def _audience_fits(item: Region, starts_at: Instant, ends_at: Instant) -> bool:
    start, end = in_zone(starts_at, item), in_zone(ends_at, item)
    return start.hour >= 8 and end.date() == start.date() and end.time() <= _dt.time(22)


def programmes(
    *,
    min_sessions: int = 0,
    max_sessions: int = 20,
    max_channels: int = 4,
    max_days: int = 3,
) -> SearchStrategy[Programme]:
    """Whole programmes on which ``check()`` with default ``Rules()`` finds nothing.

    Sessions sit on a grid (two-hour slots from 09:00 to 21:00 local, 45–100 minutes
    each) so channels never overlap and changeovers hold; nobody is booked twice in
    one slot; audience regions are only those whose local hours suit the session;
    follow-ups come after their originals; the opening session may be simulcast.
    Limits leave headroom of one session, so planting one conflict breaks one rule.

    Args:
        min_sessions: Fewest sessions (relays included).
        max_sessions: Most sessions (relays included).
        max_channels: Most channels.
        max_days: Most days per phase.
    """
    if not 0 <= min_sessions <= max_sessions:
        raise ValueError("need 0 <= min_sessions <= max_sessions")
    if max_channels < 1 or max_days < 1:
        raise ValueError("need max_channels >= 1 and max_days >= 1")
    capacity = 2 * max_days * len(_SLOTS) * max_channels
    if min_sessions > capacity:
        raise ValueError(
            f"min_sessions={min_sessions} does not fit {max_channels} channel(s) over "
            f"2 x {max_days} day(s) of {len(_SLOTS)} slots ({capacity} sessions at most)"
        )

    @st.composite
    def build(draw: DrawFn) -> Programme:
        zone = draw(st.sampled_from(_SALON_ZONES))
        first = draw(st.dates(_dt.date(2015, 1, 1), _dt.date(2035, 1, 1)))
        main_days = draw(st.integers(1, max_days))
        continuation_days = draw(st.integers(1, max_days))
        per_channel = (main_days + continuation_days) * len(_SLOTS)
        if per_channel * max_channels < min_sessions:  # too few days drawn: use them all
            main_days = continuation_days = max_days
            per_channel = 2 * max_days * len(_SLOTS)
        channel_count = draw(st.integers(-(-min_sessions // per_channel) or 1, max_channels))
        cells = [
            (day, slot, channel)
            for day in range(main_days + continuation_days)
            for slot in range(len(_SLOTS))
            for channel in range(channel_count)
        ]
        wanted = draw(st.integers(min(min_sessions, len(cells)), min(max_sessions, len(cells))))
        chosen = sorted(
            draw(st.lists(st.sampled_from(cells), min_size=wanted, max_size=wanted, unique=True))
        )
        channel_list = tuple(
            Channel(id=f"ch{n}", name=f"Channel {n}") for n in range(channel_count)
        )
        staff = [
            Person(id=f"t{n}", name=f"Technician {n}", zone=zone) for n in range(channel_count)
        ] + [Person(id=f"e{n}", name=f"Expert {n}", zone=zone) for n in range(channel_count)]
        pool_size = draw(st.integers(channel_count * 4, channel_count * 4 + 10))
        pool = [Person(id=f"p{n}", name=f"Person {n}", zone=zone) for n in range(pool_size)]
        busy: dict[tuple[int, int], set[int]] = {}
        days = [first + _dt.timedelta(days=d) for d in range(main_days + continuation_days)]
        made: list[Session] = []
        for number, (day, slot, channel) in enumerate(chosen):
            starts_at = at_local(_dt.datetime.combine(days[day], _SLOTS[slot]), zone)
            ends_at = starts_at + _dt.timedelta(minutes=draw(st.integers(45, 100)))
            taken = busy.setdefault((day, slot), set())
            free = [n for n in range(pool_size) if n not in taken]
            crew = draw(st.lists(st.sampled_from(free), min_size=2, max_size=4, unique=True))
            taken.update(crew)
            fitting = [r for r in all_regions()[::7] if _audience_fits(r, starts_at, ends_at)]
            audience = draw(st.lists(st.sampled_from(fitting), max_size=2)) if fitting else []
            originals = [  # follow-ups continue main-phase sessions in the continuation
                s for s, (d, _, _) in zip(made, chosen, strict=False) if d < main_days
            ]
            follows = (
                draw(st.none() | st.sampled_from(originals))
                if originals and day >= main_days
                else None
            )
            made.append(
                Session(
                    id=f"s{number}",
                    title=f"Session {number}",
                    format=draw(st.sampled_from(_SAFE_FORMATS)),
                    starts_at=starts_at,
                    ends_at=ends_at,
                    channel=f"ch{channel}",
                    moderator=f"p{crew[0]}",
                    speakers=[f"p{n}" for n in crew[1:]],
                    technician=f"t{channel}",
                    chat_expert=f"e{channel}",
                    cluster=draw(st.sampled_from(["general", "higher", "digital"])),
                    audience_regions=audience,
                    follows_up=None if follows is None else follows.id,
                    recording_available_at=draw(st.none() | st.just(ends_at)),
                )
            )
        made.extend(_relay(draw, made, chosen, channel_count, max_sessions))
        people_list = [
            attrs.evolve(
                p,
                availability=[Interval(start=days[0].isoformat() + "T00:00Z", end=_after(days))],
            )
            if draw(st.booleans())
            else p
            for p in staff + pool
        ]
        per_day = len(_SLOTS) * channel_count
        salon = Salon(
            name="Test salon",
            zone=zone,
            phases=[
                Phase(
                    kind=PhaseKind.MAIN,
                    name="Main",
                    first_day=days[0],
                    last_day=days[main_days - 1],
                    policy=IntensityPolicy(
                        max_parallel=channel_count + 1,
                        max_per_day=per_day + 1,
                        daily_hours=(_dt.time(9), _dt.time(21)),
                    ),
                ),
                Phase(
                    kind=PhaseKind.CONTINUATION,
                    name="Continuation",
                    first_day=days[main_days],
                    last_day=days[-1],
                    policy=IntensityPolicy(
                        max_parallel=channel_count + 1,
                        max_per_day=per_day + 1,
                        daily_hours=(_dt.time(9), _dt.time(21)),
                        allowed_formats=_SAFE_FORMATS,
                    ),
                ),
            ],
        )
        return Programme(salon=salon, people=people_list, channels=channel_list, sessions=made)

    return build()


def _after(days: list[_dt.date]) -> str:
    """An instant safely after the last local day in any zone (for availability)."""
    return (days[-1] + _dt.timedelta(days=2)).isoformat() + "T00:00Z"


def _relay(
    draw: DrawFn,
    made: list[Session],
    chosen: list[tuple[int, int, int]],
    channel_count: int,
    max_sessions: int,
) -> list[Session]:
    """Maybe simulcast the first session in a channel free at its slot."""
    if not made or len(made) >= max_sessions or not draw(st.booleans()):
        return []
    day, slot, _ = chosen[0]
    used = {c for d, s, c in chosen if (d, s) == (day, slot)}
    free = [c for c in range(channel_count) if c not in used]
    if not free:
        return []
    other = free[0]
    original = made[0]
    return [
        attrs.evolve(
            original,
            id="relay",
            channel=f"ch{other}",
            technician=f"t{other}",
            chat_expert=f"e{other}",
            relay_of=original.id,
            follows_up=None,
        )
    ]


def broadcast_logs(
    session: Session,
    *,
    max_events: int = 12,
    max_on_air: int = 1,
    ended: bool | None = None,
) -> SearchStrategy[tuple[BroadcastEvent, ...]]:
    """Legal command sequences for one session's broadcast.

    Each step picks a command the state machine accepts (go live first; bring on air a
    lineup speaker while there is room; take off air someone on air; end), acted by the
    technician or the moderator, at a time that never goes backwards (equal times
    included). The session needs a technician or a moderator.

    Args:
        session: The session on air.
        max_events: Most events in a log.
        max_on_air: The broadcast's limit of speakers on air at once.
        ended: ``True``: every log ends with ``end``; ``False``: none does; ``None``: either.
    """
    crew = [person for person in (session.technician, session.moderator) if person is not None]
    if not crew:
        raise ValueError("the session needs a technician or a moderator to run a broadcast")
    if max_events < (2 if ended else 0):
        raise ValueError("an ended broadcast needs max_events >= 2")

    @st.composite
    def build(draw: DrawFn) -> tuple[BroadcastEvent, ...]:
        at = session.starts_at + draw(st.timedeltas(_dt.timedelta(0), _dt.timedelta(minutes=10)))
        gaps = st.timedeltas(_dt.timedelta(0), _dt.timedelta(minutes=20))
        events: list[BroadcastEvent] = []
        if ended is not True and not draw(st.integers(0, 9)):
            return ()  # still scheduled
        events.append(
            BroadcastEvent(command=Command.GO_LIVE, at=at, by=draw(st.sampled_from(crew)))
        )
        on_air: list[str] = []
        budget = max_events - (1 if ended else 0)
        while len(events) < budget:
            choices: list[tuple[Command, str | None]] = [
                (Command.BRING_ON_AIR, speaker)
                for speaker in session.speakers
                if speaker not in on_air and len(on_air) < max_on_air
            ]
            choices += [(Command.TAKE_OFF_AIR, speaker) for speaker in on_air]
            if ended is None:
                choices.append((Command.END, None))
            if not choices:
                break
            command, speaker = draw(st.sampled_from(choices))
            at = at + draw(gaps)
            events.append(
                BroadcastEvent(
                    command=command, at=at, by=draw(st.sampled_from(crew)), speaker=speaker
                )
            )
            if command is Command.END:
                return tuple(events)
            if command is Command.BRING_ON_AIR:
                on_air.append(str(speaker))
            else:
                on_air.remove(str(speaker))
        if ended:
            at = at + draw(gaps)
            events.append(
                BroadcastEvent(command=Command.END, at=at, by=draw(st.sampled_from(crew)))
            )
        return tuple(events)

    return build()


def broadcasts(
    session: Session, *, max_events: int = 12, max_on_air: int = 1, ended: bool | None = None
) -> SearchStrategy[Broadcast]:
    """Broadcasts of one session built from ``broadcast_logs``."""
    return broadcast_logs(session, max_events=max_events, max_on_air=max_on_air, ended=ended).map(
        lambda log: Broadcast(session=session, max_on_air=max_on_air, log=log)
    )


_LABELS: Final = ("digital", "higher", "general", "robotics", "parents")
_EXPO_DAY: Final = _dt.date(2020, 4, 27)


def exhibitions(
    *, max_side: int = 3, max_stands: int = 12, max_webinars: int = 4
) -> SearchStrategy[Exhibition]:
    """Valid exhibitions on a grid of junctions (a spanning tree plus extra alleys).

    Stands sit at distinct offsets along the alleys; some keep opening hours on one
    day (27 April 2020, Moscow time); webinar rooms at stands hold non-overlapping
    webinars that day, some of them full.
    """

    @st.composite
    def build(draw: DrawFn) -> Exhibition:
        columns, rows = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
        if columns * rows == 1:
            columns = 2
        names = [f"j{c}-{r}" for c in range(columns) for r in range(rows)]
        junctions = [
            Junction(id=f"j{c}-{r}", x=c * 50.0, y=r * 50.0)
            for c in range(columns)
            for r in range(rows)
        ]
        pairs = [
            (f"j{c}-{r}", f"j{c + dc}-{r + dr}")
            for c in range(columns)
            for r in range(rows)
            for dc, dr in ((1, 0), (0, 1))
            if c + dc < columns and r + dr < rows
        ]
        order = draw(st.permutations(pairs))
        parent = {name: name for name in names}

        def root(name: str) -> str:
            while parent[name] != name:
                name = parent[name]
            return name

        chosen = []
        for a, b in order:
            if root(a) != root(b):
                parent[root(a)] = root(b)
                chosen.append((a, b))
            elif draw(st.booleans()):
                chosen.append((a, b))
        alleys = [
            Alley(
                id=f"alley{n}",
                name=f"Alley {n}",
                start=a,
                end=b,
                length=draw(st.sampled_from([20.0, 35.5, 50.0, 80.0])),
            )
            for n, (a, b) in enumerate(chosen)
        ]
        day = _EXPO_DAY
        morning = at_local(_dt.datetime.combine(day, _dt.time(9)), "Europe/Moscow")
        count = draw(st.integers(1, max_stands))
        spots = draw(
            st.lists(
                st.tuples(st.integers(0, len(alleys) - 1), st.integers(1, 19)),
                min_size=count,
                max_size=count,
                unique=True,
            )
        )
        exhibitors = [
            Exhibitor(id="biz", name="Business", kind=ExhibitorKind.BUSINESS),
            Exhibitor(
                id="sys",
                name="Regional system",
                kind=ExhibitorKind.REGIONAL_SYSTEM,
                region="RU-SAM",
            ),
            Exhibitor(id="uni", name="Institution", kind=ExhibitorKind.INSTITUTION),
        ]
        stands = []
        for n, (alley, slot) in enumerate(spots):
            hours = draw(st.none() | st.tuples(st.integers(0, 6), st.integers(1, 8)))
            opening = (
                []
                if hours is None
                else [
                    Interval(
                        start=morning + _dt.timedelta(hours=hours[0]),
                        end=morning + _dt.timedelta(hours=hours[0] + hours[1]),
                    )
                ]
            )
            stands.append(
                Stand(
                    id=f"s{n}",
                    name=f"Stand {n}",
                    exhibitor=draw(st.sampled_from(["biz", "sys", "uni"])),
                    alley=alleys[alley].id,
                    offset=alleys[alley].length * slot / 20,
                    clusters=draw(st.sets(st.sampled_from(_LABELS[:3]), max_size=2)),
                    tags=draw(st.sets(st.sampled_from(_LABELS[3:]), max_size=1)),
                    video=draw(
                        st.none()
                        | st.builds(
                            lambda m: Video(title="Video", duration=_dt.timedelta(minutes=m)),
                            st.integers(1, 15),
                        )
                    ),
                    opening_hours=opening,
                )
            )
        rooms = [
            WebinarRoom(
                id=f"room{n}", name=f"Room {n}", stand=stand.id, capacity=draw(st.integers(1, 50))
            )
            for n, stand in enumerate(stands[: draw(st.integers(0, min(2, len(stands))))])
        ]
        webinars: list[Webinar] = []
        for room in rooms:
            clock = morning
            for _ in range(draw(st.integers(0, max_webinars))):
                clock += _dt.timedelta(minutes=draw(st.integers(0, 120)))
                length = _dt.timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60])))
                webinars.append(
                    Webinar(
                        id=f"w{len(webinars)}",
                        title="Webinar",
                        room=room.id,
                        starts_at=clock,
                        ends_at=clock + length,
                        registered=draw(st.integers(0, room.capacity)),
                        clusters=draw(st.sets(st.sampled_from(_LABELS), max_size=2)),
                    )
                )
                clock += length
        plan = FloorPlan(junctions=junctions, alleys=alleys, entrance=draw(st.sampled_from(names)))
        return Exhibition(
            name="Test expo",
            floor_plan=plan,
            exhibitors=exhibitors,
            stands=stands,
            rooms=rooms,
            webinars=webinars,
        )

    return build()


def visitors(exhibition: Exhibition | None = None) -> SearchStrategy[Visitor]:
    """Visitors of ``exhibitions()`` on 27 April 2020.

    One to eight hours from 09:00-13:00 Moscow time, interests in its labels, starting
    at the entrance or (given the exhibition) at one of its stands.
    """

    @st.composite
    def build(draw: DrawFn) -> Visitor:
        start = at_local(
            _dt.datetime.combine(_EXPO_DAY, _dt.time(draw(st.integers(9, 13)))), "Europe/Moscow"
        )
        hours = draw(st.integers(1, 8))
        places = [None] if exhibition is None else [None, *(s.id for s in exhibition.stands)]
        return Visitor(
            available=Interval(start=start, end=start + _dt.timedelta(hours=hours)),
            interests=draw(
                st.dictionaries(st.sampled_from(_LABELS), st.integers(0, 5), max_size=4)
            ),
            start=draw(st.sampled_from(places)),
            speed=draw(st.sampled_from([0.5, 1.2, 2.0])),
        )

    return build()


# -- chat moderation -------------------------------------------------------------------

_CHAT_TEXTS: Final = (
    "Добрый вечер из Самары!",
    "Когда будет запись?",
    "Спасибо за доклад",
    "ПОЧЕМУ НЕТ ЗВУКА",
    "см. https://mmco-expo.ru/stream/ch01",
    "заходи на casino.xyz",
    "@a @b @c @d @e @f",
    "ну это х.у.й",
    "пиzдец",
    "сука",
    "what the fuck",
    "",
)


def chat_messages(
    *,
    ids: SearchStrategy[str] = _ids,
    chats: SearchStrategy[str] | None = None,
    texts: SearchStrategy[str] | None = None,
) -> SearchStrategy[ChatMessage]:
    """Chat messages of any role and kind, sometimes replying to another id.

    Args:
        ids: Message, chat and author ids.
        chats: Chat ids (default: ``ids``).
        texts: Texts (default: any text, or a salon-like one: questions, comments,
            shouting, links, mentions and disguised abuse).
    """
    chat_ids = chats if chats is not None else ids
    bodies = texts if texts is not None else st.text(max_size=80) | st.sampled_from(_CHAT_TEXTS)

    @st.composite
    def build(draw: DrawFn) -> ChatMessage:
        message_id = draw(ids)
        return ChatMessage(
            id=message_id,
            chat=draw(chat_ids),
            author=draw(ids),
            role=draw(st.sampled_from(Role)),
            text=draw(bodies),
            sent_at=draw(instants()),
            kind=draw(st.sampled_from(MessageKind)),
            reply_to=draw(st.none() | ids.filter(lambda other: other != message_id)),
        )

    return build()


def chat_logs(
    *, min_size: int = 0, max_size: int = 20, chats: tuple[str, ...] = ("chat-1", "chat-2")
) -> SearchStrategy[tuple[ChatMessage, ...]]:
    """Chat logs: messages with unique ids in a few chats, in the order they were sent.

    Args:
        min_size: Fewest messages.
        max_size: Most messages.
        chats: The chats the messages go to.
    """
    if not 0 <= min_size <= max_size:
        raise ValueError("need 0 <= min_size <= max_size")
    return st.lists(
        chat_messages(chats=st.sampled_from(chats)),
        min_size=min_size,
        max_size=max_size,
        unique_by=lambda message: message.id,
    ).map(lambda messages: tuple(sorted(messages, key=lambda m: (m.sent_at, m.id))))


def _rules() -> SearchStrategy[Rule]:
    roles = st.frozensets(st.sampled_from(Role), max_size=3)
    chats = st.frozensets(_ids, max_size=2)
    actions = st.sampled_from([Action.MASK, Action.HOLD, Action.BLOCK])
    common = {"exempt_roles": roles, "exempt_chats": chats, "strike": st.booleans()}
    seconds = st.integers(1, 3600)
    return st.one_of(
        st.builds(PresetRule, id=st.just("preset"), action=actions, **common,
                  presets=st.lists(st.sampled_from(PRESETS), min_size=1, unique=True),
                  min_severity=st.sampled_from([Severity.WARNING, Severity.ERROR])),
        st.builds(KeywordRule, id=st.just("keyword"), action=actions, **common,
                  terms=st.lists(st.sampled_from(["spam*", "*coin", "casino", "*ставк*"]),
                                 min_size=1, unique=True),
                  allow=st.lists(st.sampled_from(["spamalot", "ставка"]), unique=True)),
        st.builds(SlowModeRule, id=st.just("slow-mode"), **common, interval=st.integers(3, 120)),
        st.builds(FloodRule, id=st.just("flood"), **common, max_messages=st.integers(1, 30),
                  window=seconds),
        st.builds(DuplicateRule, id=st.just("duplicate"), **common, window=seconds),
        st.builds(MaxLengthRule, id=st.just("max-length"), **common,
                  max_chars=st.integers(1, 5000)),
        st.builds(CapsRule, id=st.just("caps"), action=actions, **common,
                  max_ratio=st.floats(0.05, 1.0), min_letters=st.integers(1, 40)),
        st.builds(MentionRule, id=st.just("mentions"), **common, max_mentions=st.integers(0, 10)),
        st.builds(LinkRule, id=st.just("links"), action=actions, **common,
                  allowed_domains=st.lists(st.sampled_from(["mmco-expo.ru", "example.org"])),
                  hold_newcomer_links=st.booleans()),
    )  # fmt: skip


def policies(*, max_rules: int = 5) -> SearchStrategy[Policy]:
    """Moderation policies: rules of different kinds, either mode, a sanctions ladder.

    Regex rules are left out: they need the ``re2`` extra.

    Args:
        max_rules: Most rules in a policy.
    """
    steps = st.one_of(
        st.just(Step(kind=SanctionKind.WARN)),
        st.just(Step(kind=SanctionKind.BAN)),
        st.integers(10, 86_400).map(
            lambda s: Step(kind=SanctionKind.TIMEOUT, duration=_dt.timedelta(seconds=s))
        ),
    )
    return st.builds(
        Policy,
        rules=st.lists(_rules(), max_size=max_rules, unique_by=lambda rule: rule.id),
        mode=st.sampled_from(Mode),
        premoderated=st.frozensets(st.sampled_from(Role), max_size=2),
        hold_expiry=st.integers(1, 86_400),
        ladder=st.lists(steps, max_size=4),
        strike_memory=st.integers(1, 7 * 86_400),
    )
