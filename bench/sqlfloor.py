"""A second floor: bare SQL round trips on the same database, without Django or HTTP."""

import sqlite3
import time
from urllib.parse import unquote, urlsplit


def _connect(database_url: str):
    if database_url.startswith("sqlite:"):
        path = unquote(urlsplit(database_url).path)
        path = path[1:] if path.startswith("//") else path
        return sqlite3.connect(path)
    import psycopg

    return psycopg.connect(database_url.replace("postgres://", "postgresql://", 1))


def measure(database_url: str, sql: str, duration: float = 3.0) -> dict:
    conn = _connect(database_url)
    cur = conn.cursor()
    latencies = []
    stop = time.perf_counter() + duration
    while time.perf_counter() < stop:
        start = time.perf_counter()
        cur.execute(sql)
        cur.fetchall()
        latencies.append(time.perf_counter() - start)
    conn.close()
    latencies.sort()
    n = len(latencies)
    return {
        "sql": sql,
        "queries": n,
        "throughput_qps": round(n / duration, 1),
        "p50_ms": round(latencies[n // 2] * 1000, 3),
        "p99_ms": round(latencies[min(n - 1, int(n * 0.99))] * 1000, 3),
    }


def floors(database_url: str) -> list[dict]:
    return [
        measure(database_url, "SELECT 1"),
        measure(database_url, "SELECT COUNT(*) FROM registry_organisation"),
    ]
