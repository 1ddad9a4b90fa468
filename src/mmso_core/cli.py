"""The ``mmso`` command: the salon's programme from the terminal.

``mmso demo`` shows the embedded MMSO-2020 sample, ``mmso check`` reports on it,
``mmso agenda`` prints it as seen from a zone or region, ``mmso route`` suggests a
visit to the exhibition and ``mmso moderate`` runs a chat log through a policy.
Bad input ends with a one-line error and exit status 2, never a traceback.
"""

import argparse
import datetime as _dt
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Final, TextIO, cast

from mmso_core import __version__
from mmso_core._report import Locale, Report
from mmso_core._time import Interval, ManualClock, SystemClock, at_local, in_zone, resolve_zone
from mmso_core.errors import InvalidValueError, MmsoError, ModelError, UnknownZoneError
from mmso_core.exhibition import Exhibition, Visitor, suggest_route
from mmso_core.io import frab, ical
from mmso_core.io import json as mmso_json
from mmso_core.moderation import ChatMessage, Decision, Moderator, Policy
from mmso_core.regions import region
from mmso_core.samples import (
    SAMARA_ROUND_TABLE_ID,
    chat_2020,
    exhibition_2020,
    mmso_2020,
    samara_broadcast,
)
from mmso_core.schedule import Command, Programme, Recording, check

__all__ = ["main"]

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
_MINUTE: Final = _dt.timedelta(minutes=1)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mmso",
        description="The domain logic of an online education salon (MMSO-2020) "
        "from the terminal. Every command works on the embedded MMSO-2020 samples unless "
        "it is given a file.",
    )
    parser.add_argument("--version", action="version", version=f"mmso_core {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser(
        "demo",
        help="summarise the MMSO-2020 sample: phases, check report, the Samara round table",
        description="Load the MMSO-2020 sample, print a summary per phase, the check "
        "report, and the Samara round table as seen in Samara and in Moscow.",
    )
    _add_locale(demo)

    check_cmd = commands.add_parser(
        "check",
        help="check a programme against the scheduling rules (exit 1 if errors are found)",
        description="Check a programme (the MMSO-2020 sample, or FILE: an mmso/1 JSON "
        "programme, a frab/pentabarf schedule.xml or a c3voc schedule.json) against every "
        "scheduling rule. Exit status: 0 no errors, 1 errors found, 2 bad input.",
    )
    _add_programme_file(check_cmd)
    _add_locale(check_cmd)
    check_cmd.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="output format (default: text)",
    )

    agenda = commands.add_parser(
        "agenda",
        help="print the programme in local time of a zone or region",
        description="Print the programme with local times for a time zone or one of "
        "Russia's regions, optionally for one local day.",
    )
    where = agenda.add_mutually_exclusive_group(required=True)
    where.add_argument("--zone", help="IANA time zone, e.g. Asia/Kamchatka")
    where.add_argument(
        "--region", help="region code, number or name, e.g. RU-SAM, 63, 'Самарская область'"
    )
    agenda.add_argument("--day", help="local day as YYYY-MM-DD (default: all days)")
    _add_programme_file(agenda)
    _add_locale(agenda)

    route = commands.add_parser(
        "route",
        help="suggest a route through the virtual exhibition for a visitor",
        description="Suggest stands and webinars of the MMSO-2020 virtual exhibition for "
        "a visitor's interests and time, in walking order, with what each stop is worth.",
    )
    route.add_argument(
        "--interest",
        action="append",
        default=[],
        metavar="LABEL=WEIGHT",
        help="a cluster or tag and its weight, e.g. digital=3 (repeatable)",
    )
    route.add_argument("--day", default="2020-04-27", help="local day (default: 2020-04-27)")
    route.add_argument("--from", dest="start", default="11:00", help="local start (default 11:00)")
    route.add_argument("--to", dest="end", default="13:00", help="local end (default 13:00)")
    route.add_argument("--zone", default="Europe/Moscow", help="zone of the times given")
    route.add_argument("--must", action="append", default=[], help="a stand to visit anyway")
    route.add_argument("--speed", type=float, default=1.2, help="walking pace, m/s")
    route.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds of search (default 1, or none with --iterations)",
    )
    route.add_argument("--seed", type=int, default=0, help="seed of the search")
    route.add_argument(
        "--exhibition", metavar="FILE", help="an mmso/1 JSON exhibition (default: the sample)"
    )
    route.add_argument(
        "--iterations",
        type=int,
        default=None,
        help="stop the search after this many iterations (with --seed: the same route "
        "on every machine)",
    )
    _add_locale(route)

    export = commands.add_parser(
        "export",
        help="write a programme as iCalendar, mmso/1 JSON or a c3voc schedule.json",
        description="Convert a programme (the MMSO-2020 sample, or FILE as for `check`) "
        "to another format and print it (or write it to --output).",
    )
    _add_programme_file(export)
    export.add_argument(
        "--to", required=True, choices=("ical", "json", "schedule-json"), help="the format"
    )
    export.add_argument("--output", "-o", metavar="PATH", help="write here instead of stdout")
    export.add_argument(
        "--stamp",
        help="iCalendar DTSTAMP as ISO 8601 with an offset (default: now)",
    )
    export.add_argument(
        "--tz",
        dest="calendar_zone",
        metavar="ZONE",
        help="iCalendar: local times in this zone or region, with a VTIMEZONE (default: UTC)",
    )
    export.add_argument(
        "--session", action="append", default=None, help="iCalendar: only this session"
    )
    _add_locale(export)

    moderate = commands.add_parser(
        "moderate",
        help="run a chat log through a moderation policy and summarise the decisions",
        description="Replay a chat log (JSON Lines, one message per line: id, chat, "
        "author, role, text, sent_at[, kind, reply_to]) through a moderation policy, "
        "with the clock following the messages' times. Prints one line per message and "
        "a summary. Without FILE, the Samara round table's sample chat is used. A "
        "progress bar shows on long files when tqdm is installed (mmso_core[all]).",
    )
    moderate.add_argument("file", nargs="?", help="chat log (.jsonl), or - for stdin")
    moderate.add_argument(
        "--policy", help="policy file (.json or .toml; default: Policy.default())"
    )
    moderate.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format"
    )
    moderate.add_argument("--summary-only", action="store_true", help="print the summary only")
    _add_locale(moderate)
    return parser


