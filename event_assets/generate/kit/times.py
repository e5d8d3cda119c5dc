"""Time for the generators: millisecond constants, epoch ms, and timestamp text.

Landing files write times in several shapes: ISO with ``T`` and ``Z``, with or without
milliseconds, or ``YYYY-MM-DD HH:MM:SS.fff`` (with three more zeros as microseconds), quoted as a
JSON string or not. ``time_matrix`` writes any of them for many times at once, as a uint8 matrix
that column-wise formatting can splice into lines.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

SECOND_MS = 1_000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
EPOCH = datetime(1970, 1, 1)


def epoch_ms(day: date) -> int:
    """Epoch milliseconds of the day's first moment (UTC)."""
    return (day - EPOCH.date()).days * DAY_MS


def put_digits(out: np.ndarray, column: int, values: np.ndarray, width: int) -> None:
    """Write ``values`` as zero-padded decimal text into ``width`` columns of ``out``."""
    for i in range(width):
        out[:, column + width - 1 - i] = 48 + values // 10**i % 10


def time_matrix(
    ms: np.ndarray,
    *,
    sep: bytes = b" ",
    millis: bool = True,
    micros: bool = False,
    zone: bytes = b"",
    quote: bool = False,
) -> np.ndarray:
    """Text of epoch ms as a uint8 matrix, a row per time: ``YYYY-MM-DD``, ``sep``, ``HH:MM:SS``,
    ``.fff`` with ``millis``, ``000`` more with ``micros``, then ``zone``; in double quotes (a
    JSON string) with ``quote``."""
    if micros and not millis:
        raise ValueError("micros come after millis")
    ms = np.asarray(ms, dtype=np.int64)
    q = 1 if quote else 0
    width = 19 + 4 * millis + 3 * micros + len(zone)
    out = np.full((ms.size, width + 2 * q), ord('"'), dtype=np.uint8)
    if not ms.size:
        return out
    day = ms // DAY_MS
    of_day = ms - day * DAY_MS
    first = int(day.min())
    dates = np.arange(first, int(day.max()) + 1).astype("datetime64[D]").astype("S10")
    out[:, q : q + 10] = dates.view(np.uint8).reshape(-1, 10)[day - first]
    out[:, q + 10] = sep[0]
    put_digits(out, q + 11, of_day // HOUR_MS, 2)
    out[:, q + 13] = ord(":")
    put_digits(out, q + 14, of_day // MINUTE_MS % 60, 2)
    out[:, q + 16] = ord(":")
    put_digits(out, q + 17, of_day // SECOND_MS % 60, 2)
    if millis:
        out[:, q + 19] = ord(".")
        put_digits(out, q + 20, of_day % SECOND_MS, 3)
    if micros:
        out[:, q + 23 : q + 26] = ord("0")
    if zone:
        out[:, q + width - len(zone) : q + width] = np.frombuffer(zone, dtype=np.uint8)
    return out


def iso_text(ms: int, millis: bool = True) -> str:
    """ISO-8601 UTC text of one epoch ms: ``2026-01-05T07:40:39.374Z`` (or without ``.374``)."""
    moment = EPOCH + timedelta(milliseconds=int(ms))
    return moment.isoformat(timespec="milliseconds" if millis else "seconds") + "Z"


def as_strings(matrix: np.ndarray) -> np.ndarray:
    """The rows of a uint8 text matrix as one ``S`` array (a bytes string per row)."""
    return matrix.view(f"S{matrix.shape[1]}").ravel()
