"""One rule, one place (issue 11 item 3): the board's "acts at OPEL 4 because …" is
``scoring.aggregate`` through ``domain.groups``; the app has no copy of it, and when the rule raises the
board says so instead of guessing."""

from __future__ import annotations

import pytest

from scc_tui.app.app import SccApp
from scc_tui.app.board.view import BoardView
from scc_tui.domain import groups
from scc_tui.domain.clock import FixedClock
from scc_tui.domain.scoring import ScoringError
from tests.helpers.statuses import NOW, sample
from tests.helpers.seam import FakeSeam
from tests.pilot import screen_text, wait_until


@pytest.fixture
def source():
    return FakeSeam(sample())


async def test_acts_at_comes_from_the_domain_rule(source, monkeypatch):
    """The words on the group row are the domain's: change what ``aggregate`` says and the board follows."""
    calls = []
    real = groups.aggregate

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(groups, "aggregate", spy)
    app = SccApp(source, FixedClock(NOW), "tester", refresh=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.pause()
        text = screen_text(app)
        assert "acts at  OPEL 4  because QEQM Hospital" in text
        assert calls  # the board asked the rule


async def test_a_rule_that_raises_is_shown_on_the_board_never_guessed(source, monkeypatch):
    def broken(*args, **kwargs):
        raise ScoringError("aggregate is broken")

    monkeypatch.setattr(groups, "aggregate", broken)
    app = SccApp(source, FixedClock(NOW), "tester", refresh=False)
    async with app.run_test(size=(160, 50)) as pilot:
        view = app.screen.query_one(BoardView)
        await wait_until(pilot, lambda: "aggregate is broken" in view.message)
        await pilot.pause()
        text = screen_text(app)
        assert "Could not load the board: ScoringError: aggregate is broken" in text
        assert "acts at" not in text and "worst OPEL" not in text
        assert not app.loaded
