"""Seeded draws for the generators: uuids, moments, weighted choices, and fault injection.

The fault-injection helpers pick which rows get a trait or a defect: a share of the eligible rows
topped up to a minimum, so that a small sample still shows every kind (``flags``, ``pick``), or a
few of them (``some``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from event_assets.generate.kit.times import as_strings

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_UUID_HEX_COLUMNS = np.array([i for i in range(36) if i not in (8, 13, 18, 23)])


def uuid_matrix(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random version-4 uuids as an (n, 36) uint8 matrix of their lowercase text."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    digits = np.empty((n, 32), dtype=np.uint8)
    digits[:, 0::2] = _HEX[raw >> 4]
    digits[:, 1::2] = _HEX[raw & 0x0F]
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    out[:, _UUID_HEX_COLUMNS] = digits
    return out


def uuid_strings(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random version-4 uuids as an ``S36`` array (the same draws as ``uuid_matrix``)."""
    return as_strings(uuid_matrix(rng, n))


def uuid_text(matrix: np.ndarray, row: int) -> str:
    """One row of a ``uuid_matrix`` as text."""
    return matrix[row].tobytes().decode("ascii")


def between(
    rng: np.random.Generator, low: np.ndarray | int, high: np.ndarray | int, n: int
) -> np.ndarray:
    """Uniform int64 ms in [low, high) per element (bounds may be arrays; ``low`` if empty)."""
    low = np.asarray(low, dtype=np.int64)
    span = np.maximum(np.asarray(high, dtype=np.int64) - low, 1)
    return low + (rng.random(n) * span).astype(np.int64)


def weighted(rng: np.random.Generator, options: Sequence[tuple], n: int) -> np.ndarray:
    """Indices into ``options`` (pairs of value and weight) drawn by weight."""
    weights = np.array([w for _, w in options], dtype=float)
    return rng.choice(len(options), size=n, p=weights / weights.sum())


def flags(rng: np.random.Generator, eligible: np.ndarray, share: float, minimum: int) -> np.ndarray:
    """Eligible entries drawn with ``share``, topped up at random to ``minimum`` if possible."""
    flagged = eligible & (rng.random(eligible.size) < share)
    short = min(minimum, int(eligible.sum())) - int(flagged.sum())
    if short > 0:
        flagged[rng.permutation(np.flatnonzero(eligible & ~flagged))[:short]] = True
    return flagged


def pick(
    rng: np.random.Generator,
    eligible: np.ndarray,
    share: float,
    minimum: int,
    group: np.ndarray | None = None,
) -> np.ndarray:
    """Sorted indices drawn with ``share``; at least ``minimum`` when enough are eligible.

    With ``group`` (a group per index), at most one index per group.
    """
    drawn = np.flatnonzero(eligible & (rng.random(eligible.size) < share))
    shuffled = rng.permutation(np.flatnonzero(eligible))
    chosen = _first_per_group(drawn, group)
    if chosen.size < minimum:
        chosen = _first_per_group(shuffled, group)[:minimum]
    return np.sort(chosen)


def _first_per_group(rows: np.ndarray, group: np.ndarray | None) -> np.ndarray:
    if group is None:
        return rows
    return rows[np.sort(np.unique(group[rows], return_index=True)[1])]


def some(rng: np.random.Generator, eligible: np.ndarray, n: int) -> np.ndarray:
    """Up to ``n`` distinct positions where ``eligible`` holds, in random order."""
    return rng.permutation(np.flatnonzero(eligible))[:n]
