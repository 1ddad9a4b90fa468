"""Every example in the docstrings, the docs and the README runs."""

import doctest
import importlib
import io
import pkgutil
import shlex
from pathlib import Path

import pytest

import mmso_core
from mmso_core.cli import main

ROOT = Path(__file__).resolve().parents[1]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(mmso_core.__path__, prefix="mmso_core.")
    if not info.name.endswith("__main__")
)
PAGES = sorted([*ROOT.glob("docs/**/*.md"), ROOT / "README.md"])


@pytest.mark.parametrize("name", ["mmso_core", *MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, raise_on_error=False, verbose=False)
    assert result.failed == 0


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_documentation_examples(page: Path) -> None:
    result = doctest.testfile(str(page), module_relative=False, optionflags=FLAGS, encoding="utf-8")
    assert result.failed == 0


def test_every_page_is_checked() -> None:
    assert any(p.name == "tutorial.md" for p in PAGES)
    assert len(MODULES) >= 10


CONSOLE_PAGES = [ROOT / "README.md", ROOT / "docs" / "reference" / "cli.md"]


def _console_sessions(page: Path) -> list[tuple[str, list[str]]]:
    """Each ``$ mmso ...`` line of the page's console blocks with the output shown under it."""
    sessions: list[tuple[str, list[str]]] = []
    inside = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```console"
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            sessions.append((line[2:], []))
        elif sessions:
            sessions[-1][1].append(line)
    return sessions


@pytest.mark.parametrize("page", CONSOLE_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_console_examples_match_the_cli(
    page: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every shown ``mmso`` command runs, and the output shown is what it prints."""
    monkeypatch.chdir(ROOT)  # examples name files relative to the project
    status = 0
    for command, shown in _console_sessions(page):
        words = shlex.split(command)
        if words[:2] == ["echo", "$?"]:
            assert shown == [str(status)], command
            continue
        if words[0] != "mmso":
            continue
        out = io.StringIO()
        try:
            status = main(words[1:], out=out)
        except SystemExit as done:  # --help, --version
            status = int(done.code or 0)
        captured = capsys.readouterr()
        printed = (out.getvalue() + captured.out + captured.err).splitlines()
        if status not in (0, 1, 2):  # 1: violations found (the page shows `echo $?`)
            pytest.fail(f"{command!r} exited with {status}")
        if status == 2 and not shown:  # an error must be shown, never hidden
            pytest.fail(f"{command!r} failed: {printed}")
        expected = [line for line in shown if line.strip()]
        actual = [line for line in printed if line.strip()]
        if expected and "..." not in expected:
            assert actual == expected, command
        else:
            for line in expected:
                assert line == "..." or line in actual, (command, line)
