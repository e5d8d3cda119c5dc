"""Tests of the ``webshop`` sample-data generator and its command line.

The files are read back with plain ``json`` and every row is judged by the spec's rules
(``../shared/spec/webshop.md``) by a small independent reader, so the tests trust neither the
generator's bookkeeping nor its ground truth without checking them against the files.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from event_assets.generate.__main__ import main
from event_assets.generate.webshop import (
    BAD_KINDS,
    MIN_EVENTS,
    STATUSES,
    TABLES,
    TYPES,
    generate_webshop,
    generate_webshop_sample,
)

EVENTS = 3_000
SEED = 5
START = date(2022, 4, 20)
DAYS = 6
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "landing" / "webshop"
SAMPLE_EVENTS = 2_000  # the committed sample: --events 2000 with the defaults
TIMEOUT = timedelta(minutes=30)
NEAR = timedelta(seconds=10)
COLUMNS = {
    "customer": {"id", "created_at", "modified_at", "name", "email", "phone_number"},
    "product": {"id", "created_at", "modified_at", "name", "description", "EAN", "price",
                "discount_percent", "brand_id", "inventory", "published"},
    "order": {"id", "created_at", "modified_at", "customer_id", "status", "customer_address_id"},
    "orderitem": {"id", "created_at", "modified_at", "order_id", "product_id", "quantity",
                  "price"},
    "event": {"id", "created_at", "modified_at", "type", "event"},
    "customeraddress": {"id", "created_at", "modified_at", "customer_id", "street", "number",
                        "city", "postal_code", "country"},
}  # fmt: skip
PAYLOAD_KEYS = {"user-agent", "ip", "customer-id", "timestamp"}
TYPE_KEYS = {
    "page_view": ({"page"}, {"referrer"}),
    "search": ({"query"}, set()),
    "add_product_to_cart": ({"product"}, {"quantity"}),
    "remove_product_from_cart": ({"product"}, {"quantity"}),
    "visit_related_product": ({"product", "position"}, set()),
    "visit_recently_visited_product": ({"product", "position"}, set()),
    "visit_personal_recommendation": ({"product", "position"}, set()),
    "sign_up_success": (set(), set()),
    "placed_order": (set(), set()),
}
ROW_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
EVENT_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}")
PRICE = re.compile(rb'"price": (-?\d+\.\d+)[,}]')


def _row_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not ROW_TIME.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _event_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not EVENT_TIME.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@dataclass
class Judged:
    """The files as the spec reads them: valid rows per table, bad lines per reason."""

    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    bad: Counter = field(default_factory=Counter)
    lines: dict[str, list[bytes]] = field(default_factory=dict)  # file (table/name) -> lines


def _defect(table: str, row: dict) -> str | None:
    """The reason a parsed row is bad, if it is (orphans are judged over all files later)."""
    if "id" not in row:
        return "missing_id"
    if table == "event":
        payload = row["event"]
        if isinstance(payload, str):
            payload = json.loads(payload)
        row["payload"], row["as_string"] = payload, isinstance(row["event"], str)
        row["time"] = _event_time(payload["timestamp"])
        return "unparseable_time" if row["time"] is None else None
    row["time"] = _row_time(row["modified_at"])
    if row["time"] is None:
        return "unparseable_time"
    if table in ("product", "orderitem") and row["price"] < 0:
        return "negative_price"
    if table == "product" and not 0 <= row["discount_percent"] <= 100:
        return "discount_out_of_range"
    if table == "order" and row["status"] not in STATUSES:
        return "unknown_status"
    if table == "orderitem" and row["quantity"] < 0:
        return "negative_quantity"
    return None


def judge(root: Path, redelivered: bool = False) -> Judged:
    """The files of ``root``, the re-delivered ones too with ``redelivered``."""
    judged = Judged()
    for table in TABLES:
        for path in sorted((root / table).glob("*.jsonl")):
            lines = path.read_bytes().split(b"\n")[:-1]
            judged.lines[f"{table}/{path.name}"] = lines
            if path.stem.endswith("-redelivered") and not redelivered:
                continue
            day = date.fromisoformat(path.stem[:10])
            for line in lines:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    judged.bad["malformed_json"] += 1
                    continue
                reason = _defect(table, row)
                if reason:
                    judged.bad[reason] += 1
                else:
                    row["file_day"] = day
                    judged.rows[table].append(row)
    arrived = {name: {r["id"] for r in judged.rows[name]} for name in ("order", "product")}
    items = []
    for row in judged.rows["orderitem"]:
        if row["order_id"] not in arrived["order"]:
            judged.bad["missing_order"] += 1
        elif row["product_id"] not in arrived["product"]:
            judged.bad["missing_product"] += 1
        else:
            items.append(row)
    judged.rows["orderitem"] = items
    return judged


def _versions(rows: list[dict]) -> dict[int, list[dict]]:
    """Rows per id in ``modified_at`` order."""
    by_id = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["time"]):
        by_id[row["id"]].append(row)
    return by_id


def _customer_events(judged: Judged) -> dict[int, list[dict]]:
    """Valid events of logged-in customers per customer, in time order."""
    per_customer = defaultdict(list)
    for row in judged.rows["event"]:
        if row["payload"]["customer-id"] is not None:
            per_customer[row["payload"]["customer-id"]].append(row)
    return {c: sorted(rows, key=lambda r: r["time"]) for c, rows in per_customer.items()}


def _sessions(events: list[dict]) -> list[list[dict]]:
    """A customer's events split where more than 30 minutes pass without one."""
    sessions: list[list[dict]] = []
    for row in events:
        if not sessions or row["time"] - sessions[-1][-1]["time"] > TIMEOUT:
            sessions.append([])
        sessions[-1].append(row)
    return sessions


