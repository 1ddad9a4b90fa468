"""Read frab/pentabarf ``schedule.xml`` and c3voc ``schedule.json``; write ``schedule.json``.

[`load`][mmso_core.io.frab.load] reads the schedules that frab, pretalx, pentabarf
(FOSDEM), wafer (DebConf) and the c3voc merge tools publish, and turns one into a
[`Programme`][mmso_core.schedule.Programme].
[`dumps_json`][mmso_core.io.frab.dumps_json] writes a programme as a c3voc
``schedule.json`` that validates against the c3voc JSON schema. Only the standard
library is used (``json`` and ``xml.etree``), so no extra is needed.

>>> from mmso_core.io.frab import dumps_json, load
>>> programme = load('''<schedule><conference><title>Demo Days</title>
...   <time_zone_name>Europe/Berlin</time_zone_name></conference>
...   <day index="1" date="2026-03-28"><room name="Saal 1">
...     <event id="7"><start>10:00</start><duration>00:45</duration>
...       <title>Opening</title><type>lecture</type>
...       <persons><person id="3">Ada</person></persons></event>
...   </room></day></schedule>''')
>>> session = programme.session("7")
>>> session.starts_at.isoformat(), session.format.value, session.speakers
('2026-03-28T09:00:00+00:00', 'lecture', ('3',))
>>> load(dumps_json(programme)).sessions == programme.sessions
True

## How a conference maps onto the model

Files in the wild miss fields the c3voc schema calls required, so reading is lenient:
a missing field takes a documented default, and only a value that cannot be read at
all (a time that is not a time, a naive time with no zone) is refused, with an
[`InvalidValueError`][mmso_core.InvalidValueError] whose ``field`` is the path of
the bad input: ``schedule.conference.days[1].rooms['Saal 1'][3].date`` in JSON (list
indexes from 0, as in the file), ``/schedule/day[2]/room[@name='Saal 1']/event[4]/start``
in XML (XPath, counting from 1).

* **Salon.** Its ``name`` is the conference ``title`` (else its ``acronym``, else
  ``"Imported schedule"``). Its ``zone`` is the ``zone`` argument if given, else the
  file's ``time_zone_name``, else the zone a file written by ``dumps_json`` keeps in
  its ``meta``, else ``"UTC"`` (36C3 names no zone but writes every time with an
  offset: its instants are exact, only local days are read in UTC then).
* **Phase.** One ``main`` phase named like the salon, with no intensity limits,
  spanning the conference's ``start``..``end`` dates, widened to the local days
  (in the salon's zone) of the first start and the last end, so every session lies
  in it (36C3's last event ends on 31 December, after the conference's ``end``).
* **Times.** An event's ``date`` with an offset is its start instant, whatever its
  ``start`` says (DebConf writes UTC ``date`` values and local ``start`` wall
  times; both agree). A naive ``date``, or a day's ``date`` plus the event's
  ``start`` (FOSDEM's ``HH:MM``), is a wall time read in the salon's zone with
  ``disambiguate`` (default ``"compatible"``, RFC 5545's choice); a wall time earlier
  than the conference's ``day_change`` belongs to the next calendar day. Without a
  zone a naive time is refused. The end is the event's ``end`` date-time if given,
  else the start plus ``duration`` (``H:MM`` or ``H:MM:SS``); a missing or zero
  duration gives one ``timeslot_duration`` (5 minutes if the file has none).
* **Channels.** Every room becomes a channel whose id and name are the room's name
  (rooms without events too, and the JSON ``conference.rooms`` list first). An
  event sits in the room that holds it in the file.
* **Sessions.** The id is the event's ``id`` (else its ``guid``, else its
  ``slug``, else ``event-N``); a repeated id (13 in 36C3) gets ``-2``, ``-3``...
  in file order. The title is the ``title`` (else the ``slug``, else
  ``"event <id>"``), the cluster the ``track``, and the format comes from the
  ``type``: the first word of it that names a format (``"Long talk (45 minutes)"``
  is a talk; ``hands-on`` a workshop; ``podium`` a panel; ``bof`` and ``meeting`` a
  round table; ``discussion`` a debate; anything else ``other``).
* **People.** Every person becomes a [`Person`][mmso_core.schedule.Person] with
  the salon's zone (a schedule says nothing of where people live; with the ``"UTC"``
  fallback they get no zone). The person's id is the file's person id when that id
  always goes with one name; merged schedules reuse ids for different people (36C3
  gives ``id="0"`` to every wiki person), so an id seen with several names becomes
  ``"<id>/<name>"``, and a missing id or ``"0"`` gives the name itself (``#2``
  follows an id that is already taken). The same
  human under two ids of two sub-schedules stays two people, as the file has them.
* **Roles.** A person's ``role`` (XML attribute or JSON key: ``moderator``,
  ``speaker``, ``technician``, ``chat-expert``; pretalx and frab write none) is
  kept; a person without one is a speaker. A second moderator, technician or chat
  expert of one event becomes a speaker; a person listed twice as speaker counts
  once.
* **Simulcasts.** Two events in different rooms that start at the same instant, end
  within 10 minutes of each other, have the same title once case, accents and
  punctuation are dropped (or one title begins with the other: "State of the
  Waffle" and "State of the Waffle - cbase live"), and whose people share a name
  word of three letters or more (events listing nobody are never merged: 36C3 holds
  meetings of one title in several rooms at once) are one talk streamed in two
  rooms: the first in the file is the original, the other its ``relay_of``, and the
  relay runs at its original's times (the model's rule for a simulcast; rC3's c-base
  stream ends 2 minutes early in the file). ``check()`` then does not book the
  speaker twice. Talks relayed at another start time (rC3 has a few) stay separate
  sessions; they come from sub-schedules with their own person ids, so they book
  different people. A file written by ``dumps_json`` carries its relays in ``meta``
  and is not searched for more.

## What ``dumps_json`` writes, and what comes back

Each session is an event (numbered ``id`` and ``slug`` in start order, ``url`` the
``urn:uuid:`` of its ``guid``) in the day of its local start date (in the salon's zone),
under its channel's name (a name two channels share gets `` (<id>)``): ``date`` and
``end`` carry the exact instants with the zone's offset, ``start`` and ``duration``
the local ``HH:MM`` and the length in whole minutes; ``type`` the format, ``track``
the cluster; ``persons`` the moderator, speakers (in order), technician and chat
expert by name with their ``role``. ``guid`` values are UUID 5 of the ids, and the
ids themselves, the relay links and the names of channels and people ride in
``conference.meta["mmso"]``, the schema's place for extensions.

``load(dumps_json(p))`` therefore gives back the salon's name and zone, and every
session's id, title, format, cluster, instants, channel, moderator, speakers,
technician, chat expert and ``relay_of``, and every channel's id, name and url, and
every person's id and name. It does **not** carry the phases (one ``main`` phase
spanning the days comes back), the people's organisation, region, zone and
availability (people come back in the salon's zone), nor a session's audience
regions, ``follows_up`` or ``recording_available_at``. A zone that does not fit the
schema's ``time_zone_name`` pattern is kept only in ``meta``.
"""

