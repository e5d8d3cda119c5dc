"""The Pandera-schema-to-asset-check factory reports failures with counts and a sample, and a
failure stops what depends on the table."""

from datetime import date, datetime

import dagster as dg
import duckdb
import pandera.polars as pa
import polars as pl

from event_assets.core.checks import (
    build_pandera_check,
    build_reconciliation_check,
    validate_frame,
)
from event_assets.core.names import asset_key
from event_assets.core.pipeline import Domain
from event_assets.core.runner import run_domain
from event_assets.core.warehouse import Warehouse
from event_assets.defs.engagement.schemas import SCHEMAS as ENGAGEMENT
from event_assets.defs.schools.schemas import SCHEMAS as SCHOOLS
from event_assets_tests.conftest import write_events

SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(pl.Utf8, unique=True),
        "minutes": pa.Column(pl.Float64, pa.Check.in_range(0, 1440)),
    }
)
UUID_A = "0b5a0c0e-0000-4000-8000-00000000000a"
UUID_B = "0b5a0c0e-0000-4000-8000-00000000000b"


def test_a_valid_frame_passes():
    result = validate_frame(SCHEMA, pl.DataFrame({"id": ["a", "b"], "minutes": [0.0, 1440.0]}))
    assert result.passed
    assert result.metadata["rows"].value == 2


def test_a_failure_reports_failing_rows_and_a_sample():
    frame = pl.DataFrame({"id": ["a", "a", "c"], "minutes": [10.0, -1.0, 2000.0]})
    result = validate_frame(SCHEMA, frame)
    assert not result.passed
    assert result.metadata["failing_rows"].value == 3  # duplicate ids on rows 0-1, ranges on 1-2
    assert "in_range" in result.metadata["failing_checks"].value
    assert "2000.0" in result.metadata["sample"].value


def test_a_wrong_column_type_fails():
    frame = pl.DataFrame({"id": ["a"], "minutes": [10]})  # integers, not floats
    result = validate_frame(SCHEMA, frame)
    assert not result.passed
    assert "dtype" in result.metadata["failing_checks"].value


def test_a_check_validates_the_whole_table_or_the_rows_it_is_given(tmp_path):
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as conn:
        conn.execute(
            """create table main.minutes as select * from
               (values ('a', 10.0::double, true), ('b', -5.0, false)) v(id, minutes, recent)"""
        )
    warehouse = Warehouse(data_dir=str(tmp_path), duckdb_path=str(database))
    whole = build_pandera_check("main", "minutes", SCHEMA)(warehouse=warehouse)
    assert not whole.passed
    assert "in_range" in whole.metadata["failing_checks"].value  # row b: -5 minutes
    assert whole.metadata["validated"].value == "whole table"
    recent_rows = "select id, minutes from main.minutes where recent"
    recent = build_pandera_check("main", "minutes", SCHEMA, rows_sql=recent_rows)(
        warehouse=warehouse
    )
    assert recent.passed
    assert recent.metadata["rows"].value == 1
    assert recent.metadata["validated"].value == "rows the last build wrote"


def test_the_reconciliation_counts_every_raw_record_once(tmp_path):
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as conn:
        conn.execute("create table main.raw_rows as select range as raw_id from range(1, 5)")
        conn.execute(
            """create table main.classified as select * from (values
               (1, 'valid'), (2, 'valid'), (3, 'rejected'), (4, 'duplicate')) v(raw_id, status)"""
        )
    warehouse = Warehouse(data_dir=str(tmp_path), duckdb_path=str(database))
    check = build_reconciliation_check("main", "raw_rows", "classified")

    def outcome():
        result = check(warehouse=warehouse)
        return result.passed, {name: value.value for name, value in result.metadata.items()}

    assert outcome() == (
        True,
        {"received": 4, "valid": 2, "rejected": 1, "duplicates": 1, "unclassified": 0},
    )
    # Record 4 classified twice, record 3 not at all: the counts still add up to 4.
    with duckdb.connect(str(database)) as conn:
        conn.execute("update main.classified set raw_id = 4 where raw_id = 3")
    assert outcome() == (
        False,
        {"received": 4, "valid": 2, "rejected": 1, "duplicates": 1, "unclassified": 1},
    )
    # A record classified that was never received, and every received one classified.
    with duckdb.connect(str(database)) as conn:
        conn.execute("update main.classified set raw_id = 3 where status = 'rejected'")
        conn.execute("insert into main.classified values (5, 'valid')")
    assert outcome()[0] is False


