"""Configuration mistakes: `python -m event_assets run` (and `home`) says what is wrong in one line
on stderr, exits 2 and creates nothing (no `.dagster`, no warehouse, no folder).

A read-only location cannot be made in a test here: the tests run as root, which may write
anything a mode forbids, and mounting a read-only file system needs privileges. The checks ask
`os.access(path, os.W_OK)`, which the kernel answers "no" for a read-only file system to every
user, root included (EROFS); these tests replace `os.access` so that it answers so for the one
path under test, as it would on a read-only mount.
"""

import os
from pathlib import Path

import pytest

from event_assets.__main__ import main

REAL_ACCESS = os.access


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    (data / "landing" / "schools").mkdir(parents=True)
    monkeypatch.setenv("EVENT_ASSETS_DATA_DIR", str(data))
    monkeypatch.delenv("EVENT_ASSETS_DUCKDB_PATH", raising=False)
    monkeypatch.delenv("EVENT_ASSETS_DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    return data


def files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def read_only(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """`os.access` answers as it would for `path` on a read-only file system."""

    def access(candidate, mode, *args, **kwargs):
        if Path(candidate) == path and mode & os.W_OK:
            return False
        return REAL_ACCESS(candidate, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def assert_one_line_exit_2(capsys, command: str, *expected: str) -> None:
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: ")
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err


@pytest.mark.parametrize("command", ["run", "home"])
def test_a_data_folder_that_does_not_exist_is_named_and_not_created(
    tmp_path, data_dir, monkeypatch, capsys, command
):
    missing = tmp_path / "nowhere" / "data"
    monkeypatch.setenv("EVENT_ASSETS_DATA_DIR", str(missing))
    before = files_under(tmp_path)
    assert_one_line_exit_2(capsys, command, f"the data folder {missing} does not exist")
    assert files_under(tmp_path) == before


@pytest.mark.parametrize("command", ["run", "home"])
def test_a_read_only_data_folder_is_named_and_nothing_is_created(
    tmp_path, data_dir, monkeypatch, capsys, command
):
    read_only(monkeypatch, data_dir)
    before = files_under(tmp_path)
    assert_one_line_exit_2(capsys, command, f"the data folder {data_dir} cannot be written")
    assert files_under(tmp_path) == before


def test_a_read_only_folder_for_dagster_home_is_named(tmp_path, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "instances" / "event_assets"))
    (tmp_path / "instances").mkdir()
    read_only(monkeypatch, tmp_path / "instances")
    before = files_under(tmp_path)
    assert_one_line_exit_2(capsys, "run", "DAGSTER_HOME", f"{tmp_path / 'instances'} cannot be")
    assert files_under(tmp_path) == before


def test_a_file_that_is_not_a_duckdb_database_is_named(tmp_path, data_dir, monkeypatch, capsys):
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("these are my notes, not a warehouse\n")
    monkeypatch.setenv("EVENT_ASSETS_DUCKDB_PATH", str(not_a_database))
    before = files_under(tmp_path)
    expected = f"the warehouse {not_a_database} is not a DuckDB database"
    assert_one_line_exit_2(capsys, "run", expected)
    assert files_under(tmp_path) == before
    assert not_a_database.read_text() == "these are my notes, not a warehouse\n"


def test_a_read_only_warehouse_is_named(tmp_path, data_dir, monkeypatch, capsys):
    import duckdb

    warehouse = data_dir / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    read_only(monkeypatch, warehouse)
    before = files_under(tmp_path)
    assert_one_line_exit_2(capsys, "run", f"{warehouse} cannot be written")
    assert files_under(tmp_path) == before


@pytest.mark.parametrize("limit", ["lots", "3 parsecs", "150%"])
def test_a_memory_limit_duckdb_does_not_accept_is_named(
    tmp_path, data_dir, monkeypatch, capsys, limit
):
    monkeypatch.setenv("EVENT_ASSETS_DUCKDB_MEMORY_LIMIT", limit)
    before = files_under(tmp_path)
    assert_one_line_exit_2(capsys, "run", f"EVENT_ASSETS_DUCKDB_MEMORY_LIMIT={limit!r}", "3GB")
    assert files_under(tmp_path) == before


@pytest.mark.parametrize("limit", ["3GB", "512MiB", "80%", "1.5 GB"])
def test_the_memory_limits_duckdb_accepts_are_kept(data_dir, monkeypatch, limit):
    from event_assets.core.warehouse import load_settings

    monkeypatch.setenv("EVENT_ASSETS_DUCKDB_MEMORY_LIMIT", limit)
    assert load_settings().memory_limit == limit
