"""The mmso command: outputs, exit statuses, and errors without tracebacks."""

import io
import json
import runpy
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from mmso_core import cli
from mmso_core.cli import main
from mmso_core.samples import mmso_2020


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_demo_prints_phases_report_and_the_round_table() -> None:
    status, text = run("demo")
    assert status == 0
    assert "MMSO-2020: the programme" in text
    assert "ММСО: 26.04–29.04.2020, 4 days" in text
    assert "ММСО: продолжение: 30.04–08.05.2020, 9 days" in text
    assert "0 error(s), 0 violation(s) in all" in text
    assert "Samara Oblast (Europe/Samara): Wednesday, 29 April 2020, 18:20–19:50" in text
    assert "Moscow (Europe/Moscow): Wednesday, 29 April 2020, 17:20–18:50" in text
    assert "The round table on air (Moscow time):\n  17:20  goes live\n  17:24  on air: " in text
    assert "  18:55  ends\n  Overrun: 5 min\nChapters of the recording:\n  0:00:00 " in text
    assert text.rstrip().endswith(
        "Опыт, проблемы и перспективы дистанционного обучения в Самарской области"
    )


def test_demo_in_russian() -> None:
    status, text = run("demo", "--locale", "ru")
    assert status == 0
    assert "Самарская область (Europe/Samara): среда, 29 апреля 2020, 18:20–19:50" in text
    assert "ошибок: 0" in text
    assert "Эфир круглого стола (по Москве):" in text
    assert "  Перебор времени: 5 мин\nГлавы записи:" in text


def test_check_text_and_json() -> None:
    assert run("check") == (0, "0 error(s), 0 violation(s) in all\n")
    status, text = run("check", "--format", "json")
    assert status == 0
    assert json.loads(text) == {"ok": True, "errors": 0, "violations": []}


def test_check_exit_status_1_on_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    sample = mmso_2020()
    first = sample.ordered[0]
    clash = attrs.evolve(sample.ordered[1], channel=first.channel, starts_at=first.starts_at)
    broken = attrs.evolve(
        sample, sessions=tuple(clash if s.id == clash.id else s for s in sample.sessions)
    )
    monkeypatch.setattr(cli, "mmso_2020", lambda: broken)
    status, text = run("check", "--format", "json")
    assert status == 1
    payload = json.loads(text)
    assert payload["ok"] is False
    assert "channel-overlap" in {v["code"] for v in payload["violations"]}
    assert run("demo")[0] == 1


def test_agenda_for_a_region_and_a_day() -> None:
    status, text = run("agenda", "--region", "Самарская область", "--day", "2020-04-29")
    assert status == 0
    assert text.startswith("Wednesday, 29 April 2020 (Europe/Samara)")
    assert "18:20–19:50  Опыт, проблемы и перспективы" in text
    status, text = run(
        "agenda", "--zone", "Asia/Kamchatka", "--day", "2020-05-01", "--locale", "ru"
    )
    assert status == 0
    assert "(Asia/Kamchatka)" in text


def test_agenda_of_an_empty_day() -> None:
    assert run("agenda", "--zone", "UTC", "--day", "2021-01-01") == (0, "No sessions.\n")
    assert run("agenda", "--zone", "UTC", "--day", "2021-01-01", "--locale", "ru") == (
        0,
        "Нет мероприятий.\n",
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["agenda", "--zone", "Mars/Base"], "--zone: unknown time zone 'Mars/Base'"),
        (["agenda", "--region", "Narnia"], "--region: unknown region 'Narnia'"),
        (["agenda", "--zone", "UTC", "--day", "2020-13-01"], "--day: not a date"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = run(*argv)
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("mmso: error: ")
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["agenda"])
    assert caught.value.code == 2
    assert "one of the arguments --zone --region is required" in capsys.readouterr().err


