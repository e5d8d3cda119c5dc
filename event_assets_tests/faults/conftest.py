"""The clean reference every fault case is compared with: each domain built headless from the
start of its bundled sample, once per test session, shared by the xdist workers (the first that
needs a domain builds it under a lock; the others read its tables)."""

import fcntl
import pickle
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from event_assets_tests.faults.builds import (
    assert_clean_outcome,
    new_build,
    rejected_rows,
    served_tables,
)
from event_assets_tests.sample import copy_sample_start


@dataclass(frozen=True)
class CleanRun:
    served: dict[str, list[tuple]]
    rejected: list[tuple]


def _build(root: Path, domain: str) -> CleanRun:
    with ExitStack() as stack:
        clean = new_build(root, domain, stack)
        copy_sample_start(domain, clean.landing)
        assert_clean_outcome(clean, clean.run())
        with clean.connect() as conn:
            return CleanRun(served_tables(conn, domain), rejected_rows(conn, domain))


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory, dbt_manifest, worker_id) -> Callable[[str], CleanRun]:
    """domain -> its clean run's tables (built on first use in the session)."""
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent  # this session's, not an older one's

    def for_domain(domain: str) -> CleanRun:
        tables = shared / f"clean-run-{domain}.pickle"
        with open(shared / f"clean-run-{domain}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not tables.exists():
                built = _build(tmp_path_factory.mktemp(f"clean-{domain}"), domain)
                tables.write_bytes(pickle.dumps(built))
        return pickle.loads(tables.read_bytes())

    return for_domain
