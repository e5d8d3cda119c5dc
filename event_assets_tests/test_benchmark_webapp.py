"""The `webapp` benchmark (`benchmarks/webapp.py`) at a tiny size, in temporary folders.

Without the new day (`--no-increment`: each run of ours costs about 25 s of start-up, and the
new-day path is the shared one the `schools` smoke run goes through), but with the stream part:
it exits 0, prints the tables, writes the JSON with the per-batch figures, and ours and the
floors give the same tables on the generated data: the three batch tables, and the streams
after ours' whole run and after the micro-batches timed again. The generated playback files
include late files and heartbeats of streams already written, which the stream floor must
judge as the processor does (the benchmark compares them).
"""

from pathlib import Path

from event_assets_tests.benchmark_runs import run_benchmark


def test_webapp_benchmark_smoke_run(tmp_path: Path) -> None:
    done, results = run_benchmark(
        tmp_path, "webapp.py",
        "--events", "3000", "--days", "2", "--heartbeats", "3000", "--playback-files", "12",
        "--no-increment",
    )  # fmt: skip
    for row in ("| ours, full", "| DuckDB floor |", "| ours, stream: micro-batches timed |"):
        assert row in done.stdout
    runs = results["runs"]
    for run in ("ours_full", "floor", "stream_ours_whole", "stream_ours_batches", "stream_floor"):
        assert runs[run]["status"] == "ok", run
    assert results["increment"]["files"] == 1  # the held-back day
    equivalence = {(d["table"], d["left"], d["right"]): d for d in results["equivalence"]}
    assert all(d["equal"] for d in equivalence.values()), results["equivalence"]
    for table in ("webapp_sessions", "webapp_daily_activity", "webapp_insights"):
        assert equivalence[(table, "ours", "floor")]["summary"] != "equal (0 rows)"
    for ours in ("ours, whole run", "ours, batches timed"):
        streams = equivalence[("playback_streams", ours, "stream floor")]
        assert streams["summary"] != "equal (0 rows)"
        assert ("playback_open_streams", ours, "stream floor") in equivalence

    stream = results["stream"]
    batches = stream["batches"]
    assert batches["batches"] == 12 == len(stream["batch_details"]["seconds"])
    assert len(batches["first"]) == len(batches["last"]) == 10
    assert {"median", "max", "last_over_first"} <= set(batches)
    assert stream["whole_run_batches"]["batches"] == 11  # start to start: the last has no end
    assert sum(stream["batch_details"]["heartbeats"]) <= 3000
    targets = [t["target"] for t in results["targets"]]
    assert any(t.startswith("a micro-batch <= 2 s") for t in targets)
    assert not list((tmp_path / "work").iterdir())  # temporary folders removed