def _all_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.jsonl"))}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("webshop")
    return out, generate_webshop_sample(out, EVENTS, seed=SEED, start=START, days=DAYS)


@pytest.fixture(scope="module")
def judged(sample) -> Judged:
    return judge(sample[0])


# --- reproducibility, layout and shape ------------------------------------------------------


def test_same_seed_gives_identical_files(tmp_path: Path, sample) -> None:
    out, _ = sample
    again = generate_webshop(tmp_path / "again", EVENTS, seed=SEED, start=START, days=DAYS)
    assert _all_bytes(tmp_path / "again") == _all_bytes(out)
    assert len(again) == len(_all_bytes(out))
    generate_webshop(tmp_path / "other", EVENTS, seed=SEED + 1, start=START, days=DAYS)
    assert _all_bytes(tmp_path / "other") != _all_bytes(out)


def test_files_are_daily_per_table(sample) -> None:
    out, s = sample
    days = [f"{START + timedelta(days=d)}" for d in range(DAYS)]
    expected = {f"{d}.jsonl" for d in days} | {f"{days[1]}-redelivered.jsonl"}
    for table in TABLES:
        names = {p.name for p in (out / table).iterdir()}
        # The first day (the initial load) always; a day no row of the table changed has no
        # file; the second day's file comes twice.
        assert f"{days[0]}.jsonl" in names and names <= expected, names
        second = out / table / f"{days[1]}.jsonl"
        twice = second.exists() and len(second.read_bytes().splitlines()) > 1
        assert twice == (f"{days[1]}-redelivered.jsonl" in names)
    assert len(list((out / "event").iterdir())) == DAYS + 1
    assert {p.parent.name for p in s.files} == set(TABLES)
    assert s.rows["event"] == EVENTS
    assert sum(len(lines) for name, lines in judge(out).lines.items()
               if name.startswith("event/") and "redelivered" not in name) == EVENTS  # fmt: skip


def test_rows_have_the_columns_and_formats_of_the_spec(judged: Judged) -> None:
    for table in ("customer", "product", "order", "orderitem", "customeraddress"):
        assert judged.rows[table], table
        for row in judged.rows[table]:
            assert set(row) - {"time", "file_day"} == COLUMNS[table], row
            assert _row_time(row["created_at"]) is not None, row
            assert isinstance(row["id"], int)
    for row in judged.rows["event"]:
        keys = set(row) - {"time", "file_day", "payload", "as_string"}
        assert keys in (COLUMNS["event"], {"id", "type", "event"}), row
        required, optional = TYPE_KEYS[row["type"]]
        assert required <= set(row["payload"]) - PAYLOAD_KEYS <= required | optional, row
        assert PAYLOAD_KEYS <= set(row["payload"]), row
        if "created_at" in row:
            assert row["created_at"] == row["modified_at"] and _row_time(row["created_at"])
    assert {r["type"] for r in judged.rows["event"]} == set(TYPES)
    assert {r["status"] for r in judged.rows["order"]} == set(STATUSES)
    priced = [line for name, lines in judged.lines.items() for line in lines
              if name.split("/")[0] in ("product", "orderitem")]  # fmt: skip
    prices = [match for line in priced for match in PRICE.findall(line)]
    assert prices and all(len(p.split(b".")[1]) == 2 for p in prices)


# --- bad rows ---------------------------------------------------------------------------------


def test_every_bad_kind_is_present_as_a_small_share(sample, judged: Judged) -> None:
    _, s = sample
    assert dict(judged.bad) == s.bad
    assert set(s.bad) == set(BAD_KINDS)
    assert all(n >= 2 for n in s.bad.values()), s.bad
    assert sum(s.bad.values()) < 0.04 * sum(s.rows.values())
    assert dict(judge(sample[0], redelivered=True).bad) == s.bad_delivered != s.bad


