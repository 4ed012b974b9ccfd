"""Many sessions on one database (issue 14 item 4): N headless boards (default 30), each its own OS
process running the real app (Textual's headless driver through ``App.run_test``) on one shared
database, as N people at the SCC would.

    .venv/bin/python benchmarks/sessions.py [--sessions 30] [--idle 10] [--pg postgresql://scc@127.0.0.1:55432/postgres]

Measures, and prints:
* idle CPU per session: each process's CPU time (user + system, from /proc) over ``--idle`` seconds with
  nobody typing, as a percentage of one core (median and max);
* propagation: one declaration is written by another process; the time from its commit until each
  session's board holds the new level (median and max). Target: every session within 2 s.

A report, not a gate (the machine's load decides the figures). SQLite by default (a throwaway demo
database); PostgreSQL with --pg (a throwaway database, dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AREA = "Maidstone Hospital"
TARGET_SECONDS = 2.0


# ------------------------------------------------------------------------------------------- worker

async def _worker(url: str, name: str) -> None:
    from scc_tui.app.app import SccApp
    from scc_tui.app.db_seam import DbSeam
    from scc_tui.domain.clock import SystemClock
    from scc_tui.store.db import Store

    store = Store(url, SystemClock(), migrate=False)
    app = SccApp(DbSeam(store), SystemClock(), name, prompts=False)
    loop = asyncio.get_running_loop()
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.loaded:
            await pilot.pause(0.05)
        print("ready", flush=True)
        line = await loop.run_in_executor(None, sys.stdin.readline)  # "watch LEVEL"
        target = int(line.split()[1])
        while True:
            s = app.find_area(AREA)
            if s is not None and s.level == target:
                print(f"seen {time.time():.6f}", flush=True)
                break
            await asyncio.sleep(0.01)
        await loop.run_in_executor(None, sys.stdin.readline)  # "quit"
    store.dispose()


# --------------------------------------------------------------------------------------------- main

def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _demo(url_or_path: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SCC_DB", "SCC_NOW")}
    subprocess.run([sys.executable, "-m", "scc_tui", "demo", "--no-open", "--days", "3", "--db", url_or_path],
                   check=True, env=env, capture_output=True, cwd=ROOT)


def run(url: str, sessions: int, idle: float) -> dict:
    from scc_tui.domain.clock import SystemClock
    from scc_tui.store.assessments import record_declaration
    from scc_tui.store.db import Store, resolve_url
    from scc_tui.store.queries import area_statuses

    url = resolve_url(url)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("SCC_NOW", None)
    t_start = time.monotonic()
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", url, "--name", f"bench{i:02d}"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
             for i in range(sessions)]
    try:
        for p in procs:
            if p.stdout.readline().strip() != "ready":
                raise SystemExit("a session did not start")
        started = time.monotonic() - t_start
        time.sleep(3)  # let the first refreshes settle
        before = {p.pid: _cpu_seconds(p.pid) for p in procs}
        t0 = time.monotonic()
        time.sleep(idle)
        wall = time.monotonic() - t0
        cpu = [100 * (_cpu_seconds(p.pid) - before[p.pid]) / wall for p in procs]

        store = Store(url, SystemClock(), migrate=False)
        now = SystemClock().now()
        with store.read() as s:
            current = next(x for x in area_statuses(s, now) if x.name == AREA).level
        target = 4 if current != 4 else 3
        for p in procs:
            p.stdin.write(f"watch {target}\n")
            p.stdin.flush()
        time.sleep(0.5)
        record_declaration(store, AREA, target, now, "bench", "benchmark: many sessions", "cli")
        committed = time.time()
        store.dispose()
        delays = []
        for p in procs:
            line = p.stdout.readline().split()
            delays.append(float(line[1]) - committed)
        for p in procs:
            p.stdin.write("quit\n")
            p.stdin.flush()
        for p in procs:
            p.wait(timeout=60)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    return {"sessions": sessions, "start_s": started, "idle_cpu": cpu, "delays": delays}


def report(backend: str, r: dict) -> None:
    cpu, d = r["idle_cpu"], r["delays"]
    print(f"[{backend}] {r['sessions']} sessions started in {r['start_s']:.1f} s")
    print(f"[{backend}] idle CPU per session: median {statistics.median(cpu):.2f} % of a core, "
          f"max {max(cpu):.2f} % (all {r['sessions']}: {sum(cpu):.1f} %)")
    ok = "within" if max(d) <= TARGET_SECONDS else "OVER"
    print(f"[{backend}] one change reached all {len(d)} sessions: median {statistics.median(d):.2f} s, "
          f"max {max(d):.2f} s ({ok} the {TARGET_SECONDS:.0f} s target)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--idle", type=float, default=10.0, help="seconds of idle measurement")
    ap.add_argument("--pg", default=None, help="PostgreSQL server URL (a throwaway database is made there)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--name", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        asyncio.run(_worker(a.worker, a.name))
        return
    with tempfile.TemporaryDirectory(prefix="scc-sessions-") as d:
        path = str(Path(d) / "demo.db")
        _demo(path)
        report("sqlite", run(path, a.sessions, a.idle))
    if a.pg:
        import psycopg

        name = "scc_bench_" + uuid.uuid4().hex[:10]
        admin = a.pg.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        url = f"{admin.rpartition('/')[0]}/{name}"
        try:
            _demo(url)
            report("postgresql", run(url, a.sessions, a.idle))
        finally:
            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
