"""The board's first read (``store.first_read``): the same statuses as ``queries.area_statuses`` (but
staleness, which follows with the full read), read with ``sqlite3`` alone; ``None`` whenever the quick
path does not apply, so the normal open decides (issue 11 item 9)."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scc_tui.domain.clock import FixedClock
from scc_tui.store import first_read
from scc_tui.store.demo import create_demo
from scc_tui.store.queries import area_statuses

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('first-read') / 'demo.db'}"
    create_demo(url, FixedClock(NOW), areas=60, days=120, seed=3)
    with sqlite3.connect(url.removeprefix("sqlite:///")) as con:  # one area with a plan label, as Swale has
        con.execute("UPDATE area SET plan_area = 'Swale' WHERE id = (SELECT max(id) FROM area)")
    return url


def _unstale(statuses):
    return [dataclasses.replace(s, stale=False, due_by=None) for s in statuses]


@pytest.mark.parametrize("back", [timedelta(0), timedelta(hours=5), timedelta(days=3), timedelta(days=40),
                                  timedelta(days=100), timedelta(days=400)])
def test_same_statuses_as_the_store_query(demo_url, back):
    from scc_tui.store.db import Store

    at = NOW - back
    quick = first_read.board_statuses(demo_url, at)
    store = Store(demo_url, FixedClock(at), create=False)
    try:
        with store.read() as s:
            full = area_statuses(s, at)
    finally:
        store.dispose()
    assert quick is not None and len(quick) == 60
    assert quick == _unstale(full)
    assert [s.area_id for s in quick] == [s.area_id for s in full]  # hierarchy order
    # the plan label the assessment form scores by comes with both reads (``extra`` is not compared above)
    assert [s.extra for s in quick] == [s.extra for s in full]
    assert any(s.extra.get("plan_area") for s in full)
    if back < timedelta(days=120):  # the demo's history
        assert any(s.level for s in quick) and any(s.days_at_level for s in quick)
    assert all(not s.stale and s.due_by is None for s in quick)  # staleness comes with the full read


def test_not_for_an_older_or_unknown_schema(demo_url, tmp_path):
    import shutil

    copy = tmp_path / "old.db"
    shutil.copy(Path(demo_url.removeprefix("sqlite:///")), copy)
    with sqlite3.connect(copy) as con:
        con.execute("UPDATE alembic_version SET version_num = '0001'")
    assert first_read.board_statuses(f"sqlite:///{copy}", NOW) is None  # the normal open migrates it
    with sqlite3.connect(copy) as con:
        con.execute("DROP TABLE alembic_version")
    assert first_read.board_statuses(f"sqlite:///{copy}", NOW) is None


def test_not_for_other_databases(tmp_path):
    assert first_read.board_statuses("postgresql+psycopg://u@127.0.0.1/x", NOW) is None
    assert first_read.board_statuses(f"sqlite:///{tmp_path / 'missing.db'}", NOW) is None
    assert not (tmp_path / "missing.db").exists()  # read-only: never creates a file
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert first_read.board_statuses(f"sqlite:///{tmp_path / 'junk.db'}", NOW) is None


def test_head_revision_matches_alembic():
    from scc_tui.store.schema import head_revision

    assert first_read.head_revision() == head_revision()


def test_reads_without_sqlalchemy_or_pydantic(demo_url):
    code = (
        "import sys; from datetime import datetime, UTC\n"
        "from scc_tui.store.first_read import board_statuses\n"
        f"rows = board_statuses({demo_url!r}, datetime(2026, 11, 23, 9, tzinfo=UTC))\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic', 'alembic', 'apscheduler', 'holidays') if m in sys.modules)\n"
        "print(len(rows), heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "60 []"


def test_a_record_at_the_very_instant_counts(demo_url):
    """Records at exactly ``at`` are in force at ``at`` (the window is inclusive), as in the store query."""
    with sqlite3.connect(demo_url.removeprefix("sqlite:///")) as con:
        latest = con.execute("SELECT max(assessed_at) FROM assessment").fetchone()[0]
    at = datetime.fromisoformat(latest).replace(tzinfo=UTC)
    quick = first_read.board_statuses(demo_url, at)
    just_before = first_read.board_statuses(demo_url, at - timedelta(microseconds=1))
    assert any(s.last_update == at for s in quick)
    assert quick != just_before
