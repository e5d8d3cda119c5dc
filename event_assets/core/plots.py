"""Small PNG plots written next to the warehouse, and their numbers as asset metadata."""

import base64
from pathlib import Path

import pandas as pd
from dagster import MetadataValue, TableColumn, TableMetadataValue, TableRecord, TableSchema

# The plotted days shown as a table: a month, which the table shows at a glance.
TABLE_ROWS = 31


def plot_daily_series(
    frame: pd.DataFrame, x: str, y: str, title: str, path: Path, by: str | None = None
) -> Path:
    """A line plot of `y` over `x` (one line per value of `by`), written to `path`."""
    # Imported here, not with the definitions: every process start (the UI's code server, each
    # headless run) would pay for matplotlib, and only the statistics steps draw.
    import matplotlib

    matplotlib.use("Agg")  # no display here or in CI
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(9, 3.5), dpi=100)
    if len(frame) and by:
        for label, series in frame.groupby(by, sort=True):
            axes.plot(series[x], series[y], marker=".", linewidth=1, label=str(label))
        axes.legend(loc="upper left", fontsize="small")
    elif len(frame):
        axes.plot(frame[x], frame[y], marker=".", linewidth=1)
    else:
        axes.text(0.5, 0.5, "no data yet", ha="center", va="center", transform=axes.transAxes)
    axes.set_title(title)
    axes.set_ylabel(y.replace("_", " "))
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def stats_metadata(
    tables: dict[str, pd.DataFrame], plot: Path, plot_title: str, plotted: dict
) -> dict:
    """Asset metadata of a `<domain>_stats` asset: one markdown table per statistic, the
    plotted numbers as a table (`plotted`: from `plotted_numbers`), the plot's path (`plot`) and
    the plot itself (`plot_image`).

    The UI (dagster-webserver 1.13) shows a markdown value in place only when it is shorter than
    1,000 characters, so the embedded PNG sits behind a "[Show Markdown]" button, while a table
    value is always shown in place: the numbers are what an operator sees without a click."""
    metadata = {
        name: MetadataValue.md(table.to_markdown(index=False)) for name, table in tables.items()
    }
    metadata.update(plotted)
    metadata["plot"] = MetadataValue.path(str(plot))
    metadata["plot_image"] = MetadataValue.md(embedded_png(plot, plot_title))
    return metadata


def plotted_numbers(
    frame: pd.DataFrame, x: str, y: str, name: str, by: str | None = None, last: int = TABLE_ROWS
) -> dict[str, TableMetadataValue]:
    """`{"<name>_last_<last>": table}`: the plotted `y` per `x` for the last `last` values of
    `x`, one column per line (per value of `by`); blank where a line has no point."""
    wide = frame.pivot(index=x, columns=by, values=y).reset_index() if by else frame[[x, y]]
    wide = wide.sort_values(x).tail(last)
    columns = [str(column) for column in wide.columns]
    records = [
        TableRecord({column: _plain(value) for column, value in zip(columns, row, strict=True)})
        for row in wide.itertuples(index=False)
    ]
    schema = TableSchema(
        columns=[TableColumn(column, "date" if column == x else "number") for column in columns]
    )
    return {f"{name}_last_{last}": MetadataValue.table(records, schema=schema)}


def _plain(value: object) -> str | int | float | None:
    """A table cell: dates as ISO text, whole numbers as integers, others to 2 decimals."""
    if pd.isna(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    number = float(value)
    return int(number) if number.is_integer() else round(number, 2)


def embedded_png(path: Path, alt: str) -> str:
    """Markdown showing the PNG inline (for asset metadata)."""
    encoded = base64.b64encode(path.read_bytes()).decode()
    return f"![{alt}](data:image/png;base64,{encoded})"
