"""The Pandera-schema-to-asset-check factory reports failures with counts and a sample."""

import pandas as pd
import pandera.pandas as pa

from event_assets.core.checks import validate_frame

SCHEMA = pa.DataFrameSchema(
    {"id": pa.Column(str, unique=True), "minutes": pa.Column(float, pa.Check.in_range(0, 1440))}
)


def test_a_valid_frame_passes():
    result = validate_frame(SCHEMA, pd.DataFrame({"id": ["a", "b"], "minutes": [0.0, 1440.0]}))
    assert result.passed
    assert result.metadata["rows"].value == 2


def test_a_failure_reports_failing_rows_and_a_sample():
    frame = pd.DataFrame({"id": ["a", "a", "c"], "minutes": [10.0, -1.0, 2000.0]})
    result = validate_frame(SCHEMA, frame)
    assert not result.passed
    assert result.metadata["failing_rows"].value == 3  # duplicate ids on rows 0-1, ranges on 1-2
    assert "in_range" in result.metadata["failing_checks"].value
    assert "2000.0" in result.metadata["sample"].value