# --- the quirks -----------------------------------------------------------------------------


def test_every_quirk_is_present(sample) -> None:
    _, s = sample
    assert all(n >= 1 for n in s.quirks.values()), s.quirks


def test_events_as_object_and_string_with_and_without_row_times(judged: Judged) -> None:
    events = judged.rows["event"]
    assert {r["as_string"] for r in events} == {True, False}
    assert {"created_at" in r for r in events} == {True, False}
    customer_ids = {r["payload"]["customer-id"] for r in events}
    assert None in customer_ids and any(isinstance(c, int) for c in customer_ids)
    by_time = [r["id"] for r in sorted(events, key=lambda r: r["time"])]
    assert by_time != sorted(by_time)  # ids do not follow time
    cart = [r["payload"] for r in events if r["type"].endswith("_cart")]
    assert {"quantity" in p for p in cart} == {True, False}


def test_an_older_customer_version_arrives_after_a_newer_one(sample, judged: Judged) -> None:
    _, s = sample
    newest: dict[int, datetime] = {}
    late = 0
    for row in sorted(judged.rows["customer"], key=lambda r: r["file_day"]):
        if row["id"] in newest and row["time"] < newest[row["id"]]:
            late += 1
        newest[row["id"]] = max(newest.get(row["id"], row["time"]), row["time"])
    assert late >= 1
    assert late == s.quirks["customer_older_version_after_newer"]


def test_customers_and_products_change(judged: Judged) -> None:
    def changes(table: str, column: str) -> int:
        return sum(a[column] != b[column] for rows in _versions(judged.rows[table]).values()
                   for a, b in zip(rows, rows[1:], strict=False))  # fmt: skip

    for table, column in (("customer", "email"), ("customer", "name"),
                          ("product", "price"), ("product", "discount_percent")):  # fmt: skip
        assert changes(table, column) >= 1, (table, column)
    unchanged = [b for rows in _versions(judged.rows["customer"]).values()
                 for a, b in zip(rows, rows[1:], strict=False)
                 if (a["name"], a["email"]) == (b["name"], b["email"])]  # fmt: skip
    assert unchanged


def test_orders_move_through_statuses_over_days(sample, judged: Judged) -> None:
    _, s = sample
    rank = {"placed": 0, "paid": 1, "shipped": 2, "delivered": 3, "cancelled": 4}
    several_files = skipped_shipped = 0
    for order_id, rows in _versions(judged.rows["order"]).items():
        statuses = [r["status"] for r in rows]
        assert [rank[x] for x in statuses] == sorted(rank[x] for x in statuses), statuses
        assert "cancelled" not in statuses or not {"shipped", "delivered"} & set(statuses)
        several_files += len({r["file_day"] for r in rows}) > 1
        if "delivered" in statuses and "shipped" not in statuses:
            skipped_shipped += 1
            assert s.orders[order_id].shipped_at is None
    assert several_files >= 1 and skipped_shipped >= 1
    assert skipped_shipped == s.quirks["orders_delivered_never_seen_shipped"]


def test_orders_point_at_their_customers_address(judged: Judged) -> None:
    address = {r["id"]: r["customer_id"] for r in judged.rows["customeraddress"]}
    assert len(address) == len(judged.rows["customeraddress"])  # one row each, never changed
    for row in judged.rows["order"]:
        assert address[row["customer_address_id"]] == row["customer_id"], row


def test_ground_truth_of_orders_agrees_with_the_files(sample, judged: Judged) -> None:
    _, s = sample
    versions = _versions(judged.rows["order"])
    assert set(versions) == set(s.orders)
    for order_id, rows in versions.items():
        truth = s.orders[order_id]
        assert truth.placed_at == _row_time(rows[0]["created_at"])
        shipped = [r["time"] for r in rows if r["status"] == "shipped"]
        assert truth.shipped_at == (shipped[0] if shipped else None)
        assert truth.status == rows[-1]["status"]
    assert any(t.shipped_at is not None for t in s.orders.values())


def test_some_lines_come_before_their_order(sample, judged: Judged) -> None:
    _, s = sample
    first_file = {}
    for row in judged.rows["order"]:
        first_file[row["id"]] = min(first_file.get(row["id"], row["file_day"]), row["file_day"])
    early = {r["order_id"] for r in judged.rows["orderitem"]
             if r["file_day"] < first_file[r["order_id"]]}  # fmt: skip
    assert len(early) == s.quirks["orders_after_their_lines"] >= 1


