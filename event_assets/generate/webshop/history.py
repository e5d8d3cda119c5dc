"""Histories of the shop's rows and what the daily extract sees of them.

A history is a table of changes: the entity changed, when, and per field the new value or
``UNSET`` (the change left the field alone). Every entity's first change (its creation) sets
every field. ``end_of_day_versions`` is the extract: per entity and day the state after the
day's last change, stamped with that change's time (intermediate states of a day are never
seen). ``state_at`` answers "which value was in force at this moment" for many moments at once.
Also here: grouped running sums and the text of microsecond timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.webshop.plan import DAY_US, US_PER_MS

UNSET = -1


def forward_fill(values: np.ndarray) -> np.ndarray:
    """Each ``UNSET`` replaced by the last value set before it (the first must be set)."""
    setter = np.where(values != UNSET, np.arange(values.size), 0)
    return values[np.maximum.accumulate(setter)] if values.size else values


def group_starts(group: np.ndarray) -> np.ndarray:
    """Per row of a table sorted by ``group``: the index of its group's first row."""
    if not group.size:
        return np.zeros(0, dtype=np.int64)
    first = np.r_[True, group[1:] != group[:-1]]
    return np.maximum.accumulate(np.where(first, np.arange(group.size), 0))


def grouped_cumsum(values: np.ndarray, group: np.ndarray, exclusive: bool = False) -> np.ndarray:
    """Running sums of ``values`` restarting at every group (rows sorted by ``group``)."""
    total = np.cumsum(values)
    start = group_starts(group)
    before = total[start] - values[start]
    running = total - before
    return running - values if exclusive else running


@dataclass
class Versions:
    """Rows of the daily extract: the entity, the file (day), ``modified_at`` and the fields."""

    entity: np.ndarray
    day: np.ndarray
    modified: np.ndarray
    fields: dict[str, np.ndarray]

    def __len__(self) -> int:
        return int(self.entity.size)


def end_of_day_versions(
    entity: np.ndarray,
    time: np.ndarray,
    fields: dict[str, np.ndarray],
    start_us: int,
    end_us: int,
) -> Versions:
    """Per entity and day with a change before ``end_us``, its state at the end of the day.

    Changes before ``start_us`` count as the first day's (the first file is the initial load:
    every entity as it stands then). Creation rows must come first among equal times.
    """
    order = np.lexsort((time, entity))
    entity, time = entity[order], time[order]
    filled = {name: forward_fill(values[order]) for name, values in fields.items()}
    seen = time < end_us
    entity, time = entity[seen], time[seen]
    filled = {name: values[seen] for name, values in filled.items()}
    day = np.maximum((time - start_us) // DAY_US, 0)
    last = np.r_[(entity[1:] != entity[:-1]) | (day[1:] != day[:-1]), True] if time.size else seen
    return Versions(
        entity[last], day[last], time[last], {name: v[last] for name, v in filled.items()}
    )


def state_at(
    entity: np.ndarray,
    time: np.ndarray,
    values: np.ndarray,
    query_entity: np.ndarray,
    query_time: np.ndarray,
) -> np.ndarray:
    """The value of one field in force at each query (entity, moment): that of the entity's last
    change at or before the moment. Every query must come after its entity's creation."""
    n = entity.size
    all_entity = np.concatenate([entity, query_entity])
    all_time = np.concatenate([time, query_time])
    is_query = np.r_[np.zeros(n, dtype=np.int8), np.ones(query_entity.size, dtype=np.int8)]
    order = np.lexsort((is_query, all_time, all_entity))  # a change at t is in force at t
    merged = np.concatenate([values, np.full(query_entity.size, UNSET, dtype=values.dtype)])
    filled = np.empty_like(merged)
    filled[order] = forward_fill(merged[order])
    return filled[n:]


def stamps(us: np.ndarray, sep: bytes = b" ") -> np.ndarray:
    """``YYYY-MM-DD HH:MM:SS.ffffff`` (or with ``sep`` ``T``) of epoch microseconds, ``S26``."""
    us = np.asarray(us, dtype=np.int64)
    matrix = kit.time_matrix(us // US_PER_MS, sep=sep, micros=True)
    kit.put_digits(matrix, 23, us % US_PER_MS, 3)
    return kit.as_strings(matrix)
