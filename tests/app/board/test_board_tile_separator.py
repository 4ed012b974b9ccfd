"""Issue 12: at 160 columns a tile's last line ran ``30 Nov 08:35 nscht.oncallSTALE`` together. The
time and who are cut to leave a space before STALE, whatever the length of the user name."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from scc_tui.app.app import SccApp
from scc_tui.app.board.view import BoardView
from scc_tui.domain.clock import FixedClock
from scc_tui.domain.status import AreaStatus
from tests.helpers.statuses import NOW, area_status
from tests.helpers.seam import FakeSeam
from tests.pilot import screen_text, wait_until

WHEN = NOW - timedelta(days=1, hours=2)  # "22 Nov 07:00": not today, so the date is shown


def statuses() -> list[AreaStatus]:
    rows = [area_status(1, "Staffordshire and Stoke-on-Trent ICS", "ics")]
    for i, n in enumerate(range(6, 24)):  # user names of 6 to 23 characters: one fills the line exactly
        who = ("nscht.oncall" + "x" * 20)[:n]
        rows.append(area_status(10 + i, f"Provider {n:02d}", "provider", 1, "acute-2023", 2, 2, None, 14, 44, WHEN, 1,
                               None, "same", WHEN, True, who))
    return rows


async def test_stale_never_touches_the_user_name():
    app = SccApp(FakeSeam(statuses()), FixedClock(NOW), "tester", refresh=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.pause()
        view = app.screen.query_one(BoardView)
        assert view.wide
        text = screen_text(app)
        assert text.count("STALE") >= 6
        # every STALE stands apart from the name before it (a space), including the names that fill the
        # line exactly or run past it (cut with …)
        assert not re.search(r"[^ ]STALE", text), re.findall(r".{20}STALE", text)
        exact = view._tile_width - 10 - len(" 22 Nov 07:00 ")  # the longest name shown whole
        assert ("nscht.oncall" + "x" * 20)[:exact] + " STALE" in text
