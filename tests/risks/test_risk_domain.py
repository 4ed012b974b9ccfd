"""Issue 15 item 1: the risk register's scores and rules (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from scc_tui.domain import risks as r
from scc_tui.domain.risks import RiskError, RiskVersion, Score


def _v(rid=1, version=1, residual=(3, 3), inherent=(5, 5), status="open", at=None) -> RiskVersion:
    return RiskVersion(rid, version, "t", "c", "e", "f", Score(*inherent), Score(*residual), None, None, status, "",
                       recorded_at=at or datetime(2026, 11, 22, 10, tzinfo=UTC))


def test_score_is_likelihood_times_consequence_written_as_the_seed_writes_it():
    assert Score(5, 5).value == 25 and Score(5, 5).text == "25 (5×5)"
    assert Score(5, 3).text == "15 (5×3)"
    assert Score(1, 1).value == 1


@pytest.mark.parametrize("lik,con", [(0, 3), (6, 1), (3, 0), (3, 6), (2.5, 2), ("3", 3), (True, 2)])
def test_score_outside_one_to_five_is_refused(lik, con):
    with pytest.raises(RiskError):
        Score(lik, con)


def test_parse_score_reads_the_seed_text_and_checks_the_product():
    assert r.parse_score("20 (4x5)") == Score(4, 5)
    assert r.parse_score("9 (3×3)") == Score(3, 3)
    with pytest.raises(RiskError, match="4×5 is 20, not 21"):
        r.parse_score("21 (4x5)")
    with pytest.raises(RiskError):
        r.parse_score("twenty")


def test_ranked_by_residual_then_inherent_closed_left_out():
    a, b, c = _v(1, residual=(2, 2)), _v(2, residual=(4, 5)), _v(3, residual=(4, 5), inherent=(4, 5))
    closed = _v(4, residual=(5, 5), status="closed")
    assert [v.risk_id for v in r.ranked([a, b, c, closed])] == [2, 3, 1]


def test_due_for_review_daily_by_london_date():
    yesterday = _v(1, at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))
    today = _v(2, at=datetime(2026, 11, 23, 0, 30, tzinfo=UTC))
    at = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    assert [v.risk_id for v in r.due_for_review([yesterday, today], at)] == [1]
    # London summer time: 23:30 UTC on 1 July is 00:30 on 2 July in London, so "today" there
    summer = _v(3, at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    assert r.due_for_review([summer], datetime(2026, 7, 2, 9, tzinfo=UTC)) == []


def test_heat_map_counts_open_risks_by_likelihood_and_consequence():
    grid = r.heat_map([_v(1, residual=(5, 3)), _v(2, residual=(5, 3)), _v(3, residual=(1, 2)),
                       _v(4, residual=(5, 3), status="closed")])
    assert grid[4][2] == 2 and grid[0][1] == 1 and sum(map(sum, grid)) == 3


def test_digest_changes_with_any_recorded_field():
    v = _v()
    d = r.version_digest(v)
    from dataclasses import replace

    assert r.version_digest(replace(v, note="x")) != d
    assert r.version_digest(replace(v, residual=Score(3, 4))) != d
    assert r.version_digest(replace(v, areas=("East Kent",))) != d
    assert r.version_digest(replace(v, target_date=date(2025, 3, 31))) != d
