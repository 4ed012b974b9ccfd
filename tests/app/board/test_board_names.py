"""Issue 12 item 4: a group row too long for the terminal ends in "…" (it was cut mid-word, "3 S"); a
name that would be cut is shown by its short name where the areas file gives one ("K&C Hospital", not
"Kent & Canterbury H…")."""

from __future__ import annotations

import pytest

from scc_tui.app.app import SccApp
from scc_tui.domain.clock import FixedClock
from tests.helpers.statuses import NOW, bump, sample
from tests.helpers.seam import FakeSeam
from tests.pilot import screen_text, wait_until


@pytest.fixture
def statuses():
    return bump(sample(), 5, short_name="K&C Hospital")


async def _board(monkeypatch, statuses, size) -> list[str]:
    app = SccApp(FakeSeam(statuses), FixedClock(NOW), "test.user", refresh=False, environ={})
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.pause()
        return screen_text(app).splitlines()


async def test_a_group_row_cut_at_80_columns_ends_with_an_ellipsis(monkeypatch, statuses):
    lines = await _board(monkeypatch, statuses, (80, 24))
    ics = next(line for line in lines if "Kent and Medway ICS" in line)
    assert "because" in ics and ics.rstrip().endswith("…"), ics
    assert len(ics) <= 80


async def test_a_name_that_would_be_cut_shows_its_short_name(monkeypatch, statuses):
    lines = await _board(monkeypatch, statuses, (160, 50))  # tiles, about 30 columns each
    text = "\n".join(lines)
    assert "K&C Hospital" in text
    assert "Kent & Canterbury H…" not in text
    assert "William Harvey Hosp…" in text  # no short name: cut, with its ellipsis


async def test_with_a_scrollbar_the_cut_still_shows_its_ellipsis(monkeypatch):
    """More areas than rows: the scrollbar takes the last column, and lines are laid out again so the
    "…" (and a tile's ⚑ badge) is not hidden under it."""
    lines = await _board(monkeypatch, sample(n_extra=30), (80, 24))
    ics = next(line for line in lines if "Kent and Medway ICS" in line)
    assert ics[:79].rstrip().endswith("…"), ics