def _add_programme_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="an mmso/1 JSON programme, a frab/pentabarf schedule.xml or a c3voc "
        "schedule.json (default: the MMSO-2020 sample)",
    )
    parser.add_argument(
        "--source-zone",
        metavar="ZONE",
        help="zone of a schedule file's times when the file does not name one",
    )


def _add_locale(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locale", choices=("en", "ru"), default="en", help="language of the output"
    )


def _summary(programme: Programme, locale: Locale) -> list[str]:
    lines = []
    salon = programme.salon
    for phase in salon.phases:
        sessions = programme.sessions_in_phase(phase)
        people = {p for s in sessions for p, _ in s.people()}
        channels = {s.channel for s in sessions}
        days = len(phase.days())
        if locale == "ru":
            lines.append(
                f"{phase.name}: {phase.first_day:%d.%m}–{phase.last_day:%d.%m.%Y}, "
                f"дней: {days}, мероприятий: {len(sessions)} "
                f"({len(sessions) / days:.1f} в день), плееров: {len(channels)}, "
                f"участников: {len(people)}"
            )
        else:
            lines.append(
                f"{phase.name}: {phase.first_day:%d.%m}–{phase.last_day:%d.%m.%Y}, "
                f"{days} days, {len(sessions)} sessions ({len(sessions) / days:.1f} a day), "
                f"{len(channels)} channels, {len(people)} people"
            )
    return lines


