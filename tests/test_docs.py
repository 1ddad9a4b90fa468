"""Every example in the docstrings, the docs and the README runs."""

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import mmso_core

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