def _sessions(**changes) -> pl.DataFrame:
    row = {
        "session_id": UUID_A,
        "device_id": UUID_B,
        "started_at": datetime(2026, 1, 5, 8),
        "ended_at": datetime(2026, 1, 5, 9),
        "duration_minutes": 60.0,
        "school_id": None,
        "school_name": None,
    } | changes
    return pl.DataFrame(
        [row],
        schema={
            "session_id": pl.Utf8,
            "device_id": pl.Utf8,
            "started_at": pl.Datetime("us"),
            "ended_at": pl.Datetime("us"),
            "duration_minutes": pl.Float64,
            "school_id": pl.Utf8,
            "school_name": pl.Utf8,
        },
    )


def test_the_sessions_schema_catches_what_the_contract_forbids():
    sessions = SCHOOLS["sessions"]
    assert validate_frame(sessions, _sessions()).passed
    assert validate_frame(sessions, _sessions(ended_at=None, duration_minutes=None)).passed
    for broken, failing in [
        (_sessions(ended_at=datetime(2026, 1, 5, 7)), "ended_at is before started_at"),
        (_sessions(duration_minutes=None), "duration_minutes is null exactly when"),
        (_sessions(device_id="DEVICE-1"), "str_matches"),
        (pl.concat([_sessions(), _sessions()]), "field_uniqueness"),
    ]:
        result = validate_frame(sessions, broken)
        assert not result.passed
        assert failing in result.metadata["failing_checks"].value


def test_the_engagement_schemas_check_order_and_ranges():
    dim_date = pl.DataFrame(
        {"date": [date(2026, 1, 5)], "iso_week": [54], "quarter": [1], "day_of_week": [1]},
        schema={
            "date": pl.Date,
            "iso_week": pl.Int32,
            "quarter": pl.Int32,
            "day_of_week": pl.Int32,
        },
    )
    result = validate_frame(ENGAGEMENT["dim_date"], dim_date)
    assert not result.passed and "in_range" in result.metadata["failing_checks"].value
    users = pl.DataFrame(
        {
            "user_id": ["u1", "u2"],
            "registration_at": [None, None],
            "trial_start_at": [datetime(2026, 1, 5), None],
            "trial_end_at": [datetime(2026, 1, 4), datetime(2026, 1, 4)],
            "subscription_start_at": [None, None],
            "subscription_expire_at": [None, None],
        },
        schema_overrides={"registration_at": pl.Datetime("us")},
    )
    result = validate_frame(ENGAGEMENT["dim_user_subscription"], users)
    assert not result.passed
    assert result.metadata["failing_rows"].value == 1  # u2 has no trial start: not out of order
    assert "trial ends before it starts" in result.metadata["failing_checks"].value


def test_a_failing_schema_check_stops_what_depends_on_its_table_and_fails_the_run(
    settings, tmp_path
):
    """In the same run, the step downstream of a table whose schema check fails does not run;
    the headless run reports the failed ERROR check (so `python -m event_assets run` exits 1)."""
    domain = "checked"

    @dg.asset(key=asset_key(domain, "counted"), deps=[asset_key(domain, "raw_checked_events")])
    def counted(warehouse: Warehouse) -> None:
        with warehouse.connect() as conn:
            conn.execute(
                f"create or replace table {domain}.counted as "
                f"select count(*)::bigint as n from {domain}.raw_checked_events"
            )

    @dg.asset(key=asset_key(domain, "after"), deps=[counted])
    def after(warehouse: Warehouse) -> None:
        with warehouse.connect() as conn:
            conn.execute(f"create table {domain}.after as select 1 as x")

    at_least_five = pa.DataFrameSchema({"n": pa.Column(pl.Int64, pa.Check.ge(5))})
    toy = Domain(
        name=domain,
        assets=[counted, after],
        asset_checks=[build_pandera_check(domain, "counted", at_least_five)],
    )
    defs = dg.Definitions.merge(
        toy.definitions(),
        dg.Definitions(resources={"warehouse": Warehouse.from_settings(settings)}),
    )
    write_events(settings.landing_dir(domain) / "a.jsonl", [{"k": 1}, {"k": 2}])  # n = 2 < 5
    with dg.instance_for_test() as instance:
        outcome = run_domain(defs, domain, instance, tmp_path / "log", echo=lambda _: None)

    (failed,) = outcome.failed_error_checks
    assert (failed.asset, failed.check) == ("checked/counted", "counted_matches_schema")
    assert not outcome.ok
    run, step = outcome.failed_runs
    assert run == "checked_ingest (ingest)" and "1 blocking asset check failed" in step
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        tables = {row[0] for row in conn.execute("show tables from checked").fetchall()}
    assert "counted" in tables and "after" not in tables
