"""Fuzzing every domain's raw records with hypothesis: arbitrary JSON values in every field, and
mutations of the domain's own sample records (a field set to any JSON value, dropped, or turned
into text; a record replaced by any JSON value or by a line that is no JSON at all).

Per source, hypothesis writes a file of fuzzed records (each record one example) next to the
start of the bundled sample, and the real pipeline runs once over them. Asserted: the run does
not crash, no error-severity check fails (the checks judge only what the pipeline accepted),
every raw table reconciles (each record valid, rejected with a reason, or a duplicate), and
every rejected record is in the quarantine with its reason.

Random in a developer's run (hypothesis prints how to reproduce a failure); the same examples
in CI (`CI` set), so that a red CI run is a failure anyone can reproduce.
"""

import json
import os
from contextlib import ExitStack

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from event_assets_tests.conftest import DOMAINS
from event_assets_tests.faults.builds import (
    assert_clean_outcome,
    new_build,
    raw_counts,
    rejected_rows,
    under_landing,
)
from event_assets_tests.sample import copy_sample_start, sample_start

pytestmark = pytest.mark.faults

FUZZED_RECORDS = 150  # per source: enough for every mutation many times, one pipeline run
FUZZ_FILE = "zz-fuzzed.jsonl"

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
not_json = st.text(max_size=40).map(lambda text: text.replace("\n", " ").replace("\r", " "))


def mutated(record: dict) -> st.SearchStrategy[str]:
    """One line: the record with one field set to any JSON value, dropped or made text, or a
    new field added; NaN and Infinity written as the bare words some writers use."""
    fields = sorted(record)

    def set_field(field_and_value):
        field, value = field_and_value
        return {**record, field: value}

    def drop_field(field):
        return {name: value for name, value in record.items() if name != field}

    def as_text(field):
        return {**record, field: json.dumps(record[field])}

    changes = (
        st.tuples(st.sampled_from(fields), json_values).map(set_field)
        | st.sampled_from(fields).map(drop_field)
        | st.sampled_from(fields).map(as_text)
        | st.tuples(st.text(max_size=8), json_values).map(set_field)
    )
    return changes.map(lambda changed: json.dumps(changed, allow_nan=True))


def fuzzed_line(records: list[dict]) -> st.SearchStrategy[str]:
    return (
        st.sampled_from(records).flatmap(mutated)
        | json_values.map(lambda value: json.dumps(value, allow_nan=True))
        | not_json
    )


def fuzzed_lines(records: list[dict]) -> list[str]:
    """FUZZED_RECORDS lines, each one example of hypothesis (one example of a whole file would
    be a single, near-minimal draw: many short examples are what explores)."""
    lines: list[str] = []

    @settings(
        max_examples=FUZZED_RECORDS,
        deadline=None,
        database=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzzed_line(records))
    def collect(line: str) -> None:
        lines.append(line)

    collect()
    return lines


def sample_records(files) -> list[dict]:
    records = []
    for path in files:
        for line in path.read_bytes().splitlines():
            try:
                value = json.loads(line.decode())
            except ValueError:  # the sample's own bad lines (not UTF-8, not JSON)
                continue
            if isinstance(value, dict) and value:
                records.append(value)
    return records


@pytest.mark.parametrize("domain", DOMAINS)
def test_fuzzed_records_are_judged_and_reconcile(domain, tmp_path_factory, dbt_manifest):
    samples = sample_start(domain)
    with ExitStack() as stack:
        build = new_build(tmp_path_factory.mktemp(f"fuzz-{domain}"), domain, stack)
        copy_sample_start(domain, build.landing)
        fuzz_names = []
        for folder in build.source_folders().values():
            lines = fuzzed_lines(sample_records(samples[folder_name(build, folder)]))
            (folder / FUZZ_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
            fuzz_names.append(under_landing(folder_name(build, folder), FUZZ_FILE))

        outcome = build.run()
        assert_clean_outcome(build, outcome)  # no crash, no failed check, reconciles
        with build.connect() as conn:
            raw = raw_counts(build, conn)
            rejected = [row for row in rejected_rows(conn, domain) if row[0] in fuzz_names]
        assert all(name in raw for name in fuzz_names)
        assert all(reason for _, _, reason, _ in rejected)


def folder_name(build, folder) -> str:
    relative = folder.relative_to(build.landing).as_posix()
    return "" if relative == "." else relative