import dataclasses
import datetime as _dt
import json
import os
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from mmso_core._time import (
    Disambiguate,
    Instant,
    ZoneLike,
    at_local,
    in_zone,
    resolve_zone,
    to_instant,
)
from mmso_core.errors import InvalidValueError
from mmso_core.io._ids import stable_uuid
from mmso_core.schedule import (
    Channel,
    Person,
    Phase,
    PhaseKind,
    Programme,
    Role,
    Salon,
    Session,
    SessionFormat,
)
from mmso_core.schedule._programme import micros

__all__ = ["GUID_NAMESPACE", "SCHEMA_URL", "dumps_json", "load"]

SCHEMA_URL: Final = "https://c3voc.de/schedule/schema.json"
"""The ``$id`` of the c3voc JSON schema that ``dumps_json`` output validates against."""

GUID_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://mmso.example/schedule")
"""The namespace of the UUID 5 ``guid`` values ``dumps_json`` derives from ids."""

_META_KEY: Final = "mmso"
_TZ_PATTERN: Final = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")  # the schema's
_ACRONYM: Final = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")  # the schema's
_DURATION: Final = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$")
_CLOCK: Final = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_NO_ID: Final = frozenset({"", "0"})
_DEFAULT_SLOT: Final = _dt.timedelta(minutes=5)
_RELAY_END_SLACK: Final = 10 * 60 * 1_000_000  # microseconds a relay's end may differ
_ROLES: Final = {
    "moderator": Role.MODERATOR,
    "host": Role.MODERATOR,
    "speaker": Role.SPEAKER,
    "technician": Role.TECHNICIAN,
    "chat-expert": Role.CHAT_EXPERT,
    "chat_expert": Role.CHAT_EXPERT,
}
_FORMAT_WORDS: Final = {
    **{item.value: item for item in SessionFormat},
    "talks": SessionFormat.TALK,
    "lightningtalk": SessionFormat.TALK,
    "keynote": SessionFormat.PLENARY,
    "hands-on": SessionFormat.WORKSHOP,
    "workshops": SessionFormat.WORKSHOP,
    "podium": SessionFormat.PANEL,
    "bof": SessionFormat.ROUND_TABLE,
    "meeting": SessionFormat.ROUND_TABLE,
    "meetup": SessionFormat.ROUND_TABLE,
    "discussion": SessionFormat.DEBATE,
    "seminar": SessionFormat.WEBINAR,
}


# --- the neutral form both readers produce ---------------------------------------------


@dataclasses.dataclass(frozen=True)
class _RawPerson:
    path: str
    id: str
    name: str
    role: str | None
    guid: str | None


