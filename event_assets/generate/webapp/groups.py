"""Array helpers for contiguous groups (the events of a session, the sessions of a device) and
for the order of lines in a file; all vectorised, for 10 M rows."""

from __future__ import annotations

import numpy as np

# Lines every file starts with that are valid and nothing special (the shared landing-fault
# tests copy a file's first records and expect them accepted).
VALID_FIRST_LINES = 3


def group_starts(sizes: np.ndarray) -> np.ndarray:
    """Index of each element's group's first element, for groups of ``sizes`` laid end to end."""
    return np.repeat(np.cumsum(sizes) - sizes, sizes)


def offsets_in_group(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Sum of the values before each element in its group (0 for a group's first)."""
    before = np.cumsum(values) - values
    return before - before[group_starts(sizes)]


def running_sum_in_group(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Sum of the values up to and including each element in its group."""
    return offsets_in_group(values, sizes) + values


def position_in_group(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ... within each group."""
    return np.arange(int(sizes.sum())) - group_starts(sizes)


def running_max_in_group(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The running maximum of ``values`` (int64, >= 0 and < 2**40) within each group."""
    lift = np.repeat(np.arange(sizes.size, dtype=np.int64), sizes) << 40
    return np.maximum.accumulate(values + lift) - lift


def id_texts(prefix: bytes, n: int) -> np.ndarray:
    """``prefix0``, ``prefix1``, ... as an ``S`` array."""
    return np.char.add(prefix, np.arange(n).astype(bytes))


def file_order(key: np.ndarray, plain: np.ndarray) -> np.ndarray:
    """Positions in the order of ``key``, but the first ``VALID_FIRST_LINES`` of them ``plain``
    ones (if there are that many)."""
    order = np.argsort(key, kind="stable")
    first = order[plain[order]][:VALID_FIRST_LINES]
    return np.concatenate([first, order[~np.isin(order, first)]])
