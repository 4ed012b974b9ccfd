"""``scc handover`` end to end in a subprocess: a database with areas, assessments over three days, a
decision and an action logged today, a missed prompt; Markdown, text and JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from scc_tui.domain.clock import UTC
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.models import Area, Assessment


ROOT = Path(__file__).resolve().parents[2]
DAY = datetime(2026, 11, 23, tzinfo=UTC)  # Monday, GMT


def T(days: int, h: int, m: int = 0) -> datetime:
    return DAY + timedelta(days=days, hours=h, minutes=m)


# (name, kind, parent)
AREAS = [
    ("Kent and Medway ICS", "ics", None),
    ("East Kent", "system", "Kent and Medway ICS"),
    ("QEQM Hospital", "provider", "East Kent"),
    ("William Harvey Hospital", "provider", "East Kent"),
    ("Maidstone Hospital", "provider", "Kent and Medway ICS"),
]
# (area, when, level)
ASSESSMENTS = [
    ("QEQM Hospital", T(-2, 9, 10), 4),
    ("QEQM Hospital", T(-1, 9, 5), 4),
    ("QEQM Hospital", T(0, 8, 50), 4),
    ("William Harvey Hospital", T(-1, 9, 0), 2),
    ("William Harvey Hospital", T(0, 9, 15), 3),
    ("Maidstone Hospital", T(0, 9, 40), 2),
]


@pytest.fixture
def handover_db(db_url, clock):
    from scc_tui.store.log import append_entry
    from scc_tui.store.prompts import mark_shown

    st = Store(resolve_url(db_url), clock)
    ids: dict[str, int] = {}
    with st.write() as s:
        for i, (name, kind, parent) in enumerate(AREAS):
            a = Area(name=name, key=name.casefold(), kind=kind, parent_id=ids.get(parent),
                     method="acute-2023" if kind == "provider" else None, sort_order=i,
                     created_at=T(-3, 0), updated_at=T(-3, 0))
            s.add(a)
            s.flush()
            ids[name] = a.id
        for name, when, level in ASSESSMENTS:
            s.add(Assessment(area_id=ids[name], assessed_at=when, recorded_at=when, method="acute-2023",
                             values_json="{}", score=None, level=level, author="a.lee", source="cli"))
    clock.set(T(-1, 17, 0))
    append_entry(st, kind="note", text="Yesterday's note: not in today's handover", author="a.lee")
    clock.set(T(0, 10, 52))
    append_entry(st, kind="decision", text="Open 6 escalation beds at QEQM", author="j.smith",
                 rationale="QEQM day 3 at OPEL 4; ED over 12 h rising")
    clock.set(T(0, 15, 40))
    append_entry(st, kind="action", text="Chase Maidstone for the afternoon update", author="b.khan")
    mark_shown(st, "kcc-update-am", T(0, 0), "deadline", T(0, 10, 15), missed=True)
    st.dispose()
    return db_url


def run(db: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SCC_NOW", None)
    env.pop("SCC_SCHEDULE", None)
    return subprocess.run(
        [sys.executable, "-m", "scc_tui", "--db", db, "handover", "--at", "2026-11-23T18:00", *args],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
    )


def test_handover_markdown_text_json(handover_db):
    md = run(handover_db, "--format", "md")
    assert md.returncode == 0, md.stderr
    out = md.stdout
    assert out.startswith("# SCC handover — Monday 23 November 2026 18:00 (GMT)")
    # OPEL 3/4 areas, worst first, with their days at level
    assert "- **QEQM Hospital**: OPEL 4, day 3 at level" in out
    assert "- **William Harvey Hospital**: OPEL 3, day 1 at level" in out
    assert out.index("QEQM Hospital**") < out.index("William Harvey Hospital**")
    assert "Maidstone Hospital**" not in out
    assert "| William Harvey Hospital | OPEL 3 | OPEL 2 → 3 (up) |" in out
    # decisions and actions logged today (not yesterday's note)
    assert "10:52 decision (j.smith): Open 6 escalation beds at QEQM" in out
    assert "15:40 action (b.khan): Chase Maidstone for the afternoon update" in out
    assert "Yesterday's note" not in out
    # the missed prompt
    assert "10:15 KCC daily SHREWD update (deadline) — missed" in out
    # tomorrow's first items (Tuesday)
    tomorrow = out.split("## First items tomorrow, Tuesday 24 November", 1)[1]
    assert "- Tue 08:30 NHSE/I SECAmb call" in tomorrow
    assert "- Tue 10:00 OPEL assessment submitted (deadline)" in tomorrow

    txt = run(handover_db, "--format", "txt")
    assert txt.returncode == 0, txt.stderr
    assert "**" not in txt.stdout and "|" not in txt.stdout
    assert "QEQM Hospital: OPEL 4, day 3 at level" in txt.stdout
    assert "Open 6 escalation beds at QEQM" in txt.stdout
    assert "Tue 08:30 NHSE/I SECAmb call" in txt.stdout

    js = run(handover_db, "--format", "json")
    assert js.returncode == 0, js.stderr
    data = json.loads(js.stdout)
    assert data["opel_3_4"] == ["QEQM Hospital", "William Harvey Hospital"]
    assert [d["kind"] for d in data["decisions"]] == ["decision", "action"]


def test_handover_bad_at_is_one_line_exit_2(handover_db):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "scc_tui", "--db", handover_db, "handover", "--at", "yesterday"],
                       capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "--at" in p.stderr
