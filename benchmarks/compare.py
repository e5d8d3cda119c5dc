"""Do ours and the references (the DuckDB floor, for `schools` pandas too) give the same tables?

    python benchmarks/compare.py [--domain schools|telemetry] DATA_DIR

compares the domain's contract tables in DATA_DIR's warehouse (`warehouse.duckdb`, as `python -m
event_assets run` left it) with what the references compute from DATA_DIR/landing/<domain>/ (in
this process), and exits 1 when they differ. `benchmarks/bench.py` uses the same functions on the
tables its measured runs wrote; which tables a domain has, and their keys and column kinds, is
the domain's `TABLES` (`schools.py`, `telemetry.py`).

Tables are matched on their keys (sorting does not matter) and compared column by column in
DuckDB: times as TIMESTAMP, floats with an absolute tolerance of 1e-6, lists of structs as their
JSON text, NULL equal to NULL.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

BENCH_DIR = Path(__file__).resolve().parent
TOLERANCE = 1e-6
EXAMPLES = 5
_CASTS = {
    "text": "VARCHAR",
    "ts": "TIMESTAMP",
    "float": "DOUBLE",
    "int": "BIGINT",
    "date": "DATE",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True)
class TableSpec:
    """A contract table: its key columns and the columns compared (name -> kind)."""

    keys: tuple[str, ...]
    columns: dict[str, str]


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
        f"{_canonical(name, kind)} AS {name}" for name, kind in spec.columns.items()
    )
    return f"SELECT {columns} FROM {relation}"


def _canonical(name: str, kind: str) -> str:
    # a list of structs (kind "json") compares as its JSON text: equal lists in equal order
    if kind == "json":
        return f"CAST(to_json({name}) AS VARCHAR)"
    return f"CAST({name} AS {_CASTS[kind]})"


def _differs(name: str, kind: str) -> str:
    left, right = f"l.{name}", f"r.{name}"
    if kind == "float":
        both_null = f"({left} IS NULL AND {right} IS NULL)"
        return f"NOT coalesce({both_null} OR abs({left} - {right}) <= {TOLERANCE}, false)"
    return f"{left} IS DISTINCT FROM {right}"


def diff_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    spec: TableSpec,
    left: tuple[str, str],
    right: tuple[str, str],
) -> TableDiff:
    """Compare `table` of two implementations given as (name, relation)."""
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
    ours_schema: str = "schools",
) -> tuple[duckdb.DuckDBPyConnection, dict[str, str]]:
    """A connection that sees every given implementation; returns it and their table prefixes.

    `pandas_tables` maps table names to DataFrames (or is None when pandas did not run).
    """
    con = duckdb.connect()
    prefixes = {}
    # ours keeps the domain's tables in its schema; the floor script in DuckDB's default one
    for name, path, schema in (("ours", ours_db, ours_schema), ("floor", floor_db, "main")):
        if path is not None:
            con.execute(f"ATTACH '{_quoted(path)}' AS {name} (READ_ONLY)")
            prefixes[name] = f"{name}.{schema}."
    if pandas_tables is not None:
        for table, frame in pandas_tables.items():
            con.register(f"pandas_{table}", frame)
        prefixes["pandas"] = "pandas_"
    return con, prefixes


def _quoted(path: Path | str) -> str:
    return str(path).replace("'", "''")


def compare_sources(
    con: duckdb.DuckDBPyConnection,
    prefixes: dict[str, str],
    tables: dict[str, TableSpec],
    base: str = "ours",
) -> list[TableDiff]:
    """Every other implementation against `base`, table by table."""
    diffs = []
    for other, prefix in prefixes.items():
        if other == base:
            continue
        for table, spec in tables.items():
            left = (base, prefixes[base] + table)
            diffs.append(diff_table(con, table, spec, left, (other, prefix + table)))
    return diffs


def load_pandas_tables(directory: Path, tables: dict[str, TableSpec]) -> dict:
    """The pickles a pandas reference wrote, one per table."""
    import pandas as pd

    return {table: pd.read_pickle(directory / f"{table}.pkl") for table in tables}


def run_floor(sql_path: Path, variables: dict[str, str], db_path: Path) -> None:
    """Run a floor script into `db_path`, its DuckDB variables (where the files are) set first."""
    with duckdb.connect(str(db_path)) as con:
        for name, value in variables.items():
            con.execute(f"SET VARIABLE {name} = '{_quoted(value)}'")
        con.execute(Path(sql_path).read_text())


def compare_runs(
    tables: dict[str, TableSpec],
    ours_db: Path | None,
    floor_db: Path | None,
    pandas_dir: Path | None = None,
    ours_schema: str = "schools",
) -> list[TableDiff]:
    """Compare what the measured runs wrote (missing ones are left out)."""
    pandas_tables = load_pandas_tables(pandas_dir, tables) if pandas_dir is not None else None
    con, prefixes = open_sources(ours_db, floor_db, pandas_tables, ours_schema)
    base = "ours" if "ours" in prefixes else "floor"
    with con:
        return compare_sources(con, prefixes, tables, base)


def format_report(diffs: list[TableDiff]) -> str:
    """One line per comparison, then the examples of those that differ."""
    width = max((len(diff.table) for diff in diffs), default=0)
    lines = []
    for diff in diffs:
        lines.append(f"{diff.table:<{width}} {diff.left} vs {diff.right}: {diff.summary()}")
        lines += [f"    {example}" for example in diff.examples]
    return "\n".join(lines)


def compare_data_dir(data_dir: Path, domain_name: str = "schools") -> list[TableDiff]:
    """Ours (the warehouse in `data_dir`) against the domain's references computed here and now."""
    sys.path.insert(0, str(BENCH_DIR))
    import importlib

    domain = importlib.import_module(domain_name).DOMAIN
    landing = data_dir / "landing" / domain.name
    pandas_tables = domain.pandas_tables(landing) if domain.pandas_tables is not None else None
    with tempfile.TemporaryDirectory(prefix="compare_") as scratch:
        floor_db = Path(scratch) / "floor.duckdb"
        run_floor(domain.floor_sql, domain.floor_variables(landing), floor_db)
        con, prefixes = open_sources(
            data_dir / "warehouse.duckdb", floor_db, pandas_tables, domain.name
        )
        with con:
            return compare_sources(con, prefixes, domain.tables)


def main(argv: list[str]) -> int:
    domain = "schools"
    if argv[:1] == ["--domain"] and len(argv) >= 2:
        domain, argv = argv[1], argv[2:]
    if len(argv) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    diffs = compare_data_dir(Path(argv[0]), domain)
    print(format_report(diffs))
    return 0 if all(diff.equal for diff in diffs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
