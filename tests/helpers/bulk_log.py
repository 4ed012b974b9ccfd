"""Make a long, valid log fast: hashes computed here, rows inserted with executemany in chunks
(appending 70,000 entries one by one through the app would take minutes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from scc_tui.domain import log as dlog
from scc_tui.store.models import LogEntry

START = datetime(2026, 11, 1, tzinfo=UTC)


def bulk_log(store, n: int, *, chunk: int = 5000, corrections_every: int = 1000) -> str:
    """Append ``n`` valid entries (every ``corrections_every``-th corrects the one before). Returns
    the head hash."""
    prev = dlog.GENESIS_HASH
    rows = []
    table = LogEntry.__table__
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # the insert guard lets the owner's bulk load through
            conn.execute(sa.text("SELECT set_config('scc.log_append', 'on', true)"))
        for seq in range(1, n + 1):
            at = START + timedelta(seconds=seq)
            rec = {
                "seq": seq, "recorded_at": at, "event_at": at, "author": "alice", "role": None, "kind": "note",
                "areas": [], "opel": {}, "text": f"entry {seq}", "rationale": None, "risk": None,
                "risk_measure": None, "owner": None, "review_at": None,
                "corrects_seq": seq - 1 if seq > 1 and seq % corrections_every == 0 else None,
                "late_reason": None, "source": "cli",
            }
            h = dlog.compute_hash(rec, prev)
            rows.append({
                "seq": seq, "recorded_at": at, "event_at": at, "late_reason": None, "author": "alice",
                "role": None, "kind": "note", "areas_json": "[]", "opel_json": "{}", "text": rec["text"],
                "rationale": None, "risk": None, "risk_measure": None, "owner": None, "review_at": None,
                "corrects_seq": rec["corrects_seq"], "source": "cli", "prev_hash": prev, "hash": h,
            })
            prev = h
            if len(rows) >= chunk:
                conn.execute(table.insert(), rows)
                rows = []
        if rows:
            conn.execute(table.insert(), rows)
    return prev
