"""The clean reference every fault case is compared with: each domain built headless, once per
test session (per worker), from the start of its bundled sample."""

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

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


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory, dbt_manifest) -> Callable[[str], CleanRun]:
    """domain -> its clean run's tables (built on first use)."""
    built: dict[str, CleanRun] = {}

    def for_domain(domain: str) -> CleanRun:
        if domain not in built:
            with ExitStack() as stack:
                clean = new_build(tmp_path_factory.mktemp(f"clean-{domain}"), domain, stack)
                copy_sample_start(domain, clean.landing)
                assert_clean_outcome(clean, clean.run())
                with clean.connect() as conn:
                    built[domain] = CleanRun(
                        served_tables(conn, domain), rejected_rows(conn, domain)
                    )
        return built[domain]

    return for_domain
