"""CSV import at scale: rows/s and whole-process peak RSS of `scc import assessments`.

    .venv/bin/python benchmarks/import_bench.py [--sizes 10000,100000,1000000] [--pg URL] [--no-sqlite]

For each size and backend: a fresh database with 50 acute providers, a generated CSV of valid
assessment rows (one per provider per minute), then `scc import assessments FILE --db ...` run as a
subprocess; its peak RSS is read from os.wait4's rusage (that child alone). Also a file of 200,000
bad rows: the number of error lines printed (capped) and the same figures. PostgreSQL runs with
--pg or $SCC_TEST_PG, in throwaway databases dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVIDERS = 50
KEYS = ("ambulance_handover_mins,ed_4hr_pct,ed_attendances_vs_expected_pct,majors_resus_occupancy_pct,"
        "time_to_treatment_mins,over_12hr_in_ed_pct,ga_bed_occupancy_pct,escalation_beds_pct,nctr_pct")
VALUES = ("20,80,5,90,70,3,93,3,11", "70,55,25,125,130,11,99,7,16", "40,70,12,100,95,6,96,5,13")
START = datetime(2025, 1, 6, tzinfo=UTC)


def areas_toml() -> str:
    out = ['[[area]]\nname = "Bench ICS"\nkind = "ics"\n']
    for i in range(PROVIDERS):
        out.append(f'[[area]]\nname = "Bench Provider {i:03d}"\nkind = "provider"\nparent = "Bench ICS"\nmethod = "acute"\n')
    return "\n".join(out)


def write_csv(path: Path, rows: int, *, bad: bool = False) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(f"area,assessed_at,method,{KEYS}\n")
        for i in range(rows):
            area = "Nowhere" if bad else f"Bench Provider {i % PROVIDERS:03d}"
            at = (START + timedelta(minutes=i // PROVIDERS)).strftime("%Y-%m-%dT%H:%M:%SZ")
            f.write(f"{area},{at},,{VALUES[i % 3]}\n")


def run_scc(args: list[str]) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak RSS MB, stderr) of one scc process (its own rusage, from wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "scc_tui", *args], stdout=out, stderr=err, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
        _pid, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode(errors="replace")
    return p.returncode, seconds, usage.ru_maxrss / 1024, text


class Pg:
    def __init__(self, admin: str):
        self.admin = admin.replace("postgresql+psycopg://", "postgresql://")
        self.made: list[str] = []

    def new(self) -> str:
        import psycopg

        name = "scc_bench_" + uuid.uuid4().hex[:10]
        with psycopg.connect(self.admin, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return self.admin.rpartition("/")[0] + "/" + name

    def drop_all(self) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as c:
            for name in self.made:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--pg", default=os.environ.get("SCC_TEST_PG", ""))
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--bad-rows", type=int, default=200_000)
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",") if x]
    work = Path(tempfile.mkdtemp(prefix="scc-import-bench-"))
    toml = work / "areas.toml"
    toml.write_text(areas_toml(), encoding="utf-8")
    files = {}
    for n in sizes:
        files[n] = work / f"rows-{n}.csv"
        write_csv(files[n], n)
    bad = work / "bad.csv"
    write_csv(bad, a.bad_rows, bad=True)
    pg = Pg(a.pg) if a.pg else None
    backends = ([] if a.no_sqlite else ["sqlite"]) + (["postgresql"] if pg else [])
    print(f"{'backend':10} {'rows':>9} {'file MB':>8} {'seconds':>8} {'rows/s':>8} {'peak RSS MB':>12}  result")
    try:
        for backend in backends:
            jobs = [(n, files[n], False) for n in sizes] + [(a.bad_rows, bad, True)]
            for n, path, is_bad in jobs:
                url = str(work / f"{backend}-{n}-{int(is_bad)}.db") if backend == "sqlite" else pg.new()
                code, _s, _r, err = run_scc(["areas", "import", str(toml), "--db", url])
                if code != 0:
                    print(f"areas import failed: {err.strip()}")
                    return 1
                code, secs, rss, err = run_scc(["import", "assessments", str(path), "--db", url])
                lines = err.count("\n")
                if is_bad:
                    result = f"exit {code}, {lines} stderr lines (bad rows)"
                else:
                    result = "ok" if code == 0 else f"exit {code}: {err.strip().splitlines()[-1] if err.strip() else ''}"
                mb = path.stat().st_size / 1e6
                print(f"{backend:10} {n:>9} {mb:>8.1f} {secs:>8.1f} {n / secs:>8.0f} {rss:>12.0f}  {result}", flush=True)
                if backend == "sqlite":
                    for suffix in ("", "-wal", "-shm"):
                        Path(url + suffix).unlink(missing_ok=True)
    finally:
        if pg:
            pg.drop_all()
        for f in work.iterdir():
            f.unlink()
        work.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