@dataclasses.dataclass(frozen=True)
class _RawEvent:
    path: str
    sep: str  # how the path names a child field: "." in JSON, "/" in XML
    room: str
    day_date: str | None
    day_path: str
    fields: Mapping[str, str | None]
    persons: tuple[_RawPerson, ...]

    def at(self, name: str) -> str:
        return f"{self.path}{self.sep}{name}"

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


@dataclasses.dataclass(frozen=True)
class _RawSchedule:
    conference: Mapping[str, str | None]
    conference_path: str
    sep: str
    rooms: tuple[str, ...]
    events: tuple[_RawEvent, ...]
    meta: Mapping[str, Any]


def _clean(value: object) -> str | None:
    """A field's text, whitespace collapsed, or ``None`` if empty or absent."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = " ".join(str(value).split())
    return text or None


# --- reading the source -----------------------------------------------------------------


def _read_text(source: "str | os.PathLike[str]") -> str:
    if isinstance(source, os.PathLike):
        return _read_file(Path(source))
    if not isinstance(source, str):
        raise InvalidValueError(
            field="source",
            value=source,
            reason="must be a path (str or pathlib.Path) or the text of a schedule",
        )
    stripped = source.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("<", "{", "[")):
        return source
    if "\n" in source:
        raise InvalidValueError(
            field="source",
            value=source[:60],
            reason="is neither a path nor a schedule (XML starts with '<', JSON with '{')",
        )
    return _read_file(Path(source))


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidValueError(
            field="source", value=str(path), reason=f"cannot be read: {exc}"
        ) from None


def _parse(text: str) -> _RawSchedule:
    body = text.lstrip("\ufeff \t\r\n")
    if body.startswith(("{", "[")):
        try:
            document = json.loads(body)
        except json.JSONDecodeError as exc:
            raise InvalidValueError(
                field="source",
                value=body[:60],
                reason=f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            ) from None
        except RecursionError:
            raise InvalidValueError(
                field="source", value=body[:60], reason="is JSON nested too deeply to read"
            ) from None
        return _from_json(document)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise InvalidValueError(
            field="source", value=body[:60], reason=f"is not well-formed XML: {exc}"
        ) from None
    return _from_xml(root)


def _from_json(document: object) -> _RawSchedule:
    if not isinstance(document, dict):
        raise InvalidValueError(field="(root)", value=document, reason="must be a JSON object")
    if "schedule" in document:
        schedule, prefix = document["schedule"], "schedule"
    else:  # a bare schedule object, as some exporters write
        schedule, prefix = document, "(root)"
    if not isinstance(schedule, dict):
        raise InvalidValueError(field=prefix, value=schedule, reason="must be an object")
    conference = schedule.get("conference")
    conf_path = f"{prefix}.conference"
    if not isinstance(conference, dict):
        raise InvalidValueError(
            field=conf_path, value=conference, reason="must be an object (the conference)"
        )
    rooms: list[str] = []
    listed = conference.get("rooms")
    if isinstance(listed, list):
        for item in listed:
            name = _clean(item.get("name")) if isinstance(item, dict) else _clean(item)
            if name is not None and name not in rooms:
                rooms.append(name)
    events = _json_days(conference.get("days", []), conf_path, rooms)
    meta = conference.get("meta")
    mmso = meta.get(_META_KEY) if isinstance(meta, dict) else None
    return _RawSchedule(
        conference={key: _clean(value) for key, value in conference.items()},
        conference_path=conf_path,
        sep=".",
        rooms=tuple(rooms),
        events=events,
        meta=mmso if isinstance(mmso, dict) else {},
    )


def _json_days(days: object, conf_path: str, rooms: list[str]) -> tuple[_RawEvent, ...]:
    """The events of every day, adding the rooms they name to ``rooms``."""
    if not isinstance(days, list):
        raise InvalidValueError(field=f"{conf_path}.days", value=days, reason="must be a list")
    events: list[_RawEvent] = []
    for day_number, day in enumerate(days):
        day_path = f"{conf_path}.days[{day_number}]"
        if not isinstance(day, dict):
            raise InvalidValueError(field=day_path, value=day, reason="must be an object")
        day_rooms = day.get("rooms", {})
        if not isinstance(day_rooms, dict):
            raise InvalidValueError(
                field=f"{day_path}.rooms", value=day_rooms, reason="must map room names to events"
            )
        for room_key, items in day_rooms.items():
            room = _clean(room_key)
            room_path = f"{day_path}.rooms[{room_key!r}]"
            if room is None:
                raise InvalidValueError(
                    field=room_path, value=room_key, reason="a room needs a name"
                )
            if room not in rooms:
                rooms.append(room)
            if not isinstance(items, list):
                raise InvalidValueError(field=room_path, value=items, reason="must be a list")
            for number, event in enumerate(items):
                path = f"{room_path}[{number}]"
                if not isinstance(event, dict):
                    raise InvalidValueError(field=path, value=event, reason="must be an object")
                events.append(
                    _RawEvent(
                        path=path,
                        sep=".",
                        room=room,
                        day_date=_clean(day.get("date")),
                        day_path=f"{day_path}.date",
                        fields={key: _clean(value) for key, value in event.items()},
                        persons=_json_persons(event.get("persons"), f"{path}.persons"),
                    )
                )
    return tuple(events)


def _json_persons(value: object, path: str) -> tuple[_RawPerson, ...]:
    if value is None:
        return ()  # rC3: 65 events have no "persons" at all
    if not isinstance(value, list):
        raise InvalidValueError(field=path, value=value, reason="must be a list of persons")
    found = []
    for number, entry in enumerate(value):
        where = f"{path}[{number}]"
        item = {"name": entry} if isinstance(entry, str) else entry
        if not isinstance(item, dict):
            raise InvalidValueError(field=where, value=item, reason="must be a person object")
        name = (
            _clean(item.get("public_name"))
            or _clean(item.get("name"))
            or _clean(item.get("full_public_name"))
        )
        found.append(
            _RawPerson(
                path=where,
                id=_clean(item.get("id")) or _clean(item.get("code")) or "",
                name=name or "",
                role=_clean(item.get("role")),
                guid=_clean(item.get("guid")),
            )
        )
    return tuple(found)


def _from_xml(root: ET.Element) -> _RawSchedule:
    if root.tag != "schedule":
        raise InvalidValueError(
            field=f"/{root.tag}", value=root.tag, reason="the root element must be <schedule>"
        )
    conference = root.find("conference")
    fields: dict[str, str | None] = {}
    if conference is not None:
        fields = {child.tag: _clean(child.text) for child in conference}
    rooms: list[str] = []
    events: list[_RawEvent] = []
    for day_number, day in enumerate(root.findall("day"), start=1):
        day_path = f"/schedule/day[{day_number}]"
        for room_element in day.findall("room"):
            room = _clean(room_element.get("name"))
            if room is None:
                raise InvalidValueError(
                    field=f"{day_path}/room", value=None, reason="a room needs a name attribute"
                )
            if room not in rooms:
                rooms.append(room)
            room_path = f"{day_path}/room[@name={room!r}]"
            for number, event in enumerate(room_element.findall("event"), start=1):
                path = f"{room_path}/event[{number}]"
                values: dict[str, str | None] = {
                    "id": _clean(event.get("id")),
                    "guid": _clean(event.get("guid")),
                }
                for child in event:
                    if child.tag not in ("persons", "links", "attachments", "recording"):
                        values[child.tag] = _clean(child.text)
                persons = tuple(
                    _RawPerson(
                        path=f"{path}/persons/person[{k}]",
                        id=_clean(person.get("id")) or "",
                        name=_clean("".join(person.itertext())) or "",
                        role=_clean(person.get("role")),
                        guid=_clean(person.get("guid")),
                    )
                    for k, person in enumerate(event.findall("persons/person"), start=1)
                )
                events.append(
                    _RawEvent(
                        path=path,
                        sep="/",
                        room=room,
                        day_date=_clean(day.get("date")),
                        day_path=f"{day_path}/@date",
                        fields=values,
                        persons=persons,
                    )
                )
    return _RawSchedule(
        conference=fields,
        conference_path="/schedule/conference",
        sep="/",
        rooms=tuple(rooms),
        events=tuple(events),
        meta={},
    )


# --- building the programme ---------------------------------------------------------------


def load(
    source: "str | os.PathLike[str]",
    *,
    zone: ZoneLike | None = None,
    disambiguate: Disambiguate = "compatible",
) -> Programme:
    """Read a frab/pentabarf ``schedule.xml`` or a c3voc ``schedule.json``.

    The module docstring lists how each part of the file maps onto the programme.

    Args:
        source: A path (``str`` or ``pathlib.Path``) or the file's text (XML starts
            with ``<``, JSON with ``{``).
        zone: The conference's zone (an IANA name or zone): read naive times in it,
            and make it the salon's zone. Overrides the file's ``time_zone_name``.
        disambiguate: How naive wall times that happen twice or never in the zone
            are read (see [`at_local`][mmso_core.at_local]).

    Returns:
        The programme: one salon with one phase, the rooms as channels, the persons
        as people, one session per event.

    Raises:
        InvalidValueError: The source cannot be read, or a value in it cannot be
            (its ``field`` is the path of the value in the file), or a naive time
            has no zone to be read in.
        UnknownZoneError: ``zone`` or the file's ``time_zone_name`` is unknown.
    """
    raw = _parse(_read_text(source))
    conference, sep = raw.conference, raw.sep
    zone_path = f"{raw.conference_path}{sep}time_zone_name"
    declared: str | None
    named = conference.get("time_zone_name")
    if zone is not None:
        declared = Salon(name="zone", zone=zone).zone  # refuses fixed offsets, names the zone
    elif named is not None:
        declared = _known_zone(named, zone_path)
    elif isinstance(raw.meta.get("zone"), str):
        declared = _known_zone(raw.meta["zone"], f"{raw.conference_path}.meta.mmso.zone")
    else:
        declared = None
    reader = _Reader(raw, declared, disambiguate)
    sessions = reader.sessions()
    salon_zone = declared or "UTC"
    title = conference.get("title") or conference.get("acronym") or "Imported schedule"
    salon = Salon(
        name=title,
        zone=salon_zone,
        phases=[_phase(title, raw, sessions, salon_zone)],
    )
    people = [
        Person(id=person_id, name=name, zone=declared) for person_id, name in reader.people.items()
    ]
    channels = [Channel(id=cid, name=name, url=url) for cid, (name, url) in reader.channels.items()]
    return Programme(salon=salon, people=people, channels=channels, sessions=sessions)


def _known_zone(name: str, path: str) -> str:
    resolve_zone(name, field=path)  # an unknown name: UnknownZoneError naming the path
    return Salon(name="zone", zone=name).zone


class _Reader:
    """Turns raw events into sessions, collecting people and channels on the way."""

    def __init__(self, raw: _RawSchedule, zone: str | None, disambiguate: Disambiguate) -> None:
        self.raw = raw
        self.zone = zone
        self.disambiguate = disambiguate
        conference = raw.conference
        self.slot = _default_slot(conference.get("timeslot_duration"))
        self.day_change = _day_change(conference.get("day_change"))
        meta = raw.meta
        self.meta_sessions = _meta_map(meta.get("sessions"))
        self.meta_people = _meta_map(meta.get("people"))
        self.meta_channels = _meta_map(meta.get("channels"))
        self.people: dict[str, str] = {}  # id -> name, in order of appearance
        self.channels: dict[str, tuple[str, str | None]] = {}
        self.room_ids: dict[str, str] = {}
        self._seen_guids: set[str] = set()  # people of meta that events name
        for room in raw.rooms:
            entry = self.meta_channels.get(room, {})
            cid = _text_or(entry.get("id"), room)
            self.room_ids[room] = cid
            self.channels[cid] = (_text_or(entry.get("name"), room), _text(entry.get("url")))
        self.person_ids = self._person_ids()
        for guid, entry in self.meta_people.items():  # people in no event, from our own files
            pid = _text(entry.get("id"))
            if pid is not None and guid not in self._seen_guids:
                self.people.setdefault(pid, _text_or(entry.get("name"), pid))

    def _person_ids(self) -> dict[tuple[str, str, str], str]:
        """The model id of each (file id, name) pair; see the module docstring."""
        names_of: defaultdict[str, set[str]] = defaultdict(set)
        for event in self.raw.events:
            for person in event.persons:
                names_of[person.id].add(person.name)
        taken = {pid for pid, names in names_of.items() if pid not in _NO_ID and len(names) == 1}
        ids: dict[tuple[str, str, str], str] = {}
        for event in self.raw.events:
            for person in event.persons:
                key = _person_key(person)
                if key in ids or not (person.id or person.name):
                    continue
                entry = self.meta_people.get(person.guid or "", {})
                pid = _text(entry.get("id"))
                if pid is not None:
                    self._seen_guids.add(person.guid or "")
                elif person.id not in _NO_ID and len(names_of[person.id]) == 1:
                    pid = person.id
                else:
                    base = f"{person.id}/{person.name}" if person.id not in _NO_ID else person.name
                    pid = base or f"person-{person.id}"
                    number = 1
                    while pid in taken:
                        number += 1
                        pid = f"{base}#{number}"
                    taken.add(pid)
                ids[key] = pid
        return ids

    def _session_ids(self) -> list[str]:
        events = self.raw.events
        firsts = [
            _text(self.meta_sessions.get(e.get("guid") or "", {}).get("id"))
            or e.get("id")
            or e.get("guid")
            or e.get("slug")
            or f"event-{n + 1}"
            for n, e in enumerate(events)
        ]
        taken = set(firsts)  # a suffixed id never takes an id the file uses
        used: set[str] = set()
        ids = []
        for first in firsts:
            chosen, number = first, 1
            while chosen in used or (number > 1 and chosen in taken):
                number += 1
                chosen = f"{first}-{number}"
            used.add(chosen)
            ids.append(chosen)
        return ids

    def sessions(self) -> list[Session]:
        ids = self._session_ids()
        made: list[Session] = []
        starts: dict[int, list[_Seen]] = {}
        for session_id, event in zip(ids, self.raw.events, strict=True):
            session = self._session(session_id, event)
            meta = self.meta_sessions.get(event.get("guid") or "")
            if meta is not None:
                relay = _text(meta.get("relay_of"))
                if relay is not None:
                    session = _with_relay(session, relay)
            elif not self.meta_sessions:
                session = self._simulcast(session, event, starts)
            made.append(session)
        return made

    def _simulcast(
        self, session: Session, event: _RawEvent, starts: "dict[int, list[_Seen]]"
    ) -> Session:
        """Make the session a relay of an earlier one if it is the same talk elsewhere."""
        seen = _Seen(
            session=session,
            title=_title_key(session.title),
            words=frozenset(
                word
                for person in event.persons
                for word in _title_words(person.name)
                if len(word) > 2
            ),
        )
        group = starts.setdefault(micros(session.starts_at), [])
        chosen = None
        for other in group:
            if other.session.relay_of is None and seen.relays(other, group):
                chosen = other.session
                break
        if chosen is not None:
            seen = dataclasses.replace(
                seen, session=_with_relay(session, chosen.id, chosen.ends_at)
            )
        group.append(seen)
        return seen.session

    def _session(self, session_id: str, event: _RawEvent) -> Session:
        starts_at = self._start(event)
        ends_at = self._end(event, starts_at)
        roles = self._roles(event)
        title = event.get("title") or event.get("slug") or f"event {session_id}"
        return Session(
            id=session_id,
            title=title,
            format=_format(event.get("type")),
            starts_at=starts_at,
            ends_at=ends_at,
            channel=self.room_ids[event.room],
            moderator=roles[Role.MODERATOR][0] if roles[Role.MODERATOR] else None,
            speakers=roles[Role.SPEAKER],
            technician=roles[Role.TECHNICIAN][0] if roles[Role.TECHNICIAN] else None,
            chat_expert=roles[Role.CHAT_EXPERT][0] if roles[Role.CHAT_EXPERT] else None,
            cluster=event.get("track"),
        )

    def _roles(self, event: _RawEvent) -> dict[Role, list[str]]:
        roles: dict[Role, list[str]] = {role: [] for role in Role}
        for person in event.persons:
            pid = self.person_ids.get(_person_key(person))
            if pid is None:
                continue  # an entry with neither id nor name says nothing
            self.people.setdefault(pid, person.name or f"person {person.id}")
            role = _ROLES.get((person.role or "speaker").casefold(), Role.SPEAKER)
            if role is not Role.SPEAKER and roles[role]:
                role = Role.SPEAKER  # one moderator, technician, chat expert per session
            if pid not in roles[role]:
                roles[role].append(pid)
        return roles

    def _start(self, event: _RawEvent) -> Instant:
        date = event.get("date")
        if date is not None and len(date) > len("YYYY-MM-DD"):
            return self._instant(date, event.at("date"))
        start = event.get("start")
        if start is None:
            raise InvalidValueError(
                field=event.at("start"),
                value=None,
                reason="an event needs a date-time ('date') or a start time ('start')",
            )
        clock = _CLOCK.match(start)
        if clock is None:
            if "T" in start:  # a full date-time where the time was expected
                return self._instant(start, event.at("start"))
            raise InvalidValueError(
                field=event.at("start"), value=start, reason="must be a time HH:MM"
            )
        day = _day(date or event.day_date, event.at("date") if date else event.day_path)
        hour, minute, second = (int(part or 0) for part in clock.groups())
        try:
            wall_time = _dt.time(hour, minute, second)
        except ValueError:
            raise InvalidValueError(
                field=event.at("start"), value=start, reason="must be a time HH:MM"
            ) from None
        if wall_time < self.day_change:
            day += _dt.timedelta(days=1)
        return self._wall(_dt.datetime.combine(day, wall_time), event.at("start"))

    def _instant(self, text: str, path: str) -> Instant:
        try:
            parsed = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise InvalidValueError(
                field=path, value=text, reason="must be an ISO 8601 date-time"
            ) from None
        if parsed.utcoffset() is None:
            return self._wall(parsed, path)
        return to_instant(parsed, field=path)

    def _wall(self, wall: _dt.datetime, path: str) -> Instant:
        if self.zone is None:
            raise InvalidValueError(
                field=path,
                value=wall.isoformat(),
                reason="is a naive local time and the file has no time_zone_name: "
                "name the conference's zone, e.g. load(source, zone='Europe/Brussels')",
            )
        return at_local(wall, self.zone, disambiguate=self.disambiguate, field=path)

    def _end(self, event: _RawEvent, starts_at: Instant) -> Instant:
        end = event.get("end")
        value: str | None = end
        if end is not None and len(end) > len("HH:MM:SS"):
            ends_at = self._instant(end, event.at("end"))
            path = event.at("end")
        else:
            length = _duration(event.get("duration"), event.at("duration")) or self.slot
            ends_at = starts_at + length
            path, value = event.at("duration"), event.get("duration")
        if ends_at <= starts_at:
            raise InvalidValueError(
                field=path, value=value, reason="the event must end after it starts"
            )
        return ends_at


def _person_key(person: _RawPerson) -> tuple[str, str, str]:
    """What tells people apart: guid, file id (``"0"`` counts as none) and name."""
    return (person.guid or "", "" if person.id in _NO_ID else person.id, person.name)


def _with_relay(session: Session, original: str, ends_at: Instant | None = None) -> Session:
    if ends_at is None:
        return attrs.evolve(session, relay_of=original)
    return attrs.evolve(session, relay_of=original, ends_at=ends_at)


@dataclasses.dataclass(frozen=True)
class _Seen:
    """A session already read, with what simulcast detection compares."""

    session: Session
    title: str
    words: frozenset[str]

    def relays(self, original: "_Seen", group: Sequence["_Seen"]) -> bool:
        """Whether this session is the same talk as ``original``, streamed in another room."""
        mine, theirs = self.session, original.session
        if mine.channel == theirs.channel:
            return False
        if abs(micros(mine.ends_at) - micros(theirs.ends_at)) > _RELAY_END_SLACK:
            return False
        if self.title != original.title and not (
            self.title
            and original.title
            and (self.title.startswith(original.title) or original.title.startswith(self.title))
        ):
            return False
        if not self.words & original.words:  # nobody in common: two events, not one talk
            return False
        family = {theirs.id}
        return not any(
            item.session.channel == mine.channel
            and (item.session.id in family or item.session.relay_of in family)
            for item in group
        )


def _meta_map(value: object) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, dict)}


def _text(value: object) -> str | None:
    """A non-blank string from ``meta``, else ``None``."""
    return value if isinstance(value, str) and value.strip() else None


def _text_or(value: object, default: str) -> str:
    """A non-blank string from ``meta``, else ``default``."""
    found = _text(value)
    return default if found is None else found


def _title_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.findall(r"\w+", plain)


def _title_key(text: str) -> str:
    return "".join(_title_words(text))


def _format(kind: str | None) -> SessionFormat:
    for word in re.findall(r"[\w-]+", (kind or "").casefold()):
        found = _FORMAT_WORDS.get(word) or _FORMAT_WORDS.get(word.replace("-", ""))
        if found is not None:
            return found
    words = re.findall(r"\w+", (kind or "").casefold())
    found = _FORMAT_WORDS.get("-".join(words))  # "round table" -> round-table
    return found or _FORMAT_WORDS.get("".join(words), SessionFormat.OTHER)


def _duration(text: str | None, path: str) -> _dt.timedelta | None:
    if text is None:
        return None
    match = _DURATION.match(text)
    if match is None:
        raise InvalidValueError(field=path, value=text, reason="must be a duration H:MM")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    length = _dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    return length or None


def _default_slot(text: str | None) -> _dt.timedelta:
    if text is None or _DURATION.match(text) is None:
        return _DEFAULT_SLOT
    return _duration(text, "timeslot_duration") or _DEFAULT_SLOT


def _day_change(text: str | None) -> _dt.time:
    match = _CLOCK.match(text or "")
    if match is None:
        return _dt.time()
    hour, minute, second = (int(part or 0) for part in match.groups())
    return _dt.time(hour % 24, minute % 60, second % 60)


def _day(text: str | None, path: str) -> _dt.date:
    if text is None:
        raise InvalidValueError(
            field=path, value=None, reason="a start time HH:MM needs the day's date"
        )
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidValueError(
            field=path, value=text, reason="must be a date YYYY-MM-DD"
        ) from None


def _conference_day(text: str | None) -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        return None  # lenient: a bad conference date only widens nothing


def _phase(title: str, raw: _RawSchedule, sessions: Sequence[Session], zone: str) -> Phase:
    days: list[_dt.date] = []
    for key in ("start", "end"):
        day = _conference_day(raw.conference.get(key))
        if day is not None:
            days.append(day)
    for session in sessions:
        days.append(in_zone(session.starts_at, zone).date())
        last = session.ends_at - _dt.timedelta(microseconds=1)
        days.append(in_zone(last, zone).date())
    days = [_dt.date(day.year, day.month, day.day) for day in days]  # plain, not pendulum
    if not days:
        raise InvalidValueError(
            field=f"{raw.conference_path}{raw.sep}start",
            value=None,
            reason="the schedule has no events and no conference dates: nothing dates it",
        )
    return Phase(kind=PhaseKind.MAIN, name=title, first_day=min(days), last_day=max(days))


# --- writing schedule.json ----------------------------------------------------------------


def _guid(kind: str, identifier: str) -> str:
    return str(stable_uuid(GUID_NAMESPACE, f"{kind}:{identifier}"))


def _acronym(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    candidate = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    if _ACRONYM.match(candidate):
        return candidate
    return f"mmso_{stable_uuid(GUID_NAMESPACE, name).hex[:8]}"


def _minutes(length: _dt.timedelta) -> str:
    total = int(length.total_seconds()) // 60
    return f"{total // 60}:{total % 60:02d}"


def dumps_json(programme: Programme) -> str:
    """Write a programme as a c3voc ``schedule.json`` (valid against the c3voc schema).

    The module docstring lists what each field carries and what ``load`` gives back.

    Args:
        programme: The programme.

    Returns:
        The JSON text (UTF-8 characters kept, two-space indentation).

    Raises:
        InvalidValueError: The programme is not a ``Programme``, or has neither
            phases nor sessions to date the conference by.
    """
    if not isinstance(programme, Programme):
        raise InvalidValueError(field="programme", value=programme, reason="must be a Programme")
    salon = programme.salon
    zone = salon.zone
    local_days = {s.id: in_zone(s.starts_at, zone).date() for s in programme.sessions}
    days = [d for phase in salon.phases for d in (phase.first_day, phase.last_day)]
    days.extend(local_days.values())
    if not days:
        raise InvalidValueError(
            field="programme",
            value=salon.name,
            reason="has no phases and no sessions: nothing dates the conference",
        )
    first, last = min(days), max(days)
    acronym = _acronym(salon.name)
    room_names = _room_names(programme.channels)
    by_day: dict[_dt.date, dict[str, list[dict[str, Any]]]] = {}
    count = (last - first).days + 1
    for offset in range(count):
        by_day[first + _dt.timedelta(days=offset)] = {
            room_names[c.id]: [] for c in programme.channels
        }
    people = {person.id: person for person in programme.people}
    meta_sessions: dict[str, dict[str, str]] = {}
    for number, session in enumerate(programme.ordered, start=1):
        guid = _guid("session", session.id)
        entry = {"id": session.id}
        if session.relay_of is not None:
            entry["relay_of"] = session.relay_of
        meta_sessions[guid] = entry
        start_local = in_zone(session.starts_at, zone)
        by_day[local_days[session.id]][room_names[session.channel]].append(
            {
                "guid": guid,
                "id": number,
                "date": start_local.isoformat(),
                "start": f"{start_local:%H:%M}",
                "end": in_zone(session.ends_at, zone).isoformat(),
                "duration": _minutes(session.duration),
                "room": room_names[session.channel],
                "slug": f"{acronym}-{number}",
                "url": f"urn:uuid:{guid}",
                "title": session.title,
                "subtitle": None,
                "track": session.cluster,
                "type": session.format.value,
                "language": None,
                "abstract": None,
                "persons": [
                    {"name": people[pid].name, "guid": _guid("person", pid), "role": role.value}
                    for pid, role in session.people()
                ],
                "links": [],
            }
        )
    conference: dict[str, Any] = {
        "acronym": acronym,
        "title": salon.name,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "daysCount": count,
        "timeslot_duration": "00:05",
    }
    if _TZ_PATTERN.search(zone):
        conference["time_zone_name"] = zone
    conference["rooms"] = [
        {"name": room_names[c.id], "guid": _guid("channel", c.id)}
        | ({"url": c.url} if c.url is not None else {})
        for c in programme.channels
    ]
    conference["days"] = [
        {
            "index": index,
            "date": day.isoformat(),
            "day_start": in_zone(_midnight(day, zone), zone).isoformat(),
            "day_end": in_zone(_midnight(day + _dt.timedelta(days=1), zone), zone).isoformat(),
            "rooms": rooms,
        }
        for index, (day, rooms) in enumerate(by_day.items(), start=1)
    ]
    conference["meta"] = {
        _META_KEY: {
            "zone": zone,
            "sessions": meta_sessions,
            "people": {
                _guid("person", p.id): {"id": p.id, "name": p.name} for p in programme.people
            },
            "channels": {
                room_names[c.id]: {"id": c.id, "name": c.name} | ({"url": c.url} if c.url else {})
                for c in programme.channels
            },
        }
    }
    from mmso_core import __version__  # noqa: PLC0415 - the package imports io lazily

    document = {
        "$schema": SCHEMA_URL,
        "generator": {"name": "mmso_core", "version": __version__},
        "schedule": {"version": __version__, "conference": conference},
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _midnight(day: _dt.date, zone: str) -> Instant:
    return at_local(_dt.datetime.combine(day, _dt.time()), zone, disambiguate="compatible")


def _room_names(channels: Iterable[Channel]) -> dict[str, str]:
    """A distinct room name per channel: its name, with `` (<id>)`` where names clash."""
    listed = list(channels)
    counts = Counter(channel.name for channel in listed)
    used = {c.name for c in listed if counts[c.name] == 1}
    names: dict[str, str] = {}
    for channel in listed:
        if counts[channel.name] == 1:
            names[channel.id] = channel.name
            continue
        name, number = f"{channel.name} ({channel.id})", 1
        while name in used:
            number += 1
            name = f"{channel.name} ({channel.id}) #{number}"
        used.add(name)
        names[channel.id] = name
    return names
