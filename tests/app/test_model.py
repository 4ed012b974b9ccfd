"""The board's pure model: tree order, group summaries, filter, diff, formatting."""

from __future__ import annotations

from datetime import datetime, timedelta

from scc_tui.app.model import (
    build_board,
    changed_ids,
    describe,
    filter_items,
    fmt_score,
    fmt_when,
)
from scc_tui.domain.clock import UTC
from tests.app.fakes import NOW, bump, sample


def test_tree_order_and_groups():
    board = build_board(sample())
    names = [(i.name, i.depth, i.is_group) for i in board.items]
    assert names[:3] == [("Kent and Medway ICS", 0, True), ("East Kent", 1, True), ("William Harvey Hospital", 2, False)]
    assert board.by_id[3].parent_ids == (1, 2)


def test_ics_acts_at_worst_provider_level():
    board = build_board(sample())
    ics = board.by_id[1].summary
    assert ics.worst == 4 and ics.acts_at == 4 and ics.because == ("QEQM Hospital",)
    west = board.by_id[6].summary
    assert west.worst == 2 and west.acts_at is None
    assert board.by_id[2].summary.stale == 1


def test_filter_by_name_level_and_stale():
    board = build_board(sample())
    ids = lambda q: [i.area_id for i in filter_items(board, q)]  # noqa: E731
    assert ids("maid") == [1, 6, 7]  # ancestors kept for context
    assert ids("4") == [1, 2, 4] and ids("OPEL 4") == [1, 2, 4]
    assert ids("stale") == [1, 2, 5]
    assert ids("west kent") == [1, 6, 7, 8]  # a matching group keeps its areas
    assert ids("nothing like this") == []
    assert len(ids("")) == len(board.items)


def test_changed_ids_only_reports_visible_changes():
    old = sample()
    assert changed_ids(old, list(old)) == set()
    assert changed_ids(old, bump(old, 7, level=3, trend="up")) == {7}
    assert changed_ids(old, old[:-1]) is None  # an area went away: relayout


def test_formatting():
    assert fmt_score(27, 44) == "27/44"
    assert fmt_score(63.0, 100) == "63/100"
    assert fmt_score(62.55, 100) == "62.5/100" or fmt_score(62.55, 100) == "62.6/100"
    assert fmt_score(None, 44) == "—"
    assert fmt_when(NOW - timedelta(minutes=5), NOW) == "08:55"
    # London, not UTC: 23:30 UTC on 30 June is 00:30 BST the next day
    summer_now = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert fmt_when(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), summer_now) == "00:30"
    assert fmt_when(datetime(2026, 6, 29, 17, 5, tzinfo=UTC), summer_now) == "29 Jun 18:05"
    assert fmt_when(None, NOW) == "—"
    text = describe(sample()[2], NOW)
    assert text == "William Harvey Hospital, OPEL 3, 27/44, Day 2 at OPEL 3, rising, updated 08:12"
