"""Change-feed latency: a second OS process commits; how long until this process's feed sees it.

    .venv/bin/python benchmarks/feed_latency.py [--runs 20] [--pg postgresql://scc@127.0.0.1:55432/postgres]

Prints median and p95 per backend (SQLite always; PostgreSQL with --pg or $SCC_TEST_PG, in a
throwaway database that is dropped afterwards).
"""

from __future__ import annotations

import argparse
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

WRITER = r"""
import sys, time
from datetime import datetime, UTC
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.feed import notify
from scc_tui.store.models import Area
st = Store(resolve_url(sys.argv[1]))
print("ready", flush=True)
for line in sys.stdin:
    now = datetime.now(UTC)
    name = line.strip()
    with st.write() as s:
        s.add(Area(name=name, key=name.casefold(), kind="provider", created_at=now, updated_at=now))
        notify(s, "area")
    print(time.time(), flush=True)
"""


def measure(url: str, runs: int) -> list[float]:
    from scc_tui.store.db import Store, resolve_url
    from scc_tui.store.feed import ChangeFeed

    store = Store(resolve_url(url))
    feed = ChangeFeed.for_store(store)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-c", WRITER, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert p.stdout.readline().strip() == "ready"
    out = []
    try:
        for i in range(runs):
            feed.poll()
            p.stdin.write(f"bench {i}\n")
            p.stdin.flush()
            deadline = time.monotonic() + 10
            seen = None
            while time.monotonic() < deadline:
                if feed.poll():
                    seen = time.time()
                    break
                time.sleep(0.001)
            committed = float(p.stdout.readline())
            if seen is None:
                raise SystemExit("change not seen within 10 s")
            out.append(max(0.0, seen - committed))
    finally:
        p.stdin.close()
        p.wait(timeout=30)
        feed.close()
        store.dispose()
    return out


def report(name: str, xs: list[float]) -> None:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
    print(f"{name:10} runs={len(xs):3}  median={statistics.median(xs) * 1000:7.2f} ms  p95={p95 * 1000:7.2f} ms  max={xs[-1] * 1000:7.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--pg", default=os.environ.get("SCC_TEST_PG"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        report("sqlite", measure(f"sqlite:///{d}/bench.db", a.runs))
    if a.pg:
        import psycopg

        admin = a.pg.replace("postgresql+psycopg://", "postgresql://")
        name = "scc_bench_" + uuid.uuid4().hex[:8]
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        try:
            report("postgresql", measure(admin.rsplit("/", 1)[0] + "/" + name, a.runs))
        finally:
            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
