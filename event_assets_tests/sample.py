"""The start of each domain's bundled sample (`data/landing/<domain>/`), for tests that build a
domain from real-shaped files: enough to build every table, small enough to be quick."""

import shutil
from pathlib import Path

SAMPLE = Path(__file__).parents[1] / "data" / "landing"


def sample_folders(domain: str) -> list[Path]:
    """The domain's sample folders that hold files (one per source), sorted."""
    return sorted({path.parent for path in (SAMPLE / domain).rglob("*") if path.is_file()})


def sample_start(domain: str, files_per_folder: int = 2) -> dict[str, list[Path]]:
    """Folder relative to the domain's landing folder ("" = itself) -> its first files."""
    starts = {}
    for folder in sample_folders(domain):
        relative = folder.relative_to(SAMPLE / domain).as_posix()
        files = sorted(path for path in folder.iterdir() if path.is_file())
        starts["" if relative == "." else relative] = files[:files_per_folder]
    return starts


def copy_sample_start(domain: str, landing: Path, files_per_folder: int = 2) -> None:
    """Copy the first files of each folder of the domain's sample into `landing`."""
    for folder, files in sample_start(domain, files_per_folder).items():
        target = landing / folder
        target.mkdir(parents=True, exist_ok=True)
        for path in files:
            shutil.copy2(path, target / path.name)
