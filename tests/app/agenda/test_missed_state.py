"""Issue 12: the agenda showed "MISSED" for a 10:30 item at 10:25. A prompt whose stage fell due while
the app was closed is missed only when the item itself (a call's start, a deadline) has passed; the
10:30 KCC update (prompt 10:15) and the 10:30 escalation call (prompt 10:25) at 10:25, 10:30, 10:31."""

from __future__ import annotations

import pytest

from scc_tui.domain.clock import FixedClock
from tests.helpers.agenda import T, AgendaHarness, make_controller
from tests.pilot import screen_text

ITEMS = ("kcc-update-am", "escalation-am")  # both due by 10:30 (deadline; call start)


def states(store, winter, *, opened, at=None) -> dict[str, str]:
    """Agenda row states of the two 10:30 items for a session opened at ``opened``, viewed at ``at``."""
    clock = FixedClock(opened)
    c = make_controller(store, clock, winter)
    c.evaluate()
    if at is not None:
        clock.set(at)
        c.evaluate()
    return {r.item_key: r.state for r in c.view.rows if r.item_key in ITEMS}


@pytest.mark.parametrize(("opened", "expected"), [
    (T(10, 25), {"kcc-update-am": "due", "escalation-am": "due"}),
    (T(10, 30), {"kcc-update-am": "due", "escalation-am": "due"}),
    (T(10, 31), {"kcc-update-am": "missed", "escalation-am": "missed"}),  # both passed while closed
])
def test_a_session_opened_at(store, winter, opened, expected):
    assert states(store, winter, opened=opened) == expected


def test_shown_at_10_25_is_still_due_not_missed_at_10_31(store, winter):
    assert states(store, winter, opened=T(10, 25), at=T(10, 31)) == {"kcc-update-am": "due", "escalation-am": "due"}


async def test_the_agenda_at_10_25_says_due_not_missed(store, winter):
    c = make_controller(store, FixedClock(T(10, 25)), winter)
    app = AgendaHarness(c)
    async with app.run_test(size=(80, 24)) as pilot:
        c.evaluate()
        await pilot.pause()
        lines = {ln.split("10:30 ", 1)[1][:20]: ln for ln in screen_text(app).splitlines()
                 if " 10:30 " in ln and not ln.lstrip().startswith("Call")}  # rows, not the detail
        assert lines["KCC daily SHREWD upd"].rstrip().endswith("DUE · 1 owing")
        assert lines["System escalation ca"].rstrip().endswith("DUE")
        assert not any("MISSED" in ln for ln in lines.values())
