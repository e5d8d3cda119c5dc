"""Records of any shape that are not valid are each in the quarantine with a reason; only a
byte-identical copy of a rejected record, or a field-identical copy of an event, is a duplicate."""

import dagster as dg

from event_assets.core.runner import run_domain
from event_assets_tests.conftest import write_events
from event_assets_tests.schools.test_end_to_end import FIRST_FILE, query

SHAPES = [
    '{"foo": 1}',
    '{"bar": 2}',
    "{}",
    '{"baz": [1, 2, 3]}',
    '{"a": {"b": {"c": {"d": {"e": null}}}}}',
    "[1, 2]",
    '"text"',
    "42",
    '{"foo": 1}',  # the first line again, byte for byte: a duplicate of a quarantined record
]


def test_every_shape_is_rejected_once_and_only_exact_copies_are_duplicates(
    settings, defs, tmp_path
):
    write_events(settings.landing_dir("schools") / "day-1.jsonl", FIRST_FILE)
    write_events(settings.landing_dir("schools") / "odd.jsonl", SHAPES)
    with dg.instance_for_test() as instance:
        outcome = run_domain(defs, "schools", instance, tmp_path / "run.log", echo=lambda _: None)
    assert not outcome.failed_runs, outcome.runs
    assert all(check.passed for check in outcome.checks if check.severity == "ERROR")
    statuses = query(
        settings,
        """select raw.line_number, classified.status, classified.reason
           from schools.int_schools__events_classified as classified
           join schools.raw_schools_events as raw using (raw_id)
           where raw.source_file like '%odd.jsonl' order by raw.line_number""",
    )
    assert [status for _, status, _ in statuses] == ["rejected"] * 8 + ["duplicate"]
    assert {reason for _, status, reason in statuses if status == "rejected"} <= {
        "missing_field",
        "malformed_json",
    }
    rejected = query(
        settings,
        """select line_number, raw_record from schools.schools_rejected_events
           where source_file like '%odd.jsonl' order by line_number""",
    )
    assert [line for line, _ in rejected] == list(range(1, 9))