def _round_table(programme: Programme, locale: Locale) -> list[str]:
    table = programme.session(SAMARA_ROUND_TABLE_ID)
    lines = [f"«{table.title}»"]
    for place in (region("RU-SAM"), region("RU-MOW")):
        start, end = in_zone(table.starts_at, place), in_zone(table.ends_at, place)
        day = start.format("dddd, D MMMM YYYY", locale=locale)
        label = place.name(locale)
        lines.append(f"  {label} ({place.zone}): {day}, {start:%H:%M}–{end:%H:%M}")
    return lines


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    locale: Locale = args.locale
    programme = mmso_2020()
    report = check(programme)
    heading = "ММСО-2020: программа" if locale == "ru" else "MMSO-2020: the programme"
    print(heading, file=out)
    for line in _summary(programme, locale):
        print(f"  {line}", file=out)
    print("", file=out)
    print("Проверка правил:" if locale == "ru" else "Rule check:", file=out)
    print(report.to_text(locale), file=out)
    print("", file=out)
    for line in _round_table(programme, locale):
        print(line, file=out)
    print("", file=out)
    for line in _replay(programme, locale):
        print(line, file=out)
    return EXIT_OK if report.ok else EXIT_VIOLATIONS


_VERBS: Final = {
    Command.GO_LIVE: ("goes live", "начало эфира"),
    Command.BRING_ON_AIR: ("on air:", "в эфире:"),
    Command.TAKE_OFF_AIR: ("off air:", "вне эфира:"),
    Command.END: ("ends", "конец эфира"),
}


def _replay(programme: Programme, locale: Locale) -> list[str]:
    """The sample broadcast of the round table, event by event, and its chapters."""
    show = samara_broadcast()
    ru = locale == "ru"
    lines = ["Эфир круглого стола (по Москве):" if ru else "The round table on air (Moscow time):"]
    for event in show.log:
        verb = _VERBS[event.command][1 if ru else 0]
        who = "" if event.speaker is None else " " + programme.person(event.speaker).name
        lines.append(f"  {in_zone(event.at, programme.salon.zone):%H:%M}  {verb}{who}")
    minutes = show.overrun(show.session.ends_at) // _MINUTE  # ended: measured at its end
    lines.append(f"  Перебор времени: {minutes} мин" if ru else f"  Overrun: {minutes} min")
    recording = Recording.from_broadcast(show, programme)
    lines.append("Главы записи:" if ru else "Chapters of the recording:")
    lines.extend(f"  {line}" for line in recording.to_chapter_list().splitlines())
    return lines


