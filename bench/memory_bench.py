"""Peak memory of the bulk commands at growing data sizes: none may grow with the data past a constant.

`python -m bench.memory_bench` (called by `make bench`) runs, for each size, on a fresh database:
`samverka generate --organisations N --years`, `samverka registry-refacet`, and `samverka import-organisations
--format brreg` of a generated Enhetsregisteret file with N rows; then, for each of `--catalogue-sizes` services
(built by the catalogue benchmark's generator), `samverka reindex`, `samverka export-hsds` as JSON and
`samverka import-hsds` of that export back into the same database (`--catalogue-only` measures these alone and keeps
the registry figures of the last full run). Each command runs in its own process; its peak resident set (ru_maxrss
from wait4) is read when it ends. Migrations run in a separate process first so they do not count.
Writes bench/results/memory.json.

The import runs into the database `generate` filled, so some of its rows already exist there (the two seeds draw
overlapping Norwegian numbers) and go through the update path; each command's last lines of output (for the
import: created / updated counts) is kept with its figures. `--sizes 30000 300000 1000000` adds a larger size
(about an hour more on the 2-core machine).

What bounds each command (see the summary): `generate` holds one chunk of 5,000 organisations in Python and
gives its SQLite connection a page cache of `SQLITE_CACHE_KIB` (64 MB), full from about 25,000 organisations on,
so its peak climbs up to that cap and then stays; the import holds one batch of 2,000 rows and updates changed
rows with one prepared statement each; the facet rebuild runs in the database in id-range batches.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import report
from .machine import machine_info
from .run import BIN, RESULTS, ROOT, bench_env

DEFAULT_SIZES = (30_000, 300_000)
CATALOGUE_SIZES = (5_000, 20_000)
# Allowed growth of peak memory from the smallest to the largest size: Python's allocator and SQLite's page
# cache settle at a level that depends a little on the data, so a strictly equal figure is not expected.
CONSTANT_FACTOR = 1.5
GENERATE = ROOT / "samverka" / "registry" / "generate.py"


def generate_cache_mb() -> int:
    """The SQLite page cache `samverka generate` gives its connection (SQLITE_CACHE_KIB in generate.py), in MB."""
    found = re.search(r"^SQLITE_CACHE_KIB = ([\d_]+)", GENERATE.read_text(encoding="utf-8"), re.MULTILINE)
    return int(found.group(1)) // 1024 if found else 0


def bounds() -> dict[str, str]:
    """What holds each command's memory to a constant (why a figure stops growing)."""
    return {
        "generate": f"one chunk of 5,000 organisations in Python, and a SQLite page cache capped at "
        f"{generate_cache_mb()} MB that is full from about 25,000 organisations on",
        "registry-refacet": "id-range batches of 20,000 organisations, rows built inside the database",
        "import-organisations": "one batch of 2,000 rows; changed rows updated with one prepared statement each",
    }


def catalogue_bounds() -> dict[str, str]:
    """What holds the HSDS exchange commands' memory to a constant (reindex is described by its own owner)."""
    return {
        "export-hsds": "batches of 500 services written item by item as they are built; kept across services: "
        "only the ids of shared rows (organisations, locations, terms)",
        "import-hsds": "the file read object by object (once to check it, again to import); kept across "
        "services: the dataset's organisation ids and a cache of 500 organisations",
    }


def import_counts(run: dict) -> str:
    found = re.search(r"(\d+) created, (\d+) updated", " ".join(run.get("output", [])))
    return f"{int(found.group(1)):,} created + {int(found.group(2)):,} updated" if found else "?"


def run_measured(env: dict[str, str], *args: str) -> dict:
    """Run one `samverka` command; return its wall time, peak RSS in MB and last two lines of output."""
    started = time.perf_counter()
    # Files, not pipes: nothing is read while the command runs, so a full pipe could never block it.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([str(BIN / "samverka"), *args], cwd=ROOT, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"samverka {' '.join(args)} failed:\n{stderr[-2000:]}")
    # Paths relative to the repository: the results are committed and must not carry this machine's layout.
    lines = [
        line.strip().replace(f"{ROOT}/", "")
        for line in stdout.splitlines()
        if line.strip() and not line.startswith(" ")
    ]
    return {"seconds": round(seconds, 1), "peak_mb": round(usage.ru_maxrss / 1024, 1), "output": lines[-2:]}


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
    csv.with_name(f"{csv.stem}.rejects.csv").unlink(missing_ok=True)
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    return out


