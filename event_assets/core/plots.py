"""Small PNG plots written next to the warehouse and shown in asset metadata."""

import base64
from pathlib import Path

import pandas as pd
from dagster import MetadataValue


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


def stats_metadata(tables: dict[str, pd.DataFrame], plot: Path, plot_title: str) -> dict:
    """Asset metadata of a `<domain>_stats` asset: one markdown table per statistic, the plot's
    path (`plot`) and the plot itself inline (`plot_image`)."""
    metadata = {
        name: MetadataValue.md(table.to_markdown(index=False)) for name, table in tables.items()
    }
    metadata["plot"] = MetadataValue.path(str(plot))
    metadata["plot_image"] = MetadataValue.md(embedded_png(plot, plot_title))
    return metadata


def embedded_png(path: Path, alt: str) -> str:
    """Markdown showing the PNG inline (for asset metadata)."""
    encoded = base64.b64encode(path.read_bytes()).decode()
    return f"![{alt}](data:image/png;base64,{encoded})"
