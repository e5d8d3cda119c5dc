"""The headless summary names what the ingestion could not read and what it did not read."""

from pathlib import Path

from event_assets.core.runner import DomainOutcome
from event_assets.core.summary import print_summary


def test_the_summary_names_unreadable_and_skipped_entries(capsys):
    outcome = DomainOutcome("schools", Path("run.log"))
    outcome.ingestion = {
        "files_loaded": 1,
        "unreadable": ["cut.jsonl.gz: cannot decompress"],
        "skipped": ["out.jsonl: a symbolic link (links are not followed)"],
    }
    print_summary(outcome)
    printed = capsys.readouterr().out.splitlines()
    assert "warning: could not read cut.jsonl.gz: cannot decompress" in printed
    assert "note: not read: out.jsonl: a symbolic link (links are not followed)" in printed
