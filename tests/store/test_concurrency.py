"""Several OS processes writing at once, and a writer killed mid-stream: no errors, nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from scc_tui.datafiles.areas import AreaSpec
from scc_tui.store.areas import import_area_specs
from scc_tui.store.models import Assessment, Declaration

pytestmark = pytest.mark.slow

AREAS = [AreaSpec("ICS", "ics", None, None, None, None, 0)] + [
    AreaSpec(f"Hospital {i}", "provider", "ICS", None, "acute", None, i) for i in range(1, 5)
]

WORKER = r"""
import sys, time
from datetime import datetime, UTC, timedelta
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.assessments import record_assessment, record_declaration
url, me, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
KEYS = ["ambulance_handover_mins", "ed_4hr_pct", "ed_attendances_vs_expected_pct", "majors_resus_occupancy_pct",
        "time_to_treatment_mins", "over_12hr_in_ed_pct", "ga_bed_occupancy_pct", "escalation_beds_pct", "nctr_pct"]
values = dict(zip(KEYS, [20, 80, 5, 90, 70, 3, 93, 3, 11]))
st = Store(resolve_url(url))
print("ready", flush=True)
sys.stdin.readline()
end = time.monotonic() + seconds
n_a = n_d = 0
i = 0
base = datetime(2026, 11, 1, tzinfo=UTC)
while time.monotonic() < end:
    i += 1
    area = f"Hospital {1 + i % 4}"
    at = base + timedelta(seconds=i)
    if i % 5 == 0:
        row = record_declaration(st, area, 3, at, me, "load test", "test")
        n_d += 1
        print("D", row.id, flush=True)
    else:
        row = record_assessment(st, area, values, at, me, "test")
        n_a += 1
        print("A", row.id, flush=True)
print("done", n_a, n_d, flush=True)
"""


def _spawn(db_url: str, me: str, seconds: float) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    env.pop("SCC_NOW", None)
    return subprocess.Popen([sys.executable, "-c", WORKER, db_url, me, str(seconds)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_four_writers_lose_nothing(store, db_url, capsys):
    import_area_specs(store, AREAS, author="test", log=False)
    procs = [_spawn(db_url, f"w{i}", 4.0) for i in range(4)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    reported: dict[str, tuple[int, int, set]] = {}
    for i, p in enumerate(procs):
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert err == "", err  # zero errors surfaced (no retries, no warnings)
        lines = out.splitlines()
        done = lines[-1].split()
        assert done[0] == "done"
        ids = {(kind, int(x)) for kind, x in (ln.split() for ln in lines[:-1])}
        reported[f"w{i}"] = (int(done[1]), int(done[2]), ids)
    with store.read() as s:
        for me, (n_a, n_d, ids) in reported.items():
            a = s.execute(sa.select(Assessment.id).where(Assessment.author == me)).scalars().all()
            d = s.execute(sa.select(Declaration.id).where(Declaration.author == me)).scalars().all()
            assert (len(a), len(d)) == (n_a, n_d)
            assert {("A", x) for x in a} | {("D", x) for x in d} == ids
    total = sum(n_a + n_d for n_a, n_d, _ in reported.values())
    with capsys.disabled():
        print(f"\n[{store.dialect}] 4 writers x 4 s: {total} rows, all present")
    assert total > 40


def test_writer_killed_mid_stream_loses_no_committed_row(store, db_url, capsys):
    import_area_specs(store, AREAS, author="test", log=False)
    p = _spawn(db_url, "victim", 30.0)
    assert p.stdout.readline().strip() == "ready", p.stderr.read()
    p.stdin.write("go\n")
    p.stdin.flush()
    committed: list[tuple[str, int]] = []
    start = time.monotonic()
    while time.monotonic() - start < 1.5:
        line = p.stdout.readline()
        kind, x = line.split()
        committed.append((kind, int(x)))
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=10)
    # Lines already written to the pipe before the kill were committed too.
    for line in p.stdout.read().splitlines():
        if line.startswith(("A ", "D ")):
            kind, x = line.split()
            committed.append((kind, int(x)))
    assert len(committed) > 5
    from scc_tui.store.db import Store

    st2 = Store(store.url, store.clock)  # the next session opens it
    try:
        with st2.read() as s:
            a = set(s.execute(sa.select(Assessment.id).where(Assessment.author == "victim")).scalars())
            d = set(s.execute(sa.select(Declaration.id).where(Declaration.author == "victim")).scalars())
        present = {("A", x) for x in a} | {("D", x) for x in d}
        assert set(committed) <= present
        assert len(present - set(committed)) <= 1  # at most the one committed as it died, before printing
        if st2.dialect == "sqlite":
            with st2.engine.connect() as c:
                assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        from scc_tui.store.assessments import record_declaration

        assert record_declaration(st2, "Hospital 1", 2, store.clock.now(), "after", "recovered", "test").id
    finally:
        st2.dispose()
    with capsys.disabled():
        print(f"\n[{store.dialect}] killed writer: {len(committed)} reported committed rows, all present")
