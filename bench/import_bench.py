"""Register import benchmark: `.venv/bin/python -m bench.import_bench --rows 1000000`.

Measures, in the same run and on a fresh database each:
  (a) `samverka import-organisations --format brreg` on a generated Enhetsregisteret CSV: wall time, rows/s and
      peak RSS of the child process (os.wait4's rusage of that one child);
  (b) the floor: Organisation.objects.bulk_create of the same rows as pre-built objects, same batch size, one
      transaction per batch, no parsing, no lookups, no area links (objects are built outside the timer).
Both run in child processes with production settings (DEBUG off). SQLite under var/bench/ always; PostgreSQL
too when DATABASE_URL points at one (databases samverka_bench_import / samverka_bench_floor are recreated).
Writes bench/results/import.json.
"""

import argparse
import datetime
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "import.json"
SEED = 7


def child_env(database_url: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(60),
        PYTHONPATH=str(ROOT),
    )
    return env


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of one child process; fails loudly when it fails."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{text}")
    return seconds, usage.ru_maxrss / 1024, text  # ru_maxrss is in KiB on Linux


def fresh_databases(database_url: str | None) -> list[tuple[str, str, str]]:
    """[(label, import url, floor url)] — SQLite always, PostgreSQL when DATABASE_URL is one."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    targets: list[tuple[str, str, str]] = []
    urls: list[str] = []
    for name in ("import", "floor"):
        path = BENCH_DIR / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        urls.append(f"sqlite:///{path}")
    targets.append(("sqlite", urls[0], urls[1]))
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(database_url)
        admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        urls = []
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in ("samverka_bench_import", "samverka_bench_floor"):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
                urls.append(urlunsplit(parts._replace(path=f"/{name}")))
        targets.append(("postgresql", urls[0], urls[1]))
    return targets


def floor(rows: int, batch_size: int) -> None:
    """Child mode: time bulk_create of pre-built Organisation objects for the generated rows."""
    import django

    django.setup()
    import uuid

    from django.db import transaction

    from samverka.areas.models import Area
    from samverka.registry.generate import BRREG_HEADER, brreg_rows
    from samverka.registry.models import LegalForm, Organisation, Source

    col = {name: i for i, name in enumerate(BRREG_HEADER)}
    areas = dict(Area.objects.filter(country="NO", kind="municipality").values_list("code", "id"))
    forms = {"FLI": LegalForm.ASSOCIATION, "STI": LegalForm.FOUNDATION}
    timed = 0.0
    generator = brreg_rows(rows, seed=SEED)
    while True:
        batch = []
        for r in generator:
            site = r[col["hjemmeside"]]
            batch.append(
                Organisation(
                    id=uuid.uuid4(),
                    country="NO",
                    org_number=r[col["organisasjonsnummer"]],
                    name=r[col["navn"]],
                    legal_form=forms[r[col["organisasjonsform.kode"]]],
                    status="dissolved" if r[col["underAvvikling"]] == "true" else "active",
                    home_area_id=areas.get(r[col["forretningsadresse.kommunenummer"]]),
                    in_volunteer_register=r[col["registrertIFrivillighetsregisteret"]] == "true",
                    purpose=r[col["vedtektsfestetFormaal"]] or r[col["aktivitet"]],
                    website=f"https://{site}" if site else "",
                    street_address=r[col["forretningsadresse.adresse"]].replace("/n", ", "),
                    postal_code=r[col["forretningsadresse.postnummer"]],
                    city=r[col["forretningsadresse.poststed"]],
                    source=Source.BRREG,
                )
            )
            if len(batch) == batch_size:
                break
        if not batch:
            break
        started = time.perf_counter()
        with transaction.atomic():
            Organisation.objects.bulk_create(batch, batch_size=batch_size)
        timed += time.perf_counter() - started
    print(json.dumps({"seconds": timed}))


def machine() -> dict:
    from bench.machine import machine_info

    # Other work on the machine skews both measurements; the load average says how busy it was.
    return {**machine_info(), "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.floor:
        floor(args.rows, args.batch_size)
        return

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    data = BENCH_DIR / f"enheter-{args.rows}-seed{SEED}.csv"
    targets = fresh_databases(os.environ.get("DATABASE_URL"))
    if not data.exists():
        print(f"Generating {data} …", flush=True)
        run_child(
            ["-m", "samverka", "generate", "--brreg-csv", str(data), "--rows", str(args.rows), "--seed", str(SEED)],
            child_env(targets[0][1]),
        )
    runs = []
    for label, import_url, floor_url in targets:
        for url in (import_url, floor_url):
            run_child(["-m", "samverka", "migrate", "--noinput", "-v0"], child_env(url))
        print(f"[{label}] importing {args.rows} rows …", flush=True)
        seconds, peak_mb, out = run_child(
            [
                "-m",
                "samverka",
                "import-organisations",
                "--format",
                "brreg",
                str(data),
                "--no-progress",
                "--batch-size",
                str(args.batch_size),
                "--rejects",
                str(BENCH_DIR / "import.rejects.csv"),
            ],
            child_env(import_url),
        )
        print(out.strip(), flush=True)
        print(f"[{label}] floor: bulk_create of the same rows …", flush=True)
        _wall, floor_peak_mb, floor_out = run_child(
            ["-m", "bench.import_bench", "--floor", "--rows", str(args.rows), "--batch-size", str(args.batch_size)],
            child_env(floor_url),
        )
        floor_seconds = json.loads(floor_out.strip().splitlines()[-1])["seconds"]
        run = {
            "database": label,
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "rows": args.rows,
            "batch_size": args.batch_size,
            "import": {
                "seconds": round(seconds, 2),
                "rows_per_second": round(args.rows / seconds),
                "peak_mb": round(peak_mb, 1),
                "summary": out.strip().splitlines()[0],
            },
            "floor": {
                "seconds": round(floor_seconds, 2),
                "rows_per_second": round(args.rows / floor_seconds),
                "peak_mb": round(floor_peak_mb, 1),
            },
        }
        run["ratio_to_floor"] = round(run["import"]["rows_per_second"] / run["floor"]["rows_per_second"], 3)
        run["targets_met"] = {"peak_mb_below_500": peak_mb < 500, "ratio_at_least_0.30": run["ratio_to_floor"] >= 0.30}
        print(json.dumps(run, indent=2), flush=True)
        runs.append(run)
        if label == "sqlite":  # a million-row database is a gigabyte; the results are what we keep
            for url in (import_url, floor_url):
                for suffix in ("", "-wal", "-shm"):
                    Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    # Keep earlier runs of other sizes/databases (a 1M-row SQLite run next to a smaller PostgreSQL one).
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    kept = []
    if RESULTS.exists():
        try:
            kept = json.loads(RESULTS.read_text()).get("runs", [])
        except (ValueError, AttributeError):
            kept = []
    new_keys = {(r["database"], r["rows"]) for r in runs}
    kept = [r for r in kept if (r.get("database"), r.get("rows")) not in new_keys]
    RESULTS.write_text(
        json.dumps(
            {"benchmark": "register import (Enhetsregisteret CSV) vs bare bulk_create", "runs": kept + runs},
            indent=2,
        )
        + "\n"
    )
    print(f"Wrote {RESULTS}")


if __name__ == "__main__":
    main()
