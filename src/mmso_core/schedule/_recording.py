"""Recordings of ended broadcasts, with chapters from the on-air log.

A recording starts when the broadcast went live and lasts until it ended. Its
chapters tile that period without gaps or overlaps: one chapter per speaker turn,
and one for each stretch in which only the moderator is on air. They export as
WebVTT chapters and as the plain "00:00 Title" list video sites accept.
"""

import datetime as _dt
import itertools
from collections.abc import Mapping
from typing import final

import attrs

from mmso_core._report import Violation
from mmso_core._time import Instant, elapsed, to_instant
from mmso_core.errors import InvalidValueError
from mmso_core.schedule._broadcast import Broadcast, BroadcastStatus
from mmso_core.schedule._programme import Programme
from mmso_core.schedule._rules import Rules, recording_late

__all__ = ["Chapter", "Recording"]


@final
@attrs.frozen(kw_only=True)
class Chapter:
    """A stretch of a recording with the same voices on air.

    Attributes:
        starts: Offset from the recording's start.
        ends: Offset of the chapter's end (the next chapter's start).
        title: "Speaker name — session title" (the moderator's name between turns).
        speakers: Ids of the speakers on air (empty: the moderator alone).
    """

    starts: _dt.timedelta
    ends: _dt.timedelta
    title: str
    speakers: tuple[str, ...] = ()


def _available(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="Recording.available_at")


def _starts(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="Recording.starts_at")


@final
@attrs.frozen(kw_only=True)
class Recording:
    """The recording of one session.

    Attributes:
        session: Id of the session.
        starts_at: When the recording starts (the broadcast went live).
        duration: Its length (until the broadcast ended).
        available_at: When viewers can replay it.
        url: Where, if known.
        chapters: The chapters, tiling ``[0, duration)``.
    """

    session: str
    starts_at: Instant = attrs.field(converter=_starts)
    duration: _dt.timedelta
    available_at: Instant = attrs.field(converter=_available)
    url: str | None = None
    chapters: tuple[Chapter, ...] = ()

    @property
    def ends_at(self) -> Instant:
        """When the recorded broadcast ended."""
        return self.starts_at + self.duration

    @classmethod
    def from_broadcast(
        cls,
        broadcast: Broadcast,
        people: Programme | Mapping[str, str],
        *,
        available_at: _dt.datetime | str | None = None,
        url: str | None = None,
    ) -> "Recording":
        """The recording of an ended broadcast, with a chapter per speaker turn.

        Args:
            broadcast: An ended broadcast.
            people: The programme, or a mapping of person ids to names, for titles.
            available_at: When it becomes available (default: when the broadcast ended,
                as MMSO-2020 promised).
            url: Where it can be replayed.

        Raises:
            InvalidValueError: The broadcast has not ended.
        """
        state = broadcast.state
        if state.status is not BroadcastStatus.ENDED:
            raise InvalidValueError(
                field="broadcast",
                value=broadcast.session.id,
                reason=f"is {state.status.value}; only an ended broadcast has a recording",
            )
        assert state.started_at is not None  # set when it went live
        assert state.ended_at is not None  # set when it ended
        return cls(
            session=broadcast.session.id,
            starts_at=state.started_at,
            duration=elapsed(state.started_at, state.ended_at),
            available_at=state.ended_at if available_at is None else available_at,
            url=url,
            chapters=_chapters(broadcast, people),
        )

    def check(self, rules: Rules | None = None) -> tuple[Violation, ...]:
        """``recording-late`` if it becomes available later than ``rules.recording_lag``."""
        rules = rules if rules is not None else Rules()
        if "recording-late" in rules.disabled:
            return ()
        if self.available_at <= self.ends_at + rules.recording_lag:
            return ()
        return (recording_late(self.session, self.ends_at, self.available_at, rules),)

    def to_webvtt_chapters(self) -> str:
        """The chapters as a WebVTT file (one cue per chapter)."""
        lines = ["WEBVTT", ""]
        for number, chapter in enumerate(self.chapters, start=1):
            lines += [
                str(number),
                f"{_vtt_time(chapter.starts)} --> {_vtt_time(chapter.ends)}",
                _vtt_text(chapter.title),
                "",
            ]
        return "\n".join(lines)

    def to_chapter_list(self) -> str:
        """The chapters as "00:00 Title" lines, the form video sites read from a description."""
        hours = self.duration >= _dt.timedelta(hours=1)
        return "\n".join(
            f"{_list_time(chapter.starts, hours=hours)} {chapter.title}"
            for chapter in self.chapters
        )


def _name(people: Programme | Mapping[str, str], person: str) -> str:
    if isinstance(people, Programme):
        return people.person(person).name
    return people.get(person, person)


def _chapters(broadcast: Broadcast, people: Programme | Mapping[str, str]) -> tuple[Chapter, ...]:
    """Cut the live period at every turn's start and end; name who is on air in each piece."""
    state = broadcast.state
    session = broadcast.session
    start, end = state.started_at, state.ended_at
    assert start is not None  # only called for ended broadcasts
    assert end is not None
    cuts = sorted(
        {start, end}
        | {turn.starts_at for turn in state.turns}
        | {turn.ends_at for turn in state.turns if turn.ends_at is not None}
    )
    pieces: list[tuple[Instant, Instant, tuple[str, ...]]] = []
    for low, high in itertools.pairwise(cuts):
        on_air = tuple(
            turn.speaker
            for turn in state.turns
            if turn.starts_at <= low and turn.ends_at is not None and high <= turn.ends_at
        )
        if pieces and pieces[-1][2] == on_air:
            pieces[-1] = (pieces[-1][0], high, on_air)
        else:
            pieces.append((low, high, on_air))
    moderator = session.moderator
    chapters = []
    for low, high, on_air in pieces:
        voices = on_air or ((moderator,) if moderator is not None else ())
        names = ", ".join(_name(people, person) for person in voices) or session.title
        chapters.append(
            Chapter(
                starts=elapsed(start, low),
                ends=elapsed(start, high),
                title=f"{names} — {session.title}",
                speakers=on_air,
            )
        )
    return tuple(chapters)


def _vtt_time(offset: _dt.timedelta) -> str:
    millis = offset // _dt.timedelta(milliseconds=1)
    seconds, millis = divmod(millis, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _vtt_text(title: str) -> str:
    """Cue text: escape what WebVTT reserves, keep it on one line."""
    text = " ".join(title.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _list_time(offset: _dt.timedelta, *, hours: bool) -> str:
    seconds = int(offset.total_seconds())
    minutes, seconds = divmod(seconds, 60)
    if hours:
        whole, minutes = divmod(minutes, 60)
        return f"{whole}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"
