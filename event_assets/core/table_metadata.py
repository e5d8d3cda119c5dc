"""What a Python asset that writes a warehouse table says about it, as dbt's assets do: the
table's name on its definition (the UI shows it as the asset's storage), and with each
materialization the name, its columns and its row count, read from DuckDB after the write."""

import dagster as dg
import duckdb

from event_assets.core.names import qualified


def table_name(domain: str, table: str) -> dict:
    """`dagster/table_name`: the table as SQL names it, `<domain>.<table>`."""
    return {"dagster/table_name": qualified(domain, table)}


def table_metadata(
    conn: duckdb.DuckDBPyConnection, domain: str, table: str, partition_rows: int | None = None
) -> dict:
    """`dagster/table_name`, `dagster/column_schema` and `dagster/row_count` of
    `<domain>.<table>`; `partition_rows`: the rows of the run's partitions, for a partitioned
    asset (`dagster/partition_row_count`)."""
    columns = conn.execute(
        """select column_name, lower(data_type), is_nullable = 'YES'
           from information_schema.columns
           where table_schema = ? and table_name = ? order by ordinal_position""",
        [domain, table],
    ).fetchall()
    (rows,) = conn.execute(f"select count(*) from {qualified(domain, table)}").fetchone()
    schema = dg.TableSchema(
        columns=[
            dg.TableColumn(name, kind, constraints=dg.TableColumnConstraints(nullable=nullable))
            for name, kind, nullable in columns
        ]
    )
    metadata = {
        **table_name(domain, table),
        "dagster/column_schema": schema,
        "dagster/row_count": rows,
    }
    if partition_rows is not None:
        metadata["dagster/partition_row_count"] = partition_rows
    return metadata
