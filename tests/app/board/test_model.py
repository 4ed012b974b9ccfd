"""The board's pure model: tree order, group summaries, filter, diff, formatting."""

from __future__ import annotations

from datetime import datetime, timedelta

from scc_tui.app.board.model import (
    build_board,
    changed_ids,
    describe,
    filter_items,
    fmt_score,
    fmt_when,
)
from scc_tui.domain.clock import UTC
from tests.helpers.statuses import NOW, area_status, bump, sample


def test_tree_order_and_groups():
    board = build_board(sample())
    names = [(i.name, i.depth, i.is_group) for i in board.items]
    assert names[:3] == [("Kent and Medway ICS", 0, True), ("East Kent", 1, True), ("William Harvey Hospital", 2, False)]
    assert board.by_id[3].parent_ids == (1, 2)


def test_ics_acts_at_worst_provider_level():
    board = build_board(sample())
    ics = board.by_id[1].summary
    assert ics.worst == 4 and ics.acts_at == 4 and ics.acts_because == ("QEQM Hospital",)
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


def _with_council(kcc_level=None, area_levels=(4, 1)):
    rows = [r for r in sample() if r.area_id != 4]  # no QEQM: no provider at 3/4 except WHH (3)
    rows = bump(rows, 3, level=2)
    rows.append(area_status(20, "Kent County Council ASC", "council", 1, None, kcc_level, None, kcc_level))
    for i, lvl in enumerate(area_levels):
        rows.append(area_status(21 + i, f"KCC Area {i}", "la-area", 20, "kcc-asc", lvl, lvl))
    return rows


def test_council_areas_never_make_the_board_say_acts_at():
    """Issue 9 item 10: on main the board counted a council's area at OPEL 4 as a provider."""
    board = build_board(_with_council(kcc_level=2))
    ics = board.by_id[1].summary
    assert ics.acts_at is None and "KCC Area 0" not in ics.acts_because
    council = board.by_id[20]
    assert council.is_group and council.summary.acts_at is None
    assert council.summary.suggested == 4 and council.status.level == 2  # own level: the declaration


def test_board_uses_the_domain_rule_and_fails_loudly(monkeypatch):
    """The board has no copy of the rule and swallows nothing: if scoring.aggregate raises, so does it."""
    import pytest

    import scc_tui.domain.groups as groups

    def broken(*args, **kwargs):
        raise RuntimeError("aggregate is broken")

    monkeypatch.setattr(groups, "aggregate", broken)
    with pytest.raises(RuntimeError, match="aggregate is broken"):
        build_board(sample())