def measure_catalogue(size: int, workdir: Path) -> dict:
    """The catalogue's bulk commands on `size` services (of size × 0.3 organisations, built by the catalogue
    benchmark's generator, not measured): `reindex`, `export-hsds` of the published services as JSON, and
    `import-hsds` of that export back into the same database (every service an update)."""
    from .catalogue_bench import GENERATE

    db = workdir / f"memory-catalogue-{size}.sqlite3"
    out_dir = workdir / f"memory-hsds-{size}"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    env = bench_env(f"sqlite:///{db}")

    def build(*command: str) -> None:
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    build(str(BIN / "samverka"), "migrate", "--noinput", "-v", "0")
    build(str(BIN / "samverka"), "generate", "--organisations", str(max(1_000, size * 3 // 10)), "--seed", "5")
    build(sys.executable, "-c", GENERATE, str(size), "5")
    out = {
        "reindex": run_measured(env, "reindex", "--verbosity", "0"),
        "export-hsds": run_measured(env, "export-hsds", str(out_dir), "--format", "json", "--verbosity", "0"),
    }
    out["import-hsds"] = run_measured(env, "import-hsds", str(out_dir / "services.json"), "--verbosity", "0")
    shutil.rmtree(out_dir, ignore_errors=True)
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    return out


def registry_summary(runs: dict, sizes: list[int]) -> tuple[dict, list[str]]:
    smallest, largest = runs[str(min(sizes))], runs[str(max(sizes))]
    growth = {name: round(largest[name]["peak_mb"] / smallest[name]["peak_mb"], 2) for name in smallest}
    summary = [
        f"SQLite; each command in its own process on a fresh database; sizes {', '.join(f'{s:,}' for s in sizes)}",
        *(
            f"`samverka {name}`: peak RSS "
            + ", ".join(f"{runs[str(s)][name]['peak_mb']} MB at {s:,}" for s in sorted(sizes))
            + f" (growth ×{growth[name]}; constant if ≤ ×{CONSTANT_FACTOR}); bounded by {bounds()[name]}"
            for name in smallest
        ),
        "The import runs into the database generate filled: "
        + ", ".join(f"{import_counts(runs[str(s)]['import-organisations'])} at {s:,}" for s in sorted(sizes))
        + ". Before the update path was one prepared statement (it was bulk_update), a batch of 2,000 changed rows "
        "cost ~100 MB at the peak: that, not the database size, made the import's earlier 140.7 → 244.8 MB.",
    ]
    return growth, summary


def catalogue_summary(runs: dict, sizes: list[int]) -> tuple[dict, list[str]]:
    first, last = runs[str(sizes[0])], runs[str(sizes[-1])]
    growth, summary = {}, []
    for name in first:
        growth[name] = round(last[name]["peak_mb"] / first[name]["peak_mb"], 2)
        constant = "constant" if growth[name] <= CONSTANT_FACTOR else "grows with the data"
        summary.append(
            f"`samverka {name}`: peak RSS "
            + ", ".join(f"{runs[str(s)][name]['peak_mb']} MB at {s:,} services" for s in sizes)
            + f" (growth ×{growth[name]}; {constant})"
            + (f"; bounded by {catalogue_bounds()[name]}" if name in catalogue_bounds() else "")
        )
    return growth, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument(
        "--catalogue-sizes",
        type=int,
        nargs="+",
        default=list(CATALOGUE_SIZES),
        help="numbers of services for reindex, export-hsds and import-hsds",
    )
    parser.add_argument(
        "--catalogue-only",
        action="store_true",
        help="measure the catalogue commands only; the registry figures are kept from memory.json (marked so)",
    )
    args = parser.parse_args()
    workdir = ROOT / "var" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    registry_measured_at = None
    if args.catalogue_only:
        previous = json.loads((RESULTS / "memory.json").read_text())
        runs = previous["runs"]
        registry_measured_at = previous.get("registry_measured_at") or previous["machine"]["date"]
        growth = {name: previous["growth_largest_to_smallest"][name] for name in bounds()}
        kept = f"(Not re-measured: kept from the run of {registry_measured_at}.) "
        summary = [
            line if line.startswith(("SQLite", "(Not re-measured")) else kept + line for line in previous["summary"][:5]
        ]
    else:
        runs = {}
        for size in sorted(args.sizes):
            print(f"== memory at {size:,} organisations / rows", flush=True)
            runs[str(size)] = measure(size, workdir)
        growth, summary = registry_summary(runs, args.sizes)
    catalogue_sizes = sorted(n for n in args.catalogue_sizes if n > 0)
    catalogue_runs = {}
    for size in catalogue_sizes:
        print(f"== memory at {size:,} services", flush=True)
        catalogue_runs[str(size)] = measure_catalogue(size, workdir)
    if len(catalogue_sizes) >= 2:
        more_growth, more_summary = catalogue_summary(catalogue_runs, catalogue_sizes)
        growth |= more_growth
        summary += more_summary
    result = {
        "title": "Peak memory of the bulk commands against data size",
        "machine": machine_info(),
        "summary": summary,
        "runs": runs,
        "registry_measured_at": registry_measured_at,
        "catalogue_runs": catalogue_runs,
        "growth_largest_to_smallest": growth,
        "constant": all(g <= CONSTANT_FACTOR for g in growth.values()),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(result, indent=2) + "\n")
    print("\n".join(summary))
    report.main()


if __name__ == "__main__":
    main()
