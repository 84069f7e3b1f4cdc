"""The benchmark's own pieces: percentiles, the load generator against a live server, the report writer."""

import json
import urllib.request

import pytest

from bench import load, report
from bench.machine import machine_info


def test_percentile_picks_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert load.percentile(values, 50) == 50
    assert load.percentile(values, 99) == 99
    assert load.percentile([], 50) == 0.0


def test_machine_info_reports_cores_memory_and_date():
    info = machine_info()
    assert info["cores"] >= 1 and info["memory_gb"] > 0 and info["date"]


@pytest.mark.django_db(transaction=True)
def test_load_generator_measures_healthz_without_errors(live_server):
    # The live server's first request loads the URLconf and every view (most of a second): not part of the load.
    with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=30) as first:  # noqa: S310 (loopback)
        assert first.status == 200
    result = load.run(f"{live_server.url}/healthz", threads=2, duration=0.5, warmup=0.1, headers={}, expect=200)
    assert result["requests"] > 0 and result["errors"] == 0
    assert 0 < result["p50_ms"] <= result["p99_ms"]


def test_report_renders_registry_results_with_ratio_and_floors(tmp_path, monkeypatch):
    stats = {"throughput_rps": 100.0, "p50_ms": 5, "p95_ms": 9, "p99_ms": 12, "errors": 0}
    record = {
        "machine": {"date": "2026-01-01T00:00:00+00:00", "cores": 2, "memory_gb": 4, "cpu_model": "x", "python": "3"},
        "data": {
            "organisations": 300000,
            "database": "sqlite",
            "county_name": "Innlandet",
            "category": "elderly",
            "rows_matching": 1400,
        },
        "server": {"workers": 2, "threads": 4, "settings": "config.settings.prod"},
        "load": {"threads": 8, "duration_s": 20, "warmup_s": 3},
        "results": {"healthz": {**stats, "throughput_rps": 400.0}, "registry_list": stats, "registry_api": stats},
        "ratio_list_to_healthz": 0.25,
        "ratio_api_to_healthz": 0.25,
        "target_ratio": 0.25,
        "sql_floor": [{"sql": "SELECT 1", "throughput_qps": 1e5, "p50_ms": 0.01, "p99_ms": 0.02}],
    }
    (tmp_path / "registry.json").write_text(json.dumps(record))
    (tmp_path / "import.json").write_text(json.dumps({"title": "Import", "rows_per_s": 1}))
    monkeypatch.setattr(report, "RESULTS", tmp_path)
    text = report.render()
    assert "| `/healthz` (floor) | 400.0 |" in text
    assert "**0.250** — meets the target" in text
    assert "`SELECT 1`" in text and "## Import" in text


def test_memory_bench_reads_the_peak_memory_of_one_command_and_refuses_a_failing_one():
    from bench.memory_bench import run_measured
    from bench.run import bench_env

    env = bench_env("sqlite:///:memory:")
    measured = run_measured(env, "check")
    assert 20 < measured["peak_mb"] < 1024 and measured["seconds"] > 0
    with pytest.raises(SystemExit, match="no-such-command"):
        run_measured(env, "no-such-command")
