"""Peak memory of the bulk commands at growing data sizes: none may grow with the data past a constant.

`python -m bench.memory_bench` (called by `make bench`) runs, for each size, on a fresh database:
`samverka generate --organisations N --years`, `samverka registry-refacet`, and `samverka import-organisations
--format brreg` of a generated Enhetsregisteret file with N rows. (`samverka reindex` is measured by the catalogue
benchmark, on its generated services.) Each command
runs in its own process; its peak resident set (ru_maxrss from wait4) is read when it ends. Migrations run in a
separate process first so they do not count. Writes bench/results/memory.json.
"""

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

from . import report
from .machine import machine_info
from .run import BIN, RESULTS, ROOT, bench_env

DEFAULT_SIZES = (30_000, 300_000)
# Allowed growth of peak memory from the smallest to the largest size: Python's allocator and SQLite's page
# cache settle at a level that depends a little on the data, so a strictly equal figure is not expected.
CONSTANT_FACTOR = 1.5


def run_measured(env: dict[str, str], *args: str) -> dict:
    """Run one `samverka` command; return its wall time and peak RSS in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "samverka"), *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"samverka {' '.join(args)} failed:\n{stderr[-2000:]}")
    return {"seconds": round(seconds, 1), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def measure(size: int, workdir: Path) -> dict:
    db = workdir / f"memory-{size}.sqlite3"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    env = bench_env(f"sqlite:///{db}")
    subprocess.run([str(BIN / "samverka"), "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    csv = workdir / f"memory-brreg-{size}.csv"
    subprocess.run(
        [str(BIN / "samverka"), "generate", "--brreg-csv", str(csv), "--rows", str(size), "--seed", "11"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    commands = {
        "generate": ("generate", "--organisations", str(size), "--years", "--seed", "3"),
        "registry-refacet": ("registry-refacet",),
        "import-organisations": ("import-organisations", "--format", "brreg", str(csv)),
    }
    out = {name: run_measured(env, *args) for name, args in commands.items()}
    csv.unlink(missing_ok=True)
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    args = parser.parse_args()
    workdir = ROOT / "var" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    runs = {}
    for size in sorted(args.sizes):
        print(f"== memory at {size:,} organisations / rows", flush=True)
        runs[str(size)] = measure(size, workdir)
    smallest, largest = runs[str(min(args.sizes))], runs[str(max(args.sizes))]
    growth = {name: round(largest[name]["peak_mb"] / smallest[name]["peak_mb"], 2) for name in smallest}
    summary = [
        f"SQLite; each command in its own process on a fresh database; sizes {', '.join(f'{s:,}' for s in args.sizes)}",
        *(
            f"`samverka {name}`: peak RSS "
            + ", ".join(f"{runs[str(s)][name]['peak_mb']} MB at {s:,}" for s in sorted(args.sizes))
            + f" (growth ×{growth[name]}; constant if ≤ ×{CONSTANT_FACTOR})"
            for name in smallest
        ),
    ]
    result = {
        "title": "Peak memory of the bulk commands against data size",
        "machine": machine_info(),
        "summary": summary,
        "runs": runs,
        "growth_largest_to_smallest": growth,
        "constant": all(g <= CONSTANT_FACTOR for g in growth.values()),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(result, indent=2) + "\n")
    print("\n".join(summary))
    report.main()


if __name__ == "__main__":
    main()
