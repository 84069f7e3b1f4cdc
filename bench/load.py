"""A small closed-loop load generator: N threads, each with its own keep-alive HTTP connection, for a fixed time.

Run as its own process (`python -m bench.load URL --threads 8 --duration 20 --header 'Cookie: …'`) so its CPU
use is separate from the orchestrator's; prints one JSON object with throughput, latency percentiles and errors.
"""

import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit

TIMEOUT_S = 120


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def worker(url: str, headers: dict[str, str], stop_at: float, warmup_until: float, out: dict, expect: int) -> None:
    """Send requests back to back until `stop_at`. A response counts when it arrives inside the measured window
    (after the warm-up, before the end), whenever its request was sent, so slow pages are not silently dropped."""
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_S)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    while time.perf_counter() < stop_at:
        start = time.perf_counter()
        try:
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
            response.read()
            status: int | str = response.status
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_S)
        done = time.perf_counter()
        if not warmup_until <= done <= stop_at:
            continue
        if status == expect:
            latencies.append(done - start)
        else:
            errors[str(status)] = errors.get(str(status), 0) + 1
    conn.close()
    out["latencies"] = latencies
    out["errors"] = errors


def run(url: str, *, threads: int, duration: float, warmup: float, headers: dict[str, str], expect: int) -> dict:
    begin = time.perf_counter()
    warmup_until = begin + warmup
    stop_at = warmup_until + duration
    results: list[dict] = [{} for _ in range(threads)]
    pool = [
        threading.Thread(target=worker, args=(url, headers, stop_at, warmup_until, results[i], expect))
        for i in range(threads)
    ]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    latencies = sorted(x for r in results for x in r["latencies"])
    errors: dict[str, int] = {}
    for r in results:
        for key, n in r["errors"].items():
            errors[key] = errors.get(key, 0) + n
    ms = [x * 1000 for x in latencies]
    return {
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "duration_s": duration,
        "threads": threads,
        "throughput_rps": round(len(latencies) / duration, 1),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--expect", type=int, default=200)
    parser.add_argument("--header", action="append", default=[], help="'Name: value', repeatable")
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    headers.setdefault("Connection", "keep-alive")
    print(
        json.dumps(
            run(
                args.url,
                threads=args.threads,
                duration=args.duration,
                warmup=args.warmup,
                headers=headers,
                expect=args.expect,
            )
        )
    )


if __name__ == "__main__":
    main()
