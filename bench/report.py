"""Regenerate docs/benchmarks.md from every bench/results/*.json (`python -m bench.report`)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"


def _machine(m: dict) -> str:
    memory = m.get("memory_gb") or round(m.get("memory_mb", 0) / 1024, 1) or "?"
    cpu = m.get("cpu_model") or m.get("platform") or "?"
    return f"{m.get('cores')} cores, {memory} GB RAM, {cpu}, Python {m.get('python')}"


def _registry_section(r: dict) -> list[str]:
    lines = [
        f"## Registry list under concurrent load, {r['data']['database']} (`bench/run.py`)",
        "",
        f"- Date: {r['machine']['date']}; machine: {_machine(r['machine'])}",
        f"- Data: {r['data']['organisations']:,} organisations; database {r['data']['database']} "
        f"{r['data'].get('database_version', '')}; filter: county {r['data']['county_name']}, category "
        f"`{r['data']['category']}` ({r['data']['rows_matching']:,} matching, 25 rows a page)",
        f"- Server: gunicorn {r['server']['workers']} workers × {r['server']['threads']} threads, "
        f"settings `{r['server']['settings']}`, DEBUG off; load: {r['load']['threads']} keep-alive connections "
        f"for {r['load']['duration_s']} s each after {r['load']['warmup_s']} s warm-up, on the same machine",
        "",
        "| request | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to /healthz |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    floor = r["results"]["healthz"]["throughput_rps"] or 1
    for name, label in [
        ("healthz", "`/healthz` (floor)"),
        ("registry_list", "registry staff list, filtered (page)"),
        ("registry_api", "registry list through the API"),
    ]:
        s = r["results"].get(name)
        if not s:
            continue
        if s.get("requests") == 0:
            lines.append(
                f"| {label} | 0 | — | — | — | {s['errors']} | 0.00 (no response arrived inside the "
                f"{s['duration_s']:.0f} s window: each took longer) |"
            )
            continue
        lines.append(
            f"| {label} | {s['throughput_rps']:,} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | "
            f"{s['errors']} | {s['throughput_rps'] / floor:.2f} |"
        )
    target = r["target_ratio"]
    verdict = "meets" if r["ratio_list_to_healthz"] >= target else "does NOT meet"
    lines += [
        "",
        f"List/healthz ratio **{r['ratio_list_to_healthz']:.3f}** — {verdict} the target ≥ {target}. "
        f"API/healthz ratio {r['ratio_api_to_healthz']:.3f}.",
        "",
        "Bare SQL on the same database (one connection, no Django, no HTTP) — the second floor:",
        "",
        "| query | queries/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|",
    ]
    for f in r["sql_floor"]:
        lines.append(f"| `{f['sql']}` | {f['throughput_qps']:,} | {f['p50_ms']} | {f['p99_ms']} |")
    previous = r.get("previous")
    if previous:
        p = previous["results"]
        figures = ", ".join(
            f"{name} {p[name]['throughput_rps']} req/s (p50 {p[name]['p50_ms']} ms, p95 {p[name]['p95_ms']} ms)"
            for name in ("healthz", "registry_list", "registry_api")
            if name in p
        )
        lines += [
            "",
            f"Previous run ({previous['date']}): {figures}; list/healthz {previous['ratio_list_to_healthz']:.3f}, "
            f"API/healthz {previous['ratio_api_to_healthz']:.3f}"
            + (
                f"; one request alone: list {previous['unloaded_ms']['registry_list']} ms."
                if previous.get("unloaded_ms")
                else "."
            ),
        ]
    if r.get("unloaded_ms"):
        u = r["unloaded_ms"]
        lines += ["", f"One request alone, before the load: list {u['registry_list']} ms, API {u['registry_api']} ms."]
    if r.get("generate_seconds") is not None:
        lines += ["", f"Building the data set with `samverka generate` took {r['generate_seconds']:.0f} s."]
    if r.get("worker_peak_rss_mb"):
        lines += [f"Peak RSS of the web workers after the run: {r['worker_peak_rss_mb']} MB."]
    return lines


def _load_section(r: dict) -> list[str]:
    from .load_chart import write_svg

    write_svg(r["runs"], ROOT / "docs" / "img" / "load-latency.svg")
    load = r["load"]
    lines = [
        "## Mixed load with locust (`bench/load_mixed.py`, `bench/locustfile.py`)",
        "",
        f"- Date: {r['machine']['date']}; machine: {_machine(r['machine'])}",
        f"- Server: gunicorn {r['server']['workers']} workers × {r['server']['threads']} threads, settings "
        f"`{r['server']['settings']}`; load: {load['users']} simulated users ({load['tool']}) for "
        f"{load['duration_s']} s per data size: residents searching and reading, NGO admins saving their "
        "organisation, officers working on vouchers, and /healthz as the floor in the same run.",
        "",
    ]
    for run in r["runs"]:
        stats = run["requests"]
        floor_stats = stats.get("/healthz (floor)") or {}
        floor = floor_stats.get("throughput_rps") or 0
        floor_p50 = floor_stats.get("p50_ms") or 0
        lines += [
            f"### {run['organisations']:,} organisations ({run['database']})",
            "",
            # In a mix each request type's req/s follows its weight, so the comparable figure is latency: the
            # median as a multiple of /healthz's median in the same run.
            "| request | requests | req/s | p50 ms | p95 ms | p99 ms | errors | p50 × /healthz p50 |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, s in sorted(stats.items(), key=lambda kv: (kv[0] == "all", kv[0])):
            multiple = f"{s['p50_ms'] / floor_p50:.1f}" if floor_p50 and s.get("p50_ms") is not None else "–"
            lines.append(
                f"| `{name}` | {s['requests']} | {s['throughput_rps']} | {s['p50_ms']} | {s['p95_ms']} | "
                f"{s['p99_ms']} | {s['errors']} | {multiple} |"
            )
        lines += [
            "",
            f"/healthz answered {floor} req/s inside the same mix; peak RSS of a web worker after the load: "
            f"{run['worker_peak_rss_mb']} MB.",
            "",
        ]
    lines += [
        "![p50 (solid) and p95 (dashed) latency of the finder search, the registry list and /healthz against the "
        "number of organisations](img/load-latency.svg)",
        "",
        "Services come from the catalogue demo at every size; only the number of organisations grows, so the finder "
        "line shows the cost of the organisations it joins, not of more services.",
    ]
    return lines


def _generic_section(name: str, r: dict) -> list[str]:
    title = r.get("title", name)
    lines = [f"## {title} (`bench/results/{name}.json`)", ""]
    if "machine" in r:
        date = r.get("date") or r["machine"].get("date", "?")
        lines.append(f"- Date: {date}; machine: {_machine(r['machine'])}")
    if "summary" in r and isinstance(r["summary"], list):
        lines += [f"- {s}" for s in r["summary"]]
    lines += ["", "```json", json.dumps({k: v for k, v in r.items() if k != "machine"}, indent=2)[:4000], "```"]
    return lines


def render() -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` from `bench/results/*.json` — do not edit by hand. Every figure is measured next to",
        "its floor in the same run on the same machine, so the ratio carries over between machines better than the",
        "absolute numbers do.",
        "",
    ]
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        if path.stem.startswith("registry") and "results" in data:
            section = _registry_section(data)
        elif path.stem == "load" and "runs" in data:
            section = _load_section(data)
        else:
            section = _generic_section(path.stem, data)
        lines += section + [""]
    if not any(RESULTS.glob("*.json")):
        lines.append("No results yet: run `make bench`.")
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    DOC.write_text(render())
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
