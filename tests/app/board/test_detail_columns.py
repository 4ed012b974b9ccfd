"""Issue 12 item 9: the area detail's parameter table had an acute "Level" column that was always empty
(acute parameters score points; indicator bands give levels). Only columns with something in them."""

from __future__ import annotations

from scc_tui.app.board.detail_model import PartRow
from scc_tui.app.board.detail import param_columns


def _row(points: str, level: str) -> PartRow:
    return PartRow(key="k", title="t", value="1", points=points, level=level, band="b", flag="")


def test_acute_has_points_and_no_level_column():
    assert param_columns([_row("2", ""), _row("0", "")]) == ["Parameter", "Value", "Pts", "Band"]


def test_indicators_have_a_level_and_no_points_column():
    assert param_columns([_row("", "OPEL 2"), _row("", "")]) == ["Parameter", "Value", "Level", "Band"]
