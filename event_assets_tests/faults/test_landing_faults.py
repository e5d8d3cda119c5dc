"""Hostile landing files, for every domain: the contract tables equal a clean run's on the same
good files, every run reconciles (received = valid + rejected + duplicates) and passes its
error-severity checks, and each hostile file ends as it should (`hostile_files.py`).

Per domain, one clean build of the start of its sample, and one faulty build in two runs: the
same files with every hostile file next to them and one file cut mid-line; then that file
completed and a file re-delivered later under a new name, while an analyst's read-only
connection holds the warehouse.
"""

import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from event_assets.core.landing import scan_landing
from event_assets.core.ledger import LEDGER_TABLE
from event_assets.core.runner import DomainOutcome
from event_assets_tests.conftest import DOMAINS
from event_assets_tests.faults.builds import (
    Build,
    assert_clean_outcome,
    new_build,
    raw_counts,
    rejected_rows,
    served_tables,
    under_landing,
)
from event_assets_tests.faults.hostile_files import Expected, land_stage_one, land_stage_two
from event_assets_tests.sample import sample_start

pytestmark = pytest.mark.faults

HOLD_SECONDS = 3
# An analyst's read-only connection, held for HOLD_SECONDS; prints when it let go.
READER = """
import pathlib, sys, time, duckdb
conn = duckdb.connect(sys.argv[1], read_only=True)
pathlib.Path(sys.argv[2]).touch()
time.sleep(float(sys.argv[3]))
conn.close()
print(time.time())
"""


@dataclass
class FaultyBuild:
    build: Build
    expected: list[Expected]
    clean_served: dict[str, list[tuple]]
    clean_rejected: list[tuple]
    names: dict[Path, str] = field(default_factory=dict)  # landed path -> path under landing/
    skipped: list[str] = field(default_factory=list)  # every run's skipped entries
    unreadable: list[str] = field(default_factory=list)
    redelivered: list[str] = field(default_factory=list)
    reader_let_go_at: float = 0.0


def _relative(folder: Path, landing: Path) -> str:
    """The folder as `sample_start` names it: "" for the landing folder itself."""
    relative = folder.relative_to(landing).as_posix()
    return "" if relative == "." else relative


def _ingestion(outcome: DomainOutcome, key: str) -> list[str]:
    return [str(entry) for entry in outcome.ingestion.get(key, [])]


@pytest.fixture(scope="module", params=DOMAINS)
def faulty(request, tmp_path_factory, clean_run) -> FaultyBuild:
    domain = request.param
    root = tmp_path_factory.mktemp(f"faults-{domain}")
    clean = clean_run(domain)
    clean_served, clean_rejected = clean.served, clean.rejected
    with ExitStack() as stack:
        build = new_build(root / "faulty", domain, stack)
        samples = sample_start(domain)
        folders = build.source_folders()
        samples_of = {source: samples[_relative(folder, build.landing)]
                      for source, folder in folders.items()}  # fmt: skip
        expected = {
            source: land_stage_one(folder, samples_of[source], root / "outside")
            for source, folder in folders.items()
        }
        run = FaultyBuild(build, list(expected.values()), clean_served, clean_rejected)
        for folder in folders.values():
            relative = _relative(folder, build.landing)
            run.names.update(
                {f.path: under_landing(relative, f.name) for f in scan_landing(folder).files}
            )
        outcomes = [build.run()]

        for source, folder in folders.items():
            land_stage_two(folder, samples_of[source], expected[source])
        ready = root / "reader-ready"
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(build.settings.duckdb_path), str(ready),
             str(HOLD_SECONDS)], stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        while not ready.exists():
            time.sleep(0.05)
        outcomes.append(build.run())
        run.reader_let_go_at = float(reader.communicate(timeout=60)[0])
        for outcome in outcomes:
            run.skipped += _ingestion(outcome, "skipped")
            run.unreadable += _ingestion(outcome, "unreadable")
            run.redelivered += _ingestion(outcome, "redelivered")
        yield run


def test_every_run_succeeds_and_reconciles(faulty):
    assert len(faulty.build.outcomes) == 2
    for outcome in faulty.build.outcomes:
        assert_clean_outcome(faulty.build, outcome)


def test_the_served_tables_equal_a_clean_run_on_the_good_files(faulty):
    with faulty.build.connect() as conn:
        served = served_tables(conn, faulty.build.domain)
    assert served.keys() == faulty.clean_served.keys()
    for table, rows in served.items():
        assert rows == faulty.clean_served[table], table