def test_a_redelivered_day_has_the_same_lines_in_another_order(sample, judged: Judged) -> None:
    _, s = sample
    assert {p.parent.name for p in s.redelivered_files} >= {"customer", "order", "event"}
    for path in s.redelivered_files:
        table = path.parent.name
        original = judged.lines[f"{table}/{path.name.replace('-redelivered', '')}"]
        again = judged.lines[f"{table}/{path.name}"]
        assert sorted(again) == sorted(original) and again != original


# --- the clickstream --------------------------------------------------------------------------


def test_sessions_by_the_30_minute_rule(sample, judged: Judged) -> None:
    _, s = sample
    gaps = [b["time"] - a["time"] for events in _customer_events(judged).values()
            for a, b in zip(events, events[1:], strict=False)]  # fmt: skip
    assert any(TIMEOUT - NEAR <= g < TIMEOUT for g in gaps)
    assert any(g == TIMEOUT for g in gaps)
    assert any(TIMEOUT < g <= TIMEOUT + NEAR for g in gaps)
    sessions = sum(len(_sessions(events)) for events in _customer_events(judged).values())
    assert sessions == s.sessions


def test_orders_are_placed_at_placed_order_events_after_cart_adds(judged: Judged) -> None:
    placed_events = {(r["payload"]["customer-id"], r["time"]) for r in judged.rows["event"]
                     if r["type"] == "placed_order"}  # fmt: skip
    lines = defaultdict(list)
    for row in judged.rows["orderitem"]:
        lines[row["order_id"]].append(row)
    session_of = {}  # (customer, placed_order time) -> its session's events
    for customer, events in _customer_events(judged).items():
        for session in _sessions(events):
            for row in session:
                if row["type"] == "placed_order":
                    session_of[customer, row["time"]] = session
    for order_id, rows in _versions(judged.rows["order"]).items():
        key = (rows[0]["customer_id"], _row_time(rows[0]["created_at"]))
        assert key in placed_events, order_id
        added = {r["payload"]["product"] for r in session_of[key]
                 if r["type"] == "add_product_to_cart" and r["time"] < key[1]}  # fmt: skip
        assert {line["product_id"] for line in lines[order_id]} <= added, order_id


def test_prices_change_between_a_cart_add_and_the_order(sample, judged: Judged) -> None:
    _, s = sample
    product_changes = defaultdict(list)
    for row in judged.rows["product"]:
        product_changes[row["id"]].append(row["time"])
    found = 0
    for events in _customer_events(judged).values():
        for session in _sessions(events):
            placed = [r["time"] for r in session if r["type"] == "placed_order"]
            for row in session:
                if placed and row["type"] == "add_product_to_cart":
                    changes = product_changes[row["payload"]["product"]]
                    found += any(row["time"] < t < placed[0] for t in changes)
    # Every such change the generator made is seen (unless the product changed again later
    # that day, which this seed does not do); spontaneous changes may add a few.
    assert found >= s.quirks["price_changes_in_cart_sessions"] >= 1


# --- the command line and the committed sample ------------------------------------------------


def test_cli_writes_the_files_and_a_summary(tmp_path: Path, capsys) -> None:
    out = tmp_path / "landing"
    assert main(["webshop", "--events", "1,000", "--out", str(out), "--days", "3"]) == 0
    printed = capsys.readouterr().out
    assert "bad rows: malformed_json" in printed and "quirks: " in printed
    assert sorted(p.name for p in out.iterdir()) == sorted(TABLES)


def test_too_few_events_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="events must be at least"):
        generate_webshop(tmp_path, MIN_EVENTS - 1)
    assert not tmp_path.joinpath("event").exists()


def test_committed_sample_is_the_generators_output(tmp_path: Path) -> None:
    """The bundled sample is ``--events 2000`` with the defaults: regenerate it."""
    generate_webshop(tmp_path, SAMPLE_EVENTS)
    assert _all_bytes(SAMPLE_DIR) == _all_bytes(tmp_path)
    assert sum(len(b) for b in _all_bytes(SAMPLE_DIR).values()) < 1_500_000


def test_committed_sample_shows_every_bad_kind() -> None:
    judged = judge(SAMPLE_DIR)
    assert set(judged.bad) == set(BAD_KINDS)
    assert all(n >= 2 for n in judged.bad.values()), judged.bad


def test_every_file_starts_with_valid_rows(sample, judged: Judged) -> None:
    """The shared landing-fault tests copy the first records of a file and expect them kept."""
    out, _ = sample
    for table in TABLES:
        for path in sorted((out / table).glob("????-??-??.jsonl")):
            for line in path.read_bytes().splitlines()[:3]:
                row = json.loads(line)
                assert _defect(table, row) is None, (path.name, row)
