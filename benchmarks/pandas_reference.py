"""A plain pandas implementation of the `schools` contract tables, the benchmark's reference.

    python benchmarks/pandas_reference.py LANDING_DIR OUT_DIR

reads every `*.jsonl` / `*.jsonl.gz` file in LANDING_DIR (by name) and writes the four contract
tables `sessions`, `devices`, `schools` and `usage_history` as pickles to OUT_DIR. It is how a
competent pandas user without this project would do the job: `read_json(lines=True)` per file
(and, when a file holds lines that are not JSON, `json.loads` per line to set those aside), then
vectorised pandas operations only. It implements the spec's rules:

- an event needs `type`, `time`, `logId` and its type's payload field; blank counts as missing;
  `...Event` is the same type; ids are compared lower-cased and must be canonical UUIDs;
- `time` is ISO-8601 (`2020-01-15T07:40:39.374Z`, milliseconds optional); an offset is applied,
  text without one is UTC; times before 2020-01-01 or more than a day after now are rejected;
- exact duplicates (same normalised type, parsed time, logId and payload) count once;
- a log needs exactly one log type (School or Device); SetName only on School logs,
  AssignToSchool / StartSession / EndSession only on Device logs; an assignment must point at a
  School log;
- per session id the earliest start counts; an end counts if it is on the same device at or after
  that start, and the earliest such end closes the session;
- a session belongs to the school of its device's latest assignment at or before its start, with
  that school's latest name; ties in time are broken by file name, then position in the file.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

FIELDS = ("type", "time", "logId", "logType", "name", "schoolId", "sessionId")
EVENT_TYPES = ("SetLogType", "SetName", "AssignToSchool", "StartSession", "EndSession")
LOG_TYPES = ("School", "Device")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
OFFSET = r"(?:[+-][0-9]{2}(?::?[0-9]{2})?)"
MIN_TIME = pd.Timestamp("2020-01-01")
# Columns that make two events the same event (exact duplicates are kept once).
EVENT_KEY = ["event_type", "event_at", "log_id", "log_type", "name", "school_id", "session_id"]
TABLES = ("sessions", "devices", "schools", "usage_history")
MINUTE = pd.Timedelta(minutes=1)
DAY = pd.Timedelta(days=1)


# --- reading -------------------------------------------------------------------------------


def landing_files(landing: Path) -> list[Path]:
    """The landing files in name order (the order ties between equal times are broken in)."""
    files = [p for p in landing.rglob("*") if p.name.endswith((".jsonl", ".jsonl.gz"))]
    return sorted(
        (p for p in files if p.is_file() and not p.name.startswith((".", "_"))),
        key=lambda p: p.relative_to(landing).as_posix(),
    )


def read_file(path: Path) -> pd.DataFrame:
    """The JSON objects of one JSON Lines file, one row each, in file order, as text columns."""
    try:
        frame = pd.read_json(path, lines=True, dtype=False, convert_dates=False)
    except ValueError:  # some lines are not JSON: parse line by line and set those aside
        frame = pd.DataFrame(_json_objects(path))
    frame = frame.reindex(columns=list(FIELDS)).reset_index(drop=True)
    return pd.DataFrame({name: _as_text(frame[name]) for name in FIELDS})


def _json_objects(path: Path) -> list[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", errors="replace") as handle:
        lines = handle.read().splitlines()
    records = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            records.append(value)
    return records


def _as_text(column: pd.Series) -> pd.Series:
    """Strings stay; other JSON values become their JSON text (as `json_extract_string` does)."""
    if column.isna().all():  # a field no event of the file has
        return pd.Series(None, index=column.index, dtype=object)
    if pd.api.types.infer_dtype(column, skipna=True) == "string":
        return column.astype(object)
    return column.astype(object).map(_json_text, na_action="ignore")


def _json_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


# --- syntax: one file at a time -------------------------------------------------------------


def clean_events(raw: pd.DataFrame, file_number: int, now: pd.Timestamp) -> pd.DataFrame:
    """The syntactically valid events of one file, typed and normalised."""
    type_text = _blank_to_na(raw["type"])
    events = pd.DataFrame(
        {
            "file": np.full(len(raw), file_number, dtype=np.int32),
            "pos": np.arange(len(raw), dtype=np.int64),
            "event_type": type_text.str.removesuffix("Event"),
            "event_at": parse_utc(_blank_to_na(raw["time"])),
            "log_id": _blank_to_na(raw["logId"]).str.lower(),
            "log_type": _blank_to_na(raw["logType"]),
            "name": raw["name"].where(_blank_to_na(raw["name"]).notna()),
            "school_id": _blank_to_na(raw["schoolId"]).str.lower(),
            "session_id": _blank_to_na(raw["sessionId"]).str.lower(),
        }
    )
    valid = events[_is_valid_syntax(events, now)].copy()
    valid["event_type"] = pd.Categorical(valid["event_type"], categories=EVENT_TYPES)
    return valid


def _blank_to_na(column: pd.Series) -> pd.Series:
    stripped = column.str.strip(" ")
    return stripped.where(stripped != "")


def parse_utc(text: pd.Series) -> pd.Series:
    """ISO-8601 text -> naive UTC timestamps (NaT when not an ISO-8601 date and time)."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    zulu = text.str.fullmatch(TIME + "Z", na=False)  # the usual case, in one pass
    out.loc[zulu] = pd.to_datetime(text[zulu].str[:-1], format="ISO8601", errors="coerce")
    # The rest one kind at a time: pandas mis-reads naive text mixed with offsets.
    rest = text[~zulu & text.notna()].str.upper()
    naive = rest[rest.str.fullmatch(TIME + "Z?", na=False)]
    out.loc[naive.index] = pd.to_datetime(
        naive.str.removesuffix("Z"), format="ISO8601", errors="coerce"
    )
    offset = rest[rest.str.fullmatch(TIME + OFFSET, na=False)]
    parsed = pd.to_datetime(offset, format="ISO8601", utc=True, errors="coerce")
    out.loc[offset.index] = parsed.dt.tz_convert(None)
    return out


