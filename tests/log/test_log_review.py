"""Issue 12 item 9: a review of a decision is its own kind, linked to the decision in ``log_review``
(was a ``prompt-ack`` entry found again by matching its text)."""

from __future__ import annotations

import pytest

from scc_tui.domain.log import LogInputError
from scc_tui.store.log import append_entry, review_links, verify_chain


def test_a_review_names_a_decision_and_is_linked(store):
    d = append_entry(store, kind="decision", text="Divert QEQM to WHH", rationale="handovers 70 min", author="a")
    n = append_entry(store, kind="note", text="Review of decision #1: not a review, only says so", author="a")
    r = append_entry(store, kind="review", text="Divert working", author="a", reviews_seq=d.seq)
    assert r.kind == "review"
    assert review_links(store) == {r.seq: d.seq}  # the note that merely says so is not one
    assert review_links(store, [n.seq]) == {}
    with pytest.raises(LogInputError, match="^reviews: a review names the decision"):
        append_entry(store, kind="review", text="x", author="a")
    with pytest.raises(LogInputError, match="not a decision"):
        append_entry(store, kind="review", text="x", author="a", reviews_seq=n.seq)
    with pytest.raises(LogInputError, match="no entry #99"):
        append_entry(store, kind="review", text="x", author="a", reviews_seq=99)
    with pytest.raises(LogInputError, match="only a review"):
        append_entry(store, kind="note", text="x", author="a", reviews_seq=d.seq)
    assert verify_chain(store).ok


def test_migration_links_the_old_text_reviews(tmp_path):
    """A database from before 0009: its prompt-ack "Review of decision #n:" entries are linked once."""
    from datetime import UTC, datetime

    from alembic import command

    from scc_tui.domain.clock import FixedClock
    from scc_tui.store.db import Store, resolve_url
    from scc_tui.store.schema import _config

    url = resolve_url(str(tmp_path / "old.db"))
    clock = FixedClock(datetime(2026, 11, 23, 12, tzinfo=UTC))
    st = Store(url, clock)
    try:
        d = append_entry(st, kind="decision", text="Open beds", rationale="full", author="a")
        old = append_entry(st, kind="prompt-ack", text=f"Review of decision #{d.seq}: beds open", author="a")
        append_entry(st, kind="prompt-ack", text="Acknowledged start prompt: call", author="a")
        with st.engine.begin() as c:
            c.exec_driver_sql("DELETE FROM log_review")
        with st.engine.begin() as conn:
            command.downgrade(_config(conn), "0009-1")
        with st.engine.begin() as conn:
            command.upgrade(_config(conn), "head")
        assert review_links(st) == {old.seq: d.seq}
    finally:
        st.dispose()
