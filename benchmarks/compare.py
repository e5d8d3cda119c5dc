"""Do ours, the pandas reference and the DuckDB floor give the same `schools` contract tables?

    python benchmarks/compare.py DATA_DIR

compares the four tables in DATA_DIR's warehouse (`warehouse.duckdb`, as `python -m event_assets
run` left it) with what the pandas reference and the DuckDB floor compute from
DATA_DIR/landing/schools/ (in this process), and exits 1 when they differ. `benchmarks/schools.py`
uses the same functions on the tables its measured runs wrote.

Tables are matched on their keys (sorting does not matter) and compared column by column in
DuckDB: times as TIMESTAMP, floats with an absolute tolerance of 1e-6, NULL equal to NULL.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

BENCH_DIR = Path(__file__).resolve().parent
FLOOR_SQL = BENCH_DIR / "duckdb_floor.sql"
TOLERANCE = 1e-6
EXAMPLES = 5
_CASTS = {"text": "VARCHAR", "ts": "TIMESTAMP", "float": "DOUBLE", "int": "BIGINT", "date": "DATE"}


@dataclass(frozen=True)
class TableSpec:
    """A contract table: its key columns and the columns compared (name -> kind)."""

    keys: tuple[str, ...]
    columns: dict[str, str]


TABLES: dict[str, TableSpec] = {
    "sessions": TableSpec(
        keys=("session_id",),
        columns={
            "session_id": "text",
            "device_id": "text",
            "started_at": "ts",
            "ended_at": "ts",
            "duration_minutes": "float",
            "school_id": "text",
            "school_name": "text",
        },
    ),
    "devices": TableSpec(
        keys=("device_id",),
        columns={
            "device_id": "text",
            "school_id": "text",
            "first_session_started_at": "ts",
            "session_count": "int",
        },
    ),
    "schools": TableSpec(
        keys=("school_id",),
        columns={
            "school_id": "text",
            "name": "text",
            "device_count": "int",
            "median_session_length": "float",
            "mean_session_length": "float",
            "session_count": "int",
            "completed_session_count": "int",
        },
    ),
    "usage_history": TableSpec(
        keys=("device_id", "date"),
        columns={
            "device_id": "text",
            "date": "date",
            "usage_minutes": "float",
            "avg_usage_minutes_7d": "float",
        },
    ),
}


@dataclass
class TableDiff:
    """How one implementation's table differs from another's."""

    table: str
    left: str
    right: str
    left_rows: int = 0
    right_rows: int = 0
    duplicate_keys: dict[str, int] = field(default_factory=dict)
    only_left: int = 0
    only_right: int = 0
    mismatches: dict[str, int] = field(default_factory=dict)  # column -> rows that differ
    examples: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (
            self.only_left
            or self.only_right
            or any(self.mismatches.values())
            or any(self.duplicate_keys.values())
        )

    def summary(self) -> str:
        if self.equal:
            return f"equal ({self.left_rows:,} rows)"
        parts = [f"{self.left} {self.left_rows:,} rows, {self.right} {self.right_rows:,}"]
        parts += [f"{n:,} duplicate keys in {who}" for who, n in self.duplicate_keys.items() if n]
        if self.only_left:
            parts.append(f"{self.only_left:,} only in {self.left}")
        if self.only_right:
            parts.append(f"{self.only_right:,} only in {self.right}")
        parts += [f"{column} differs in {n:,}" for column, n in self.mismatches.items() if n]
        return "DIFFERENT: " + "; ".join(parts)


def canonical_sql(relation: str, spec: TableSpec) -> str:
    """The compared columns of `relation`, cast to one type per kind."""
    columns = ", ".join(
        f"CAST({name} AS {_CASTS[kind]}) AS {name}" for name, kind in spec.columns.items()
    )
    return f"SELECT {columns} FROM {relation}"


def _differs(name: str, kind: str) -> str:
    left, right = f"l.{name}", f"r.{name}"
    if kind == "float":
        both_null = f"({left} IS NULL AND {right} IS NULL)"
        return f"NOT coalesce({both_null} OR abs({left} - {right}) <= {TOLERANCE}, false)"
    return f"{left} IS DISTINCT FROM {right}"


def diff_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    left: tuple[str, str],
    right: tuple[str, str],
) -> TableDiff:
    """Compare `table` of two implementations given as (name, relation)."""
    spec = TABLES[table]
    diff = TableDiff(table, left[0], right[0])
    keys = ", ".join(spec.keys)
    for name, relation in (left, right):
        rows, distinct = con.execute(
            f"SELECT count(*), count(DISTINCT ({keys})) FROM ({canonical_sql(relation, spec)})"
        ).fetchone()
        diff.duplicate_keys[name] = rows - distinct
        if name == left[0]:
            diff.left_rows = rows
        else:
            diff.right_rows = rows
    values = [c for c in spec.columns if c not in spec.keys]
    joined = (
        f"(SELECT *, true AS in_side FROM ({canonical_sql(left[1], spec)})) AS l "
        f"FULL OUTER JOIN (SELECT *, true AS in_side FROM ({canonical_sql(right[1], spec)})) AS r "
        "ON " + " AND ".join(f"l.{k} = r.{k}" for k in spec.keys)
    )
    counts = ", ".join(
        f"count(*) FILTER (WHERE l.in_side AND r.in_side AND {_differs(c, spec.columns[c])})"
        for c in values
    )
    row = con.execute(
        f"""SELECT count(*) FILTER (WHERE r.in_side IS NULL),
                   count(*) FILTER (WHERE l.in_side IS NULL), {counts}
            FROM {joined}"""
    ).fetchone()
    diff.only_left, diff.only_right = row[0], row[1]
    diff.mismatches = dict(zip(values, row[2:], strict=True))
    if not diff.equal:
        diff.examples = _examples(con, spec, joined, values, diff)
    return diff


def _examples(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    joined: str,
    values: list[str],
    diff: TableDiff,
) -> list[str]:
    """A few differing rows, each as `key: column left=.. right=..` text."""
    any_differs = " OR ".join(
        ["l.in_side IS NULL", "r.in_side IS NULL"] + [_differs(c, spec.columns[c]) for c in values]
    )
    names = list(spec.columns)
    selected = ", ".join([f"l.{c}" for c in names] + [f"r.{c}" for c in names])
    rows = con.execute(
        f"SELECT l.in_side, r.in_side, {selected} FROM {joined} WHERE {any_differs} "
        f"ORDER BY {', '.join(f'coalesce(l.{k}, r.{k})' for k in spec.keys)} LIMIT {EXAMPLES}"
    ).fetchall()
    examples = []
    for row in rows:
        in_left, in_right = row[0], row[1]
        left = dict(zip(names, row[2 : 2 + len(names)], strict=True))
        right = dict(zip(names, row[2 + len(names) :], strict=True))
        key = ", ".join(f"{k}={(left if in_left else right)[k]}" for k in spec.keys)
        if not in_left or not in_right:
            only = diff.left if in_left else diff.right
            shown = left if in_left else right
            examples.append(f"{key}: only in {only}: {shown}")
            continue
        changed = [
            f"{c} {diff.left}={left[c]!r} {diff.right}={right[c]!r}"
            for c in values
            if _values_differ(spec.columns[c], left[c], right[c])
        ]
        examples.append(f"{key}: " + "; ".join(changed))
    return examples


def _values_differ(kind: str, left: object, right: object) -> bool:
    if kind == "float" and left is not None and right is not None:
        return abs(left - right) > TOLERANCE
    return left != right


def open_sources(
    ours_db: Path | None = None,
    floor_db: Path | None = None,
    pandas_tables: dict | None = None,
) -> tuple[duckdb.DuckDBPyConnection, dict[str, str]]:
    """A connection that sees every given implementation; returns it and their table prefixes.

    `pandas_tables` maps table names to DataFrames (or is None when pandas did not run).
    """
    con = duckdb.connect()
    prefixes = {}
    # ours keeps the domain's tables in its schema; the floor script in DuckDB's default one
    for name, path, schema in (("ours", ours_db, "schools"), ("floor", floor_db, "main")):
        if path is not None:
            con.execute(f"ATTACH '{_quoted(path)}' AS {name} (READ_ONLY)")
            prefixes[name] = f"{name}.{schema}."
    if pandas_tables is not None:
        for table, frame in pandas_tables.items():
            con.register(f"pandas_{table}", frame)
        prefixes["pandas"] = "pandas_"
    return con, prefixes


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def compare_sources(
    con: duckdb.DuckDBPyConnection, prefixes: dict[str, str], base: str = "ours"
) -> list[TableDiff]:
    """Every other implementation against `base`, table by table."""
    diffs = []
    for other, prefix in prefixes.items():
        if other == base:
            continue
        for table in TABLES:
            left = (base, prefixes[base] + table)
            diffs.append(diff_table(con, table, left, (other, prefix + table)))
    return diffs


def load_pandas_tables(directory: Path) -> dict:
    """The pickles `pandas_reference.py` wrote."""
    import pandas as pd

    return {table: pd.read_pickle(directory / f"{table}.pkl") for table in TABLES}


def run_floor(landing_glob: str, db_path: Path) -> None:
    """Run `duckdb_floor.sql` over the files matching `landing_glob` into `db_path`."""
    with duckdb.connect(str(db_path)) as con:
        con.execute(f"SET VARIABLE landing_glob = '{_quoted(Path(landing_glob))}'")
        con.execute(FLOOR_SQL.read_text())


def compare_runs(
    ours_db: Path | None, floor_db: Path | None, pandas_dir: Path | None
) -> list[TableDiff]:
    """Compare what the measured runs wrote (missing ones are left out)."""
    pandas_tables = load_pandas_tables(pandas_dir) if pandas_dir is not None else None
    con, prefixes = open_sources(ours_db, floor_db, pandas_tables)
    base = "ours" if "ours" in prefixes else "floor"
    with con:
        return compare_sources(con, prefixes, base)


def format_report(diffs: list[TableDiff]) -> str:
    """One line per comparison, then the examples of those that differ."""
    lines = []
    for diff in diffs:
        lines.append(f"{diff.table:<14} {diff.left} vs {diff.right}: {diff.summary()}")
        lines += [f"    {example}" for example in diff.examples]
    return "\n".join(lines)


def compare_data_dir(data_dir: Path) -> list[TableDiff]:
    """Ours (the warehouse in `data_dir`) against both references computed here and now."""
    sys.path.insert(0, str(BENCH_DIR))
    import pandas_reference

    landing = data_dir / "landing" / "schools"
    pandas_tables = pandas_reference.build_tables(landing)
    with tempfile.TemporaryDirectory(prefix="compare_") as scratch:
        floor_db = Path(scratch) / "floor.duckdb"
        run_floor(str(landing / "*.jsonl"), floor_db)
        con, prefixes = open_sources(data_dir / "warehouse.duckdb", floor_db, pandas_tables)
        with con:
            return compare_sources(con, prefixes)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    diffs = compare_data_dir(Path(argv[0]))
    print(format_report(diffs))
    return 0 if all(diff.equal for diff in diffs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
