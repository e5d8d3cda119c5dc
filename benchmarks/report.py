"""The markdown report of a benchmark (`bench.py`), and what it says about the machine."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import psutil
from compare import TableDiff, TableSpec
from measure import MIB, Measurement

GIB = 1024 * MIB


def machine() -> dict:
    """Cores, memory and CPU model of this machine, and the versions that matter."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import duckdb
    import pandas

    return {
        "cpu_model": model,
        "logical_cores": psutil.cpu_count(logical=True),
        "physical_cores": psutil.cpu_count(logical=False),
        "ram_gib": round(psutil.virtual_memory().total / GIB, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
    }


def _seconds(result: Measurement | None) -> str:
    return f"{result.wall_seconds:,.1f}" if result is not None and result.ok else "—"


def _mib(result: Measurement | None) -> str:
    return f"{result.peak_mib:,.0f}" if result is not None and result.ok else "—"


def _ratio(ours: float, other: float) -> str:
    return f"{ours / other:,.2f}" if other else "—"


def _run_row(name: str, result: Measurement | None, ours: Measurement | None) -> str:
    if result is None:
        return f"| {name} | skipped | | | | |"
    if not result.ok:
        return f"| {name} | {result.describe()} | | | | |"
    wall = peak = "—"
    if ours is not None and ours.ok:
        wall = _ratio(ours.wall_seconds, result.wall_seconds)
        peak = _ratio(ours.peak_rss_bytes, result.peak_rss_bytes)
    return (
        f"| {name} | {_seconds(result)} | {_mib(result)} | {result.max_process_mib:,.0f} "
        f"| {wall} | {peak} |"
    )


def render(
    name: str,
    tables: dict[str, TableSpec],
    results: dict,
    runs: dict[str, Measurement | None],
    diffs: list[TableDiff],
    has_pandas: bool = False,
) -> str:
    """The markdown report (`has_pandas`: the domain has a pandas reference, run or skipped)."""
    data, increment, small = results["dataset"], results["increment"], results["history_small"]
    ours, ours_incremental = runs["ours_full"], runs["ours_incremental"]
    lines = [
        f"## `{name}` benchmark: {data['events']:,} events",
        "",
        f"Data: {data['description']}. Increment: {increment['description']}.",
        "",
        "| run | wall s | peak MiB (process tree) | max MiB (one process) "
        "| ours ÷ this (wall) | ours ÷ this (peak) |",
        "|:--|--:|--:|--:|--:|--:|",
        _run_row(f"ours, full (`python -m event_assets run --domain {name}`)", ours, ours),
    ]
    if has_pandas:
        lines.append(_run_row("pandas reference", runs["pandas"], ours))
    lines += [
        _run_row("DuckDB floor", runs["floor"], ours),
        "",
        f"| ours, incremental: +{increment['events']:,} events ({increment['files']} new "
        "file(s)) | wall s | peak MiB (process tree) | max MiB (one process) |",
        "|:--|--:|--:|--:|",
    ]
    lines.append(_incremental_row(f"on {data['events']:,} events of history", ours_incremental))
    if small["events"] != data["events"]:
        history = f"{small['events']:,} events"
        lines.append(_incremental_row(f"on {history} of history", runs["ours_incremental_small"]))
        lines.append(
            _incremental_row(
                f"(set-up, not incremental) ours, full on {history}", runs["ours_full_small"]
            )
        )
    if "floor_after_increment" in runs:
        name = "(for the check after the new day) DuckDB floor on history + new day"
        lines.append(_incremental_row(name, runs["floor_after_increment"]))
    if results.get("targets"):
        lines += ["", "| target | measured | met |", "|:--|:--|:--|"]
        lines += [
            f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else '**no**'} |"
            for t in results["targets"]
        ]
    lines += ["", *_equivalence_lines(tables, diffs), "", _machine_line(results["machine"]), ""]
    lines.append(f"Pipeline code: `{results['pipeline_code']}`. Reproduce: `{results['command']}`")
    return "\n".join(lines)


def _incremental_row(name: str, result: Measurement | None) -> str:
    if result is None:
        return f"| {name} | skipped | | |"
    if not result.ok:
        return f"| {name} | {result.describe()} | | |"
    return f"| {name} | {_seconds(result)} | {_mib(result)} | {result.max_process_mib:,.0f} |"


def _equivalence_lines(tables: dict[str, TableSpec], diffs: list[TableDiff]) -> list[str]:
    if not diffs:
        return ["Equivalence: not checked."]
    pairs = sorted({(d.left, d.right) for d in diffs}, key=lambda p: p[1])
    header = " | ".join(f"{left} vs {right}" for left, right in pairs)
    lines = [
        f"Equivalence of the {len(tables)} contract tables (matched on keys, floats within "
        "1e-6, lists as JSON text):",
        "",
        f"| table | {header} |",
        "|:--|" + "--|" * len(pairs),
    ]
    by_pair = {(d.table, d.left, d.right): d for d in diffs}
    for table in tables:
        cells = [by_pair[(table, left, right)].summary() for left, right in pairs]
        lines.append(f"| {table} | " + " | ".join(cells) + " |")
    return lines


def _machine_line(info: dict) -> str:
    return (
        f"Machine: {info['cpu_model']}, {info['logical_cores']} logical cores "
        f"({info['physical_cores']} physical), {info['ram_gib']} GiB RAM; {info['platform']}; "
        f"Python {info['python']}, duckdb {info['duckdb']}, pandas {info['pandas']}. "
        f"Load average (1 min) {info['load_average_1m_before']} before the runs, "
        f"{info['load_average_1m']} after (other work on the machine skews the numbers)."
    )