def test_console_script_and_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mmso_core", "check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == "0 error(s), 0 violation(s) in all"
    done = subprocess.run(
        [sys.executable, "-m", "mmso_core", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "demo" in done.stdout
    assert "agenda" in done.stdout


def test_python_dash_m_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["mmso", "check"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("mmso_core", run_name="__main__")
    assert caught.value.code == 0
    assert "0 error(s)" in capsys.readouterr().out


def test_route_suggests_stands_for_interests() -> None:
    status, text = run(
        "route",
        "--interest",
        "digital=3",
        "--from",
        "11:00",
        "--to",
        "12:00",
        "--time-limit",
        "0.3",
    )
    assert status == 0
    lines = text.splitlines()
    assert lines[-1].startswith("Interest of the route: ")
    assert float(lines[-1].split(": ")[1]) > 0
    assert all("[stand-" in line or "[webinar-" in line for line in lines[:-1])
    status, text = run(
        "route", "--interest", "nothing-matches", "--locale", "ru", "--time-limit", "0.1"
    )
    assert (status, text) == (0, "Ничего не подходит.\nИнтерес маршрута: 0\n")


def test_route_with_must_visit_and_webinars() -> None:
    status, text = run(
        "route",
        "--interest",
        "higher",
        "--must",
        "stand-001",
        "--day",
        "2020-05-05",
        "--from",
        "10:30",
        "--to",
        "17:00",
        "--time-limit",
        "0.3",
    )
    assert status == 0
    assert "[stand-001]" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["route", "--interest", "digital=abc"], "--interest: expected LABEL=WEIGHT"),
        (["route", "--from", "13:00", "--to", "11:00"], "--to: must be after --from"),
        (["route", "--must", "stand-999"], "unknown stand id 'stand-999'"),
        (["route", "--day", "someday"], "--from/--to"),
    ],
)
def test_route_bad_input(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(*argv)[0] == 2
    assert message in capsys.readouterr().err


def test_a_closed_pipe_is_not_an_error() -> None:
    # regression: `mmso agenda ... | head` printed a BrokenPipeError traceback
    command = f"'{sys.executable}' -m mmso_core agenda --zone UTC | head -n 1"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    assert done.stdout.startswith("Sunday, 26 April 2020 (UTC)")
    assert done.stderr == ""


def test_an_empty_region_is_named_in_the_error(capsys: pytest.CaptureFixture[str]) -> None:
    # regression: it was reported as "--zone: unknown time zone None"
    assert run("agenda", "--region", "")[0] == 2
    assert "--region: unknown region ''" in capsys.readouterr().err


# -- mmso moderate ------------------------------------------------------------------


def test_moderate_the_sample_chat() -> None:
    status, text = run("moderate")
    assert status == 0
    lines = text.splitlines()
    assert lines[0].startswith("msg-0001  hold")
    assert "sample chat_2020: 198 messages" in text
    assert "  obscene                 6" in text
    status, ru = run("moderate", "--summary-only", "--locale", "ru")
    assert ru.startswith("sample chat_2020: 198 сообщений\nрешения:\n  hold")


def test_moderate_a_file_with_a_policy(tmp_path: pytest.TempPathFactory) -> None:
    log = tmp_path / "chat.jsonl"  # type: ignore[operator]
    rows = [
        {"id": "a", "chat": "c", "author": "x", "role": "visitor", "text": "привет",
         "sent_at": "2020-04-29T17:20:00+03:00"},
        {"id": "b", "chat": "c", "author": "x", "role": "visitor", "text": "ну нахуй",
         "sent_at": "2020-04-29T17:21:00+03:00"},
    ]  # fmt: skip
    log.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    policy = tmp_path / "policy.toml"  # type: ignore[operator]
    policy.write_text(
        'mode = "post"\n[[rules]]\nid = "mat"\nkind = "preset"\n'
        'presets = ["ru-obscene"]\nstrike = true\n'
    )
    status, text = run("moderate", str(log), "--policy", str(policy), "--format", "json")
    assert status == 0
    first, second, summary = (json.loads(line) for line in text.splitlines())
    assert first["action"] == "publish"
    assert (second["action"], second["reasons"][0]["code"], second["sanction"]) == (
        "block", "obscene", "warn"
    )  # fmt: skip
    assert summary == {
        "summary": {"messages": 2, "actions": {"publish": 1, "block": 1}, "codes": {"obscene": 1}}
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{bad\n", "chat.jsonl:1: not JSON"),
        ('{"id": "a"}\n', "chat: missing"),
        ('{"id":"a","chat":"c","author":"x","role":"bot","text":"","sent_at":"2020-04-29T17:20Z"}',
         "role: must be one of"),
        ('{"id":"a","chat":"c","author":"x","role":"visitor","text":"","sent_at":"2020-04-29T17:20"}',
         "naive time"),
    ],
)  # fmt: skip
def test_moderate_bad_logs_are_one_line_errors(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    log = tmp_path / "chat.jsonl"  # type: ignore[operator]
    log.write_text(content)
    assert main(["moderate", str(log)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_moderate_bad_policy_lists_every_problem_on_one_line(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "p.json"  # type: ignore[operator]
    policy.write_text('{"mode": "x", "rules": [{"id": "f", "kind": "flood", "window": 0}]}')
    assert main(["moderate", "--policy", str(policy)]) == 2
    err = capsys.readouterr().err
    assert "rules[0].window" in err
    assert "mode: must be one of" in err
    assert err.count("\n") == 1
    assert main(["moderate", "/no/such/file.jsonl"]) == 2
    assert "cannot read it" in capsys.readouterr().err


# -- commands on files ---------------------------------------------------------------

SCHEDULES = Path(__file__).resolve().parents[2] / "shared" / "data" / "schedules"
FRAB_XML = """<?xml version="1.0"?>
<schedule>
  <conference><title>Mini</title><time_zone_name>Europe/Samara</time_zone_name></conference>
  <day index="1" date="2020-04-29">
    <room name="Hall">
      <event id="1"><date>2020-04-29T18:20:00+04:00</date><start>18:20</start>
        <duration>01:30</duration><room>Hall</room><title>Round table</title>
        <persons><person id="7">Ivanova</person></persons></event>
    </room>
  </day>
</schedule>
"""


def test_export_then_check_an_mmso_json_file(tmp_path: Path) -> None:
    target = tmp_path / "programme.json"
    assert main(["export", "--to", "json", "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["kind"] == "programme"
    status, text = run("check", str(target))
    assert (status, text) == run("check")  # the same programme, the same report
    status, agenda = run("agenda", str(target), "--region", "RU-SAM", "--day", "2020-04-29")
    assert status == 0
    assert "18:20–19:50  Опыт, проблемы и перспективы" in agenda


def test_check_and_agenda_on_a_frab_file(tmp_path: Path) -> None:
    source = tmp_path / "schedule.xml"
    source.write_text(FRAB_XML, encoding="utf-8")
    status, text = run("check", str(source), "--format", "json")
    report = json.loads(text)
    assert status == 1  # imported sessions name no moderator, technician or chat expert
    assert {v["code"] for v in report["violations"]} == {"missing-role"}
    status, agenda = run("agenda", str(source), "--zone", "Europe/Moscow")
    assert status == 0
    assert "17:20–18:50  Round table [Hall]" in agenda


def test_export_to_ical_and_schedule_json(tmp_path: Path) -> None:
    status, text = run(
        "export", "--to", "ical", "--stamp", "2020-04-20T09:00+03:00",
        "--session", "samara-round-table", "--tz", "RU-SAM",
    )  # fmt: skip
    assert status == 0
    assert text.startswith("BEGIN:VCALENDAR")
    assert "DTSTAMP:20200420T060000Z" in text
    assert "DTSTART;TZID=Europe/Samara:20200429T182000" in text
    assert text.count("BEGIN:VEVENT") == 1
    status, text = run("export", "--to", "schedule-json")
    assert status == 0
    assert json.loads(text)["schedule"]["conference"]["title"] == "ММСО-2020"


@pytest.mark.skipif(
    not SCHEDULES.is_dir(), reason="../shared/data/schedules is not beside the project"
)
def test_real_schedules_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SCHEDULES / "debconf23.xml"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert "person-double-booked" not in {v["code"] for v in report["violations"]}
    fosdem = str(SCHEDULES / "fosdem_2021.xml")
    assert main(["check", fosdem]) == 2  # naive times and no zone in the file
    assert "name the conference's zone" in capsys.readouterr().err
    assert main(["agenda", fosdem, "--source-zone", "Europe/Brussels", "--zone", "UTC",
                 "--day", "2021-02-06"]) == 0  # fmt: skip
    assert "08:00–" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not a schedule", "FILE: not JSON"),
        ('{"hello": 1}', "neither an mmso/1 programme nor a frab/c3voc schedule"),
        ('{"format": "mmso/1", "kind": "exhibition"}', "holds a exhibition, not a programme"),
        ('{"format": "mmso/1", "kind": "programme"}', "salon"),
        ("<schedule><conference/></schedule>", "mmso: error:"),
    ],
)
def test_bad_files_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    source = tmp_path / "file.json"
    source.write_text(content, encoding="utf-8")
    assert main(["check", str(source)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert main(["export", "--to", "json", "--output", str(tmp_path / "no" / "dir.json")]) == 2
    assert "--output: cannot write it" in capsys.readouterr().err


def test_route_reads_an_exhibition_file(tmp_path: Path) -> None:
    from mmso_core.io.json import dumps  # noqa: PLC0415
    from mmso_core.samples import exhibition_2020  # noqa: PLC0415

    source = tmp_path / "expo.json"
    source.write_text(dumps(exhibition_2020()), encoding="utf-8")
    argv = ["route", "--interest", "digital=3", "--iterations", "50", "--from", "11:00",
            "--to", "11:30"]  # fmt: skip
    assert run(*argv, "--exhibition", str(source)) == run(*argv)


# -- regressions found by review -----------------------------------------------------


def test_deeply_nested_json_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for argv in (
        ["check", str(deep)],
        ["moderate", str(deep)],
        ["moderate", "--policy", str(deep)],
        ["route", "--exhibition", str(deep)],
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "nested too deeply" in err
        assert err.count("\n") == 1


def test_lone_surrogates_in_a_schedule_do_not_crash_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Regression: a lone surrogate in a title crashed exports (UTF-8 cannot hold it).
    _, text = run("export", "--to", "schedule-json")
    document = json.loads(text)
    day = document["schedule"]["conference"]["days"][0]
    next(iter(day["rooms"].values()))[0]["title"] = "Round \ud800 table"
    source = tmp_path / "surrogate.json"
    source.write_text(json.dumps(document), encoding="utf-8")  # escaped as \ud800
    for argv in (
        ["agenda", str(source), "--zone", "UTC"],
        ["export", str(source), "--to", "json", "--output", str(tmp_path / "out.json")],
        ["export", str(source), "--to", "schedule-json"],
        ["export", str(source), "--to", "ical", "--stamp", "2020-04-20T00:00Z"],
    ):
        assert main(argv) in (0, 2), argv
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
    assert "\\ud800" in (tmp_path / "out.json").read_text(encoding="utf-8")


def test_a_byte_order_mark_is_not_part_of_a_file(tmp_path: Path) -> None:
    source = tmp_path / "bom.xml"
    source.write_bytes(b"\xef\xbb\xbf" + FRAB_XML.encode("utf-8"))
    status, text = run("agenda", str(source), "--zone", "Europe/Moscow")
    assert status == 0
    assert "Round table" in text


def test_moderate_reads_an_mmso_json_policy(tmp_path: Path) -> None:
    from mmso_core.io.json import dumps  # noqa: PLC0415
    from mmso_core.moderation import Policy  # noqa: PLC0415

    policy = tmp_path / "policy.json"
    policy.write_text(dumps(Policy.default()), encoding="utf-8")
    assert run("moderate", "--summary-only", "--policy", str(policy)) == run(
        "moderate", "--summary-only"
    )
