"""The generator command line finds its domains itself: a domain is a module with the interface.

See the ``event_assets.generate`` docstring for the interface (``HELP``, ``DESCRIPTION``,
``add_arguments``, ``run``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from event_assets import generate
from event_assets.generate.__main__ import main
from event_assets_tests.conftest import DOMAINS

TOY = '''
"""A domain that only says what it was asked."""

from datetime import date

from event_assets.generate import kit

HELP = "a toy domain"
DESCRIPTION = "Writes nothing, says what it was asked."
DEFAULTS = kit.Defaults(seed=1, start=date(2030, 1, 1), days=2, min_events=10)


def add_arguments(parser):
    kit.add_run_arguments(parser, DEFAULTS)


def run(args):
    if args.events == 13:
        raise ValueError("thirteen is unlucky")
    print(f"toy: {args.events} events, {args.days} days from {args.start}, seed {args.seed}")
'''


def test_the_domains_are_found_and_the_kit_is_none() -> None:
    found = generate.domains()
    assert list(found) == DOMAINS  # every domain of the code location has its generator
    for module in found.values():
        assert all(hasattr(module, name) for name in generate.INTERFACE)
        assert isinstance(module.HELP, str) and isinstance(module.DESCRIPTION, str)


def test_the_command_line_names_no_domain() -> None:
    source = Path(generate.__file__).with_name("__main__.py").read_text().lower()
    assert [name for name in generate.domains() if name in source] == []


@pytest.fixture
def toy_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``event_assets.generate`` with a folder holding a toy domain and two non-domains."""
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "toy.py").write_text(TOY)
    (folder / "_hidden.py").write_text(TOY)
    (folder / "helpers.py").write_text('"""No domain: no interface."""\n\nHELP = "half"\n')
    monkeypatch.setattr(generate, "__path__", [*generate.__path__, str(folder)])
    yield tmp_path
    for name in ("toy", "_hidden", "helpers"):
        sys.modules.pop(f"event_assets.generate.{name}", None)


def test_a_new_domain_is_just_a_new_module(toy_package: Path, capsys) -> None:
    assert list(generate.domains()) == sorted([*DOMAINS, "toy"])
    assert main(["toy", "--events", "1,000", "--out", str(toy_package / "o")]) == 0
    assert capsys.readouterr().out == "toy: 1000 events, 2 days from 2030-01-01, seed 1\n"


def test_a_domain_failing_gives_one_line(toy_package: Path, capsys) -> None:
    assert main(["toy", "--events", "13", "--out", "o"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "python -m event_assets.generate toy: error: thirteen is unlucky\n"
    with pytest.raises(SystemExit) as exit_:
        main(["toy", "--events", "5", "--out", "o", "--days", "0"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == (
        "python -m event_assets.generate toy: error: argument --days: must be positive: '0'\n"
    )