def _is_valid_syntax(events: pd.DataFrame, now: pd.Timestamp) -> pd.Series:
    kind = events["event_type"]
    log_type, name = events["log_type"], events["name"]
    school_id, session_id = events["school_id"], events["session_id"]
    payload_ok = (
        ((kind == "SetLogType") & log_type.isin(LOG_TYPES))
        | ((kind == "SetName") & name.notna())
        | ((kind == "AssignToSchool") & school_id.str.fullmatch(UUID, na=False))
        | (kind.isin(["StartSession", "EndSession"]) & session_id.str.fullmatch(UUID, na=False))
    )
    at = events["event_at"]
    return (
        payload_ok
        & events["log_id"].str.fullmatch(UUID, na=False)
        & at.notna()
        & (at >= MIN_TIME)
        & (at <= now + DAY)
    )


def read_events(landing: Path, now: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every syntactically valid event of the landing files, exact duplicates kept once."""
    now = pd.Timestamp.now(tz="UTC").tz_convert(None) if now is None else now
    frames = [
        clean_events(read_file(path), number, now)
        for number, path in enumerate(landing_files(landing))
    ]
    columns = ["file", "pos", *EVENT_KEY]
    events = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    # Files are in name order and rows in file order, so the first copy is the first delivered.
    return events.drop_duplicates(subset=EVENT_KEY, ignore_index=True)


# --- the logs and sessions rules over the whole stream --------------------------------------


def entity_valid_events(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Events of logs with exactly one log type, on the right log type; and that type per log."""
    set_types = events[events["event_type"] == "SetLogType"]
    counts = set_types.groupby("log_id")["log_type"].agg(["nunique", "first"])
    log_types = counts.loc[counts["nunique"] == 1, "first"]
    typed = events.assign(of_log=events["log_id"].map(log_types))
    kind, of_log = typed["event_type"], typed["of_log"]
    schools = set(log_types.index[log_types == "School"])
    ok = (
        ((kind == "SetLogType") & of_log.notna())
        | ((kind == "SetName") & (of_log == "School"))
        | (kind.isin(["StartSession", "EndSession"]) & (of_log == "Device"))
        | ((kind == "AssignToSchool") & (of_log == "Device") & typed["school_id"].isin(schools))
    )
    return typed[ok].drop(columns="of_log"), log_types


def _in_time_order(frame: pd.DataFrame, time: str) -> pd.DataFrame:
    return frame.sort_values([time, "file", "pos"], kind="stable")


def counted_starts(events: pd.DataFrame) -> pd.DataFrame:
    """Per session id its earliest start."""
    starts = events.loc[events["event_type"] == "StartSession"]
    starts = _in_time_order(starts, "event_at").drop_duplicates("session_id")
    return starts.rename(columns={"log_id": "device_id", "event_at": "started_at"})[
        ["session_id", "device_id", "started_at"]
    ]


def closing_ends(events: pd.DataFrame, starts: pd.DataFrame) -> pd.DataFrame:
    """Per session its earliest end on the same device at or after the counted start."""
    ends = events.loc[events["event_type"] == "EndSession", ["session_id", "log_id", "event_at"]]
    ends = ends.merge(starts, on="session_id")
    ends = ends[(ends["log_id"] == ends["device_id"]) & (ends["event_at"] >= ends["started_at"])]
    closing = ends.groupby("session_id", as_index=False)["event_at"].min()
    return closing.rename(columns={"event_at": "ended_at"})


def assignments_of(events: pd.DataFrame) -> pd.DataFrame:
    assigned = events.loc[events["event_type"] == "AssignToSchool"]
    assigned = _in_time_order(assigned, "event_at")
    return assigned.rename(columns={"log_id": "device_id", "event_at": "assigned_at"})[
        ["device_id", "school_id", "assigned_at"]
    ]


def school_names(events: pd.DataFrame, log_types: pd.Series) -> pd.DataFrame:
    """Every School log with its latest name (null when it never got one)."""
    named = _in_time_order(events.loc[events["event_type"] == "SetName"], "event_at")
    latest = named.drop_duplicates("log_id", keep="last").set_index("log_id")["name"]
    schools = pd.DataFrame({"school_id": log_types.index[log_types == "School"]})
    schools["name"] = schools["school_id"].map(latest)
    return schools


# --- the contract tables --------------------------------------------------------------------


def build_sessions(
    starts: pd.DataFrame, ends: pd.DataFrame, assignments: pd.DataFrame, names: pd.DataFrame
) -> pd.DataFrame:
    sessions = starts.merge(ends, on="session_id", how="left")
    started_ms = sessions["started_at"].to_numpy("datetime64[ms]").astype(np.int64)
    ended_ms = sessions["ended_at"].to_numpy("datetime64[ms]").astype(np.int64)
    sessions["duration_minutes"] = np.where(
        sessions["ended_at"].notna(), (ended_ms - started_ms) / 60000.0, np.nan
    )
    # The school of the device's latest assignment at or before the start (the last of equals).
    sessions = pd.merge_asof(
        sessions.sort_values("started_at", kind="stable"),
        assignments.sort_values("assigned_at", kind="stable"),
        left_on="started_at",
        right_on="assigned_at",
        by="device_id",
        direction="backward",
    )
    sessions["school_name"] = sessions["school_id"].map(names.set_index("school_id")["name"])
    columns = ["session_id", "device_id", "started_at", "ended_at", "duration_minutes"]
    return sessions[[*columns, "school_id", "school_name"]].reset_index(drop=True)


def build_devices(
    log_types: pd.Series, starts: pd.DataFrame, assignments: pd.DataFrame
) -> pd.DataFrame:
    devices = pd.DataFrame({"device_id": log_types.index[log_types == "Device"]})
    current = assignments.drop_duplicates("device_id", keep="last").set_index("device_id")
    started = starts.groupby("device_id")["started_at"].agg(["min", "size"])
    devices["school_id"] = devices["device_id"].map(current["school_id"])
    devices["first_session_started_at"] = devices["device_id"].map(started["min"])
    devices["session_count"] = devices["device_id"].map(started["size"]).fillna(0).astype("int64")
    return devices


def build_schools(
    names: pd.DataFrame, devices: pd.DataFrame, sessions: pd.DataFrame
) -> pd.DataFrame:
    device_counts = devices["school_id"].value_counts()
    lengths = (
        sessions[sessions["school_id"].notna()]
        .groupby("school_id")["duration_minutes"]
        .agg(["median", "mean", "size", "count"])
    )
    schools = names.copy()
    by_id = schools["school_id"]
    schools["device_count"] = by_id.map(device_counts).fillna(0).astype("int64")
    schools["median_session_length"] = by_id.map(lengths["median"])
    schools["mean_session_length"] = by_id.map(lengths["mean"])
    schools["session_count"] = by_id.map(lengths["size"]).fillna(0).astype("int64")
    schools["completed_session_count"] = by_id.map(lengths["count"]).fillna(0).astype("int64")
    return schools


def daily_usage(sessions: pd.DataFrame) -> pd.DataFrame:
    """Minutes of completed sessions per device and UTC day, a session split across its days."""
    done = sessions[sessions["ended_at"].notna()]
    if done.empty:
        return pd.DataFrame({"device_id": [], "date": pd.to_datetime([]), "usage_minutes": []})
    first_day = done["started_at"].dt.floor("D")
    spans = ((done["ended_at"].dt.floor("D") - first_day) // DAY).to_numpy() + 1
    rows = np.repeat(np.arange(len(done)), spans)
    nth_day = np.arange(rows.size) - np.repeat(np.cumsum(spans) - spans, spans)
    day_start = first_day.to_numpy()[rows] + nth_day * np.timedelta64(1, "D")
    start = np.maximum(done["started_at"].to_numpy()[rows], day_start)
    end = np.minimum(done["ended_at"].to_numpy()[rows], day_start + np.timedelta64(1, "D"))
    minutes = (end.astype("datetime64[ms]") - start.astype("datetime64[ms]")).astype(np.int64)
    pieces = pd.DataFrame(
        {
            "device_id": done["device_id"].to_numpy()[rows],
            "date": day_start,
            "usage_minutes": minutes / 60000.0,
        }
    )
    return pieces.groupby(["device_id", "date"], as_index=False)["usage_minutes"].sum()


def build_usage_history(
    devices: pd.DataFrame, sessions: pd.DataFrame, as_of: pd.Timestamp
) -> pd.DataFrame:
    """One row per device and day from its first session day through the as-of day, no gaps."""
    started = devices[devices["first_session_started_at"].notna()]
    if started.empty:
        columns = ["device_id", "date", "usage_minutes", "avg_usage_minutes_7d"]
        return pd.DataFrame(columns=columns).astype({"date": "datetime64[ns]"})
    first_day = started["first_session_started_at"].dt.floor("D").to_numpy()
    spans = (as_of.floor("D").to_datetime64() - first_day) // np.timedelta64(1, "D") + 1
    rows = np.repeat(np.arange(len(started)), spans)
    nth_day = np.arange(rows.size) - np.repeat(np.cumsum(spans) - spans, spans)
    history = pd.DataFrame(
        {
            "device_id": started["device_id"].to_numpy()[rows],
            "date": first_day[rows] + nth_day * np.timedelta64(1, "D"),
        }
    )
    history = history.merge(daily_usage(sessions), on=["device_id", "date"], how="left")
    history["usage_minutes"] = history["usage_minutes"].fillna(0.0)
    history["avg_usage_minutes_7d"] = (
        history.groupby("device_id", sort=False)["usage_minutes"]
        .rolling(7, min_periods=1)
        .mean()
        .reset_index(level=0, drop=True)
    )
    return history


def build_tables(landing: Path, now: pd.Timestamp | None = None) -> dict[str, pd.DataFrame]:
    """The four contract tables from the landing files."""
    events, log_types = entity_valid_events(read_events(landing, now))
    starts = counted_starts(events)
    ends = closing_ends(events, starts)
    assignments = assignments_of(events)
    names = school_names(events, log_types)
    sessions = build_sessions(starts, ends, assignments, names)
    devices = build_devices(log_types, starts, assignments)
    # The as-of day: the latest valid event (non-session events, counted starts, closing ends).
    others = events.loc[~events["event_type"].isin(["StartSession", "EndSession"]), "event_at"]
    as_of = pd.Series([others.max(), starts["started_at"].max(), ends["ended_at"].max()]).max()
    return {
        "sessions": sessions,
        "devices": devices,
        "schools": build_schools(names, devices, sessions),
        "usage_history": build_usage_history(devices, sessions, as_of),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    landing, out = Path(argv[0]), Path(argv[1])
    tables = build_tables(landing)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_pickle(out / f"{name}.pkl")
    print(", ".join(f"{name}: {len(table):,} rows" for name, table in tables.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
