"""Turn a Pandera schema into a Dagster asset check on a warehouse table, and other shared checks.

Domains only declare schemas (Pandera's polars `DataFrameSchema`s named after their tables); this
module loads the table from DuckDB into polars (Arrow, no per-value Python objects: a 4.9 M-row
table validates in about 3 s, against 14 s through pandas), validates it lazily (all errors at
once) and reports how many rows failed and a sample of the failure cases in the check's metadata.
"""

import dagster as dg
import pandera.polars as pa
import polars as pl
from pandera.polars import Check, Column

from event_assets.core.names import asset_key, qualified
from event_assets.core.quarantine import rejected_table, rejection_reasons, statuses
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse, table_exists

SAMPLE_SIZE = 10


def in_order_check(first: str, then: str, error: str) -> pa.Check:
    """A Pandera (polars) row check: `then` is not before `first` where both are known."""
    return pa.Check(
        lambda data: data.lazyframe.select(
            pl.col(then).is_null() | pl.col(first).is_null() | (pl.col(then) >= pl.col(first))
        ),
        error=error,
    )


def validate_frame(
    schema: pa.DataFrameSchema, frame: pl.DataFrame, metadata: dict | None = None
) -> dg.AssetCheckResult:
    """Validate `frame`; a failure reports failing rows, failing checks and a sample.
    `metadata` is added to the result's."""
    metadata = metadata or {}
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.to_pandas()  # one row per failing value
        failing_rows = cases["index"].dropna().nunique()
        by_check = (
            cases.assign(column=cases["column"].fillna("(table)"))
            .groupby(["column", "check"], dropna=False)
            .size()
            .reset_index(name="failures")
        )
        sample = cases.head(SAMPLE_SIZE)[["column", "check", "failure_case", "index"]]
        return dg.AssetCheckResult(
            passed=False,
            metadata={
                **metadata,
                "rows": len(frame),
                "failing_rows": int(failing_rows),
                "failing_checks": dg.MetadataValue.md(by_check.to_markdown(index=False)),
                "sample": dg.MetadataValue.md(sample.astype(str).to_markdown(index=False)),
            },
        )
    return dg.AssetCheckResult(
        passed=True, metadata={**metadata, "rows": len(frame), "failing_rows": 0}
    )


def rejected_records_schema(domain: str) -> pa.DataFrameSchema:
    """The Pandera schema of a domain's rejected-records table: the quarantine contract's
    leading columns, every record once, a reason the domain declares."""
    table = rejected_table(domain)
    return pa.DataFrameSchema(
        {
            "source_file": Column(pl.Utf8),
            "line_number": Column(pl.Int64, Check.ge(1)),
            "file_hash": Column(pl.Utf8),
            "reason": Column(pl.Utf8, Check.isin(rejection_reasons(domain))),
            "raw_record": Column(pl.Utf8, nullable=True),
            "ingested_at": Column(pl.Datetime),
        },
        # the same content can reach two sources of a domain: the file tells them apart
        unique=["source_file", "file_hash", "line_number"],
        description=f"{table}: every rejected record once, with a reason {domain} declares.",
    )


def build_pandera_check(
    domain: str,
    table: str,
    schema: pa.DataFrameSchema,
    blocking: bool = True,
    rows_sql: str | None = None,
) -> dg.AssetChecksDefinition:
    """An asset check that validates the warehouse table `<domain>.<table>` against `schema`.

    A failure has severity ERROR; `blocking`: it then stops what depends on the table in the
    same run (Dagster skips those steps and fails the run), as dbt's error-severity tests do.
    `rows_sql`: a query for the rows to validate when not the whole table (e.g. the rows the
    last incremental build wrote); the check's description and metadata say so."""
    description = schema.description or f"`{table}` matches its Pandera schema."
    if rows_sql:
        description += " Validates the rows the last build wrote."
    name = qualified(domain, table)

    @dg.asset_check(
        asset=asset_key(domain, table),
        name=f"{table}_matches_schema",
        description=description,
        blocking=blocking,
        pool=WAREHOUSE_POOL,
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as conn:
            if not table_exists(conn, table, schema=domain):
                return dg.AssetCheckResult(
                    passed=False, metadata={"error": f"table {name} does not exist"}
                )
            frame = conn.sql(rows_sql or f"select * from {name}").pl()
        scope = "rows the last build wrote" if rows_sql else "whole table"
        return validate_frame(schema, frame, metadata={"validated": scope})

    return _check


def build_reconciliation_check(
    domain: str, raw_table: str, classified_table: str
) -> dg.AssetChecksDefinition:
    """`received = valid + rejected + duplicates`: every raw record has exactly one status.

    Both tables are the domain's; `raw_id` identifies a raw record in both."""
    raw, classified = qualified(domain, raw_table), qualified(domain, classified_table)
    valid, rejected, duplicate = statuses()

    @dg.asset_check(
        asset=asset_key(domain, classified_table),
        name=f"{raw_table}_reconciles",
        description=(
            f"Every record of `{raw_table}` ends up exactly once in `{classified_table}` as "
            f"{valid}, {rejected} or {duplicate}: received = valid + rejected + duplicates."
        ),
        pool=WAREHOUSE_POOL,
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as conn:
            received, raw_ids = conn.execute(_ids_fingerprint(raw)).fetchone()
            counts = dict(
                conn.execute(
                    f"select status, count(*) from {classified} group by status"
                ).fetchall()
            )
            same_ids = conn.execute(_ids_fingerprint(classified)).fetchone() == (received, raw_ids)
            unclassified = 0
            if not same_ids:
                # not the same raw ids: count the records without a status (a join, which
                # costs a scan of both tables that the fingerprints above do not)
                unclassified = conn.execute(
                    f"""select count(*) from {raw} r
                        left join {classified} c using (raw_id)
                        where c.status is null"""
                ).fetchone()[0]
        statused = counts.get(valid, 0) + counts.get(rejected, 0) + counts.get(duplicate, 0)
        # a status outside the three would make the classified rows outnumber `statused`
        return dg.AssetCheckResult(
            passed=received == statused == sum(counts.values()) and same_ids,
            metadata={
                "received": received,
                "valid": counts.get(valid, 0),
                "rejected": counts.get(rejected, 0),
                "duplicates": counts.get(duplicate, 0),
                "unclassified": unclassified,
            },
        )

    return _check


def _ids_fingerprint(table: str) -> str:
    """SQL: the rows of `table` and the sum of their `raw_id`s' 64-bit hashes. Two tables with
    the same raw ids, each once, give the same pair; a table missing one id and holding another
    twice gives the same pair only if the hashes collide, which ingestion's ids do not seek."""
    return f"select count(*), coalesce(sum(hash(raw_id)::hugeint), 0) from {table}"