def test_the_quarantine_holds_the_clean_rejects_and_one_row_per_cut_line(faulty):
    with faulty.build.connect() as conn:
        rejected = rejected_rows(conn, faulty.build.domain)
    good_names = {row[0] for row in faulty.clean_rejected} | {
        faulty.names[path] for expected in faulty.expected for path in expected.truncated
    }
    of_good_files = [row for row in rejected if row[0] in good_names]
    extra = sorted(set(of_good_files) - set(faulty.clean_rejected))
    assert set(faulty.clean_rejected) <= set(of_good_files)
    cut_files = [path for expected in faulty.expected for path in expected.truncated]
    assert len(extra) == len(cut_files)  # the line its writer had not finished, once
    for (name, _line, reason, record), path in zip(extra, cut_files, strict=True):
        assert name == faulty.names[path] and reason == "malformed_json"
        lines = path.read_bytes().decode("utf-8", "replace").splitlines()
        assert any(line.startswith(record) for line in lines)
    assert len(of_good_files) == len(set(of_good_files))  # no record rejected twice


def _counts(faulty) -> tuple[dict[str, int], dict[str, list[str]]]:
    """source_file -> raw records; source_file -> reasons of its rejected records."""
    with faulty.build.connect() as conn:
        raw = raw_counts(faulty.build, conn)
        reasons: dict[str, list[str]] = {}
        for name, _line, reason, _record in rejected_rows(conn, faulty.build.domain):
            reasons.setdefault(name, []).append(reason)
    return raw, reasons


def _paths(faulty, kind: str) -> list[Path]:
    return [path for expected in faulty.expected for path in getattr(expected, kind)]


def test_known_content_under_another_name_or_compressed_loads_nothing(faulty):
    raw, reasons = _counts(faulty)
    copies = _paths(faulty, "copies")
    assert len(copies) == 3 * len(faulty.expected)
    for path in copies:
        assert raw.get(faulty.names.get(path, path.name), 0) == 0, path
        assert any(
            entry.startswith(f"{path.name} (same content as") for entry in faulty.redelivered
        )
    for path in _paths(faulty, "duplicates"):  # UTF-16 copies of records: read, nothing new
        assert raw[faulty.names[path]] > 0 and faulty.names[path] not in reasons


def test_every_record_of_a_bad_file_is_rejected_with_a_reason(faulty):
    raw, reasons = _counts(faulty)
    for path in _paths(faulty, "invalid_encoding"):
        name = faulty.names[path]
        assert raw[name] > 0 and reasons[name] == ["invalid_encoding"] * raw[name], name
    rejected = _paths(faulty, "rejected")
    assert len(rejected) >= 10 * len(faulty.expected)
    for path in rejected:
        name = faulty.names[path]
        assert raw[name] > 0 and len(reasons[name]) == raw[name], name
        assert all(reason for reason in reasons[name]), name


def test_empty_files_are_recorded_with_no_record(faulty):
    raw, _ = _counts(faulty)
    with faulty.build.connect() as conn:
        ledger = faulty.build.ledger(conn)
    for path in _paths(faulty, "empty"):
        name = faulty.names[path]
        assert ledger[name] == (0, None) and raw.get(name, 0) == 0, name


def test_an_unreadable_file_is_in_the_ledger_with_its_reason_and_named(faulty):
    with faulty.build.connect() as conn:
        ledger = faulty.build.ledger(conn)
    for path in _paths(faulty, "unreadable"):
        records, error = ledger[faulty.names[path]]
        assert records == 0 and error, path
        assert any(entry.startswith(path.name) for entry in faulty.unreadable), faulty.unreadable


def test_links_pipes_and_folders_are_not_read_and_are_named(faulty):
    raw, _ = _counts(faulty)
    with faulty.build.connect() as conn:
        ledger = faulty.build.ledger(conn)
    skipped = _paths(faulty, "skipped")
    assert len(skipped) == 5 * len(faulty.expected)
    landed = {name.rsplit("/", 1)[-1] for name in [*ledger, *raw]}
    for path in skipped:
        assert path not in faulty.names and path.name not in landed
        assert any(entry.startswith(f"{path.name}: ") for entry in faulty.skipped), path.name
    assert not any("secret" in name for name in raw)


def test_an_analyst_s_open_connection_delays_the_run_then_the_files_load(faulty):
    (completed, *_) = _paths(faulty, "truncated")
    with faulty.build.connect() as conn:
        (completed_at,) = conn.execute(
            f"select max(epoch(ingested_at)) from main.{LEDGER_TABLE} where source_file = ?",
            [completed.name],
        ).fetchone()
    assert completed_at >= faulty.reader_let_go_at - 0.01  # loaded once the reader let go
    assert_clean_outcome(faulty.build, faulty.build.outcomes[1])