def _report_json(report: Report) -> str:
    return json.dumps(
        {
            "ok": report.ok,
            "errors": len(report.errors),
            "violations": [
                {
                    "code": v.code,
                    "severity": v.severity.name.lower(),
                    "subjects": list(v.subjects),
                    "en": v.en,
                    "ru": v.ru,
                }
                for v in report.violations
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def _check(args: argparse.Namespace, out: TextIO) -> int:
    report = check(_programme(args))
    if args.format == "json":
        print(_report_json(report), file=out)
    else:
        print(report.to_text(args.locale), file=out)
    return EXIT_OK if report.ok else EXIT_VIOLATIONS


def _agenda(args: argparse.Namespace, out: TextIO) -> int:
    where = region(args.region, field="--region") if args.region is not None else args.zone
    resolve_zone(where, field="--zone")  # refuse an unknown zone before any work
    day = None
    if args.day is not None:
        try:
            day = _dt.date.fromisoformat(args.day)
        except ValueError:
            raise InvalidValueError(
                field="--day", value=args.day, reason="not a date (expected YYYY-MM-DD)"
            ) from None
    agenda = _programme(args).agenda(where, day=day)
    if not agenda.entries:
        print("Нет мероприятий." if args.locale == "ru" else "No sessions.", file=out)
    else:
        print(agenda.to_text(args.locale), file=out)
    return EXIT_OK


def _interests(pairs: Sequence[str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for pair in pairs:
        label, sep, weight = pair.partition("=")
        try:
            weights[label.strip()] = float(weight) if sep else 1.0
        except ValueError:
            raise InvalidValueError(
                field="--interest", value=pair, reason="expected LABEL=WEIGHT, e.g. digital=3"
            ) from None
    return weights


def _route(args: argparse.Namespace, out: TextIO) -> int:
    if args.exhibition is None:
        expo = exhibition_2020()
    else:
        expo = mmso_json.loads(_read(args.exhibition, "--exhibition"), Exhibition)
    walls = (f"{args.day} {args.start}", f"{args.day} {args.end}")
    start, end = (at_local(wall, args.zone, field="--from/--to") for wall in walls)
    if end <= start:
        raise InvalidValueError(field="--to", value=args.end, reason="must be after --from")
    visitor = Visitor(
        available=Interval(start=start, end=end),
        interests=_interests(args.interest),
        must_visit=args.must,
        speed=args.speed,
    )
    route = suggest_route(
        expo,
        visitor,
        time_limit=args.time_limit,
        seed=args.seed,
        max_iterations=args.iterations,
    )
    print(route.to_text(args.zone, args.locale), file=out)
    return EXIT_OK


_PROGRESS_FROM: Final = 2000  # messages


def _programme(args: argparse.Namespace) -> Programme:
    """The sample programme, or the one in FILE: mmso/1 JSON, frab XML or c3voc JSON."""
    if args.file is None:
        return mmso_2020()
    if args.source_zone is not None:
        resolve_zone(args.source_zone, field="--source-zone")
    text = _read(args.file, "FILE")
    head = text.lstrip()[:1]
    if head == "<":
        return frab.load(text, zone=args.source_zone)
    data = _json(text, "FILE", args.file)
    if isinstance(data, dict) and data.get("format") == "mmso/1":
        if data.get("kind") != "programme":
            raise InvalidValueError(
                field="FILE", value=args.file, reason=f"holds a {data.get('kind')}, not a programme"
            )
        return mmso_json.loads(text, Programme)
    if isinstance(data, dict) and "schedule" in data:
        return frab.load(text, zone=args.source_zone)
    raise InvalidValueError(
        field="FILE",
        value=args.file,
        reason="is neither an mmso/1 programme nor a frab/c3voc schedule",
    )


def _chat_log(name: str | None) -> tuple[str, list[ChatMessage]]:
    """The messages of a JSON Lines file (``-``: stdin), or the sample chat."""
    if name is None:
        return "sample chat_2020", list(chat_2020())
    lines = sys.stdin.read().splitlines() if name == "-" else _read(name, "FILE").splitlines()
    messages: list[ChatMessage] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        data = _json(line, f"{name}:{number}", line[:40])
        try:
            messages.append(ChatMessage.from_dict(data))  # type: ignore[arg-type] # it refuses non-mappings
        except ModelError as exc:
            raise InvalidValueError(
                field=f"{name}:{number}", value=line[:40], reason="; ".join(exc.problems)
            ) from exc
    return name, messages


def _json(text: str, field: str, shown: str) -> object:
    """Parse JSON text; every failure (bad syntax, too deep) is one InvalidValueError."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InvalidValueError(field=field, value=shown, reason=f"not JSON: {reason}") from None


def _read(path: str, field: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as file:  # a BOM is not part of the text
            return file.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = f"cannot read it ({exc.strerror or exc})" if isinstance(exc, OSError) else str(exc)
        raise InvalidValueError(field=field, value=path, reason=reason) from exc


def _policy(path: str | None) -> Policy:
    """The default policy, or one from a TOML file, a JSON policy or an mmso/1 document."""
    if path is None:
        return Policy.default()
    text = _read(path, "--policy")
    if path.endswith(".toml"):
        return Policy.from_toml(text)
    data = _json(text, "--policy", path)
    if isinstance(data, dict) and data.get("format") == "mmso/1":
        return mmso_json.loads(text, Policy)
    return Policy.from_json(text)


def _progress(messages: list[ChatMessage]) -> Iterable[ChatMessage]:
    """The messages, with a progress bar on stderr for long logs when tqdm is installed."""
    if len(messages) < _PROGRESS_FROM or not sys.stderr.isatty():
        return messages
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]  # noqa: PLC0415 - optional
    except ImportError:
        return messages
    return cast("Iterable[ChatMessage]", tqdm(messages, unit="msg", file=sys.stderr))


def _moderate(args: argparse.Namespace, out: TextIO) -> int:
    name, messages = _chat_log(args.file)
    policy = _policy(args.policy)
    clock = ManualClock(at=messages[0].sent_at if messages else "2020-04-29T14:20Z")
    moderator = Moderator(policy, clock=clock)
    actions: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    for message in _progress(messages):
        if message.sent_at > clock.now():  # the clock follows the log and never goes back
            clock.advance(message.sent_at - clock.now())
        decision = moderator.submit(message)
        actions[decision.action.value] += 1
        codes.update(reason.code for reason in decision.reasons)
        if args.summary_only:
            continue
        if args.format == "json":
            print(json.dumps(_decision_json(decision), ensure_ascii=False), file=out)
        else:
            why = "; ".join(r.message(args.locale) for r in decision.reasons)
            print(f"{decision.message}  {decision.action.value:16}  {why}".rstrip(), file=out)
    summary = {"messages": len(messages), "actions": dict(actions), "codes": dict(codes)}
    if args.format == "json":
        print(json.dumps({"summary": summary}, ensure_ascii=False), file=out)
    else:
        ru = args.locale == "ru"
        print(f"{name}: {len(messages)} {'сообщений' if ru else 'messages'}", file=out)
        for title, counts in zip(
            ("решения", "причины") if ru else ("decisions", "reasons"),
            (actions, codes),
            strict=True,
        ):
            print(f"{title}:", file=out)
            for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                print(f"  {key:18} {count:6}", file=out)
    return EXIT_OK


def _zone_or_region(value: str) -> str:
    """An IANA zone name, or the zone of a region given by code, number or name."""
    try:
        resolve_zone(value, field="--tz")
    except UnknownZoneError:
        return region(value, field="--tz").zone
    return value


def _export(args: argparse.Namespace, out: TextIO) -> int:
    programme = _programme(args)
    if args.to == "schedule-json":
        text = frab.dumps_json(programme)
    elif args.to == "json":
        text = mmso_json.dumps(programme, indent=2)
    else:
        stamp = args.stamp if args.stamp is not None else SystemClock()
        text = ical.to_ical(
            programme,
            stamp=stamp,
            sessions=args.session,
            zone=None if args.calendar_zone is None else _zone_or_region(args.calendar_zone),
            locale=args.locale,
        )
    if args.output is None:
        out.write(text if text.endswith("\n") else text + "\n")
        return EXIT_OK
    try:
        # Lone surrogates cannot be written as UTF-8: they are written escaped.
        with open(
            args.output, "w", encoding="utf-8", errors="backslashreplace", newline=""
        ) as file:
            file.write(text)
    except OSError as exc:
        raise InvalidValueError(
            field="--output", value=args.output, reason=f"cannot write it ({exc.strerror or exc})"
        ) from exc
    return EXIT_OK


def _decision_json(decision: Decision) -> dict[str, object]:
    return {
        "message": decision.message,
        "action": decision.action.value,
        "state": decision.state.value,
        "reasons": [
            {"rule": r.rule, "code": r.code, "span": r.span, "en": r.en, "ru": r.ru}
            for r in decision.reasons
        ],
        "sanction": decision.sanction.kind.value if decision.sanction else None,
        "text": decision.text,
    }


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the ``mmso`` command.

    Args:
        argv: The arguments (``sys.argv[1:]`` when omitted).
        out: Where to print (``sys.stdout`` when omitted).

    Returns:
        The exit status: 0 clean, 1 violations found, 2 bad input.
    """
    stream = out if out is not None else sys.stdout
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:  # text with lone surrogates prints escaped, not as a traceback
        reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    handlers = {
        "demo": _demo,
        "check": _check,
        "agenda": _agenda,
        "route": _route,
        "moderate": _moderate,
        "export": _export,
    }
    try:
        return handlers[args.command](args, stream)
    except MmsoError as error:
        head, *problems = str(error).splitlines()
        one_line = f"{head} {'; '.join(p.strip() for p in problems)}" if problems else head
        print(f"mmso: error: {one_line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (`mmso agenda ... | head`): not an error
        _silence_stdout()
        return EXIT_OK


def _silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
