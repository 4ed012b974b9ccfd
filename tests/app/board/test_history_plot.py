"""Issue 15 item 4: the detail screen's history plot (level and score over 30/90 days).

The series builder is pure and tested without Textual; the screen is tested through the Pilot (the
``p`` toggle, the footer and the palette), at 16 colours, and as snapshots at 80×24 and 160×50 with
the time and the data fixed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from rich.color import ColorSystem

from scc_tui.app.board.history_plot import build_series, runs
from scc_tui.domain.clock import LONDON, UTC
from tests.helpers.board import BOARD_NOW, VALUES, make_app
from tests.pilot import screen_strips, screen_text, wait_until

D = date.fromisoformat


# ---------------------------------------------------------------- the pure series builder


def test_runs_break_at_gaps_and_never_draw_a_zero():
    assert runs([None, 1, 2, None, None, 3, None]) == [[(2, 1), (3, 2)], [(6, 3)]]
    assert runs([None, None]) == []
    assert runs([0, None, 0]) == [[(1, 0)], [(3, 0)]]  # a real zero is a point, not a gap


def test_window_is_the_last_days_ending_today_in_london():
    now = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    s = build_series([(D("2026-11-23"), 3)], [(D("2026-11-23"), 26.0, 44.0)], now=now, days=30)
    assert s.span == 30 and s.days[-1] == D("2026-11-23") and s.days[0] == D("2026-10-25")
    assert s.levels[-1] == 3 and s.levels[:-1] == (None,) * 29  # nothing given: gaps, not zeros
    assert s.scores[-1] == 26.0 and s.max_score == 44.0


def test_today_is_the_london_date_across_midnight_in_summer_time():
    # 23:30 UTC on Sat 28 Mar 2026 is 23:30 GMT (still Saturday); on Mon 30 Mar it is 00:30 BST Tuesday.
    assert build_series([], [], now=datetime(2026, 3, 28, 23, 30, tzinfo=UTC), days=1).days == (D("2026-03-28"),)
    assert build_series([], [], now=datetime(2026, 3, 30, 23, 30, tzinfo=UTC), days=1).days == (D("2026-03-31"),)
    # Days are calendar days across the change (29 Mar is 23 hours long), none doubled or skipped.
    s = build_series([], [], now=datetime(2026, 3, 31, 9, 0, tzinfo=LONDON), days=4)
    assert s.days == (D("2026-03-28"), D("2026-03-29"), D("2026-03-30"), D("2026-03-31"))


def test_thirty_of_ninety_days_are_the_latest_thirty():
    today = D("2026-11-23")
    levels = [(today - timedelta(days=89 - n), 1 + n % 4) for n in range(90)]
    scores = [(d, float(lvl * 10), 44.0 if d > today - timedelta(days=30) else 52.0) for d, lvl in levels]
    s90 = build_series(levels, scores, now=BOARD_NOW, days=90)
    s30 = build_series(levels, scores, now=BOARD_NOW, days=30)
    assert s90.levels == tuple(lvl for _, lvl in levels)
    assert s30.levels == s90.levels[-30:] and s30.scores == s90.scores[-30:]
    assert (s90.max_score, s30.max_score) == (52.0, 44.0)  # the right axis fits the days shown


def test_days_without_a_score_are_gaps_and_the_level_carries_on():
    today = D("2026-11-23")
    levels = [(today - timedelta(days=2), 2), (today - timedelta(days=1), 3), (today, 3)]
    scores = [(today - timedelta(days=2), 13.0, 44.0), (today - timedelta(days=1), None, None), (today, 26.0, 44.0)]
    s = build_series(levels, scores, now=BOARD_NOW, days=4)
    assert s.levels == (None, 2, 3, 3) and s.scores == (None, 13.0, None, 26.0)
    assert s.level_runs() == [[(2, 2), (3, 3), (4, 3)]]
    assert s.score_runs() == [[(2, 13.0)], [(4, 26.0)]]


def test_empty_and_declared_only():
    assert build_series([], [], now=BOARD_NOW, days=30).empty
    s = build_series([(D("2026-11-23"), 3)], [(D("2026-11-23"), None, None)], now=BOARD_NOW, days=30)
    assert not s.empty and s.has_level and not s.has_score and s.max_score is None


def test_ticks_label_first_middle_and_today():
    s = build_series([], [], now=BOARD_NOW, days=30)
    assert s.ticks(3) == [(1, "25 Oct"), (15, "8 Nov"), (30, "23 Nov")]
    assert [x for x, _ in build_series([], [], now=BOARD_NOW, days=90).ticks(5)] == [1, 23, 45, 68, 90]
    assert build_series([], [], now=BOARD_NOW, days=1).ticks(3) == [(1, "23 Nov")]
    assert build_series([(D("2026-11-23"), 1)], [(D("2026-11-23"), 44.0, 44.0)], now=BOARD_NOW,
                        days=2).score_ticks() == [0, 22, 44]


def test_a_window_of_no_days_is_refused():
    with pytest.raises(ValueError):
        build_series([], [], now=BOARD_NOW, days=0)


# ---------------------------------------------------------------- on screen

#: William Harvey Hospital's fixed history: daily assessments 70–41 days ago, nothing new for three weeks
#: (the last one stays in force), daily again 20–2 days ago; the conftest adds yesterday's and today's.
PATTERN = [1, 2, 2, 3, 3, 4, 3, 2]


def _seed_history(store) -> None:
    from scc_tui.store.assessments import record_assessment

    days = [*range(70, 40, -1), *range(20, 1, -1)]
    for i, back in enumerate(days):
        level = PATTERN[i % len(PATTERN)]
        record_assessment(store, "William Harvey Hospital", VALUES[level], BOARD_NOW - timedelta(days=back, hours=1),
                          "j.smith", "tui")


async def _open_detail(pilot, name="William Harvey Hospital"):
    app = pilot.app
    await wait_until(pilot, lambda: app.loaded)
    app.open_detail(app.find_area(name).area_id)
    await wait_until(pilot, lambda: getattr(app.screen, "loaded", False))
    await pilot.pause()


async def _open_and_show_plot(pilot):
    await _open_detail(pilot)
    pilot.app.screen.query_one("#detail-history").scroll_visible(animate=False, top=True)
    await pilot.pause()


async def test_p_toggles_30_and_90_days(board_store, board_clock):
    _seed_history(board_store)
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await _open_detail(pilot)
        text = screen_text(app)
        assert "Last 30 days" in text and "p 30/90 days" in text  # the footer shows the key
        assert "25 Oct" in text and "23 Nov" in text and "26 Aug" not in text
        assert "o OPEL level (top)" in text and "x score (below, right axis)" in text
        # Two bands: every row with a level marker is above every row with a score marker, so the score
        # (which rises with the level) never draws over the level.
        plot = app.screen.query_one("#detail-history-plot").region
        rows = text.splitlines()[plot.y + 2:plot.bottom - 2]
        o_rows = [i for i, r in enumerate(rows) if "o" in r[4:-6]]
        x_rows = [i for i, r in enumerate(rows) if "x" in r[4:-6]]
        assert o_rows and x_rows and max(o_rows) < min(x_rows), "\n".join(rows)
        assert len(o_rows) == 4  # one row per level: OPEL 1 to 4 all reached in the 30 days
        await pilot.press("p")
        await pilot.pause()
        text = screen_text(app)
        assert "Last 90 days" in text and "26 Aug" in text and "23 Nov" in text
        await pilot.press("p")
        await pilot.pause()
        assert "Last 30 days" in screen_text(app)


async def test_a_toggle_after_midnight_keeps_the_days_that_were_read(board_store, board_clock):
    """The plot's window ends on the day the detail was read; the clock passing midnight before a toggle
    does not shift it onto a day the read did not cover (which would show as a gap)."""
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await _open_detail(pilot, "QEQM Hospital")
        board_clock.advance(timedelta(days=1))  # no store change: the detail is not read again
        await pilot.press("p")
        await pilot.pause()
        series = app.screen.query_one("#detail-history-plot").series
        assert series.days[-1] == D("2026-11-23") and series.levels[-1] == 4


async def test_the_palette_offers_the_other_span(board_store, board_clock):
    from textual.command import CommandList

    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_detail(pilot, "QEQM Hospital")
        detail = app.screen
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: bool(app.screen.query(CommandList)))
        await pilot.press(*"history")
        await pilot.pause(0.3)
        options = app.screen.query_one(CommandList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("History plot: last 90 days" in s for s in shown), shown
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is detail)
        await pilot.pause()
        assert detail.span == 90 and "Last 90 days" in screen_text(app)


async def test_an_area_with_no_history_says_so_and_draws_no_plot(board_store, board_clock):
    from scc_tui.store.models import Area

    with board_store.write() as s:
        s.add(Area(name="New Hospital", key="new hospital", kind="provider", method="acute-2023",
                   created_at=BOARD_NOW, updated_at=BOARD_NOW))
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_detail(pilot, "New Hospital")
        text = screen_text(app)
        assert "no level or score in these days" in text
        assert not app.screen.query_one("#detail-history-plot").display


@pytest.mark.parametrize("theme, expected", [("scc-dark", {"o": {14}, "x": {12}}), ("scc-light", {"o": {6}, "x": {12}})])
async def test_sixteen_colours_level_and_score_on_their_own_palette_colours(board_store, board_clock, theme, expected):
    from scc_tui.app.levelstyle import ANSI16_NUMBER

    _seed_history(board_store)
    app = make_app(board_store, board_clock, refresh=False, environ={"TERM": "xterm"})
    app.theme = theme
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_and_show_plot(pilot)
        assert app.sixteen_colours
        plot = app.screen.query_one("#detail-history-plot")
        region = plot.region
        found: dict[str, set] = {}
        for strip in screen_strips(app)[region.y + 2:region.bottom - 2]:  # inside the box
            for seg in strip:
                for marker in "ox":
                    if marker in seg.text and seg.style is not None and seg.style.color is not None:
                        found.setdefault(marker, set()).add(seg.style.color.downgrade(ColorSystem.STANDARD).number)
    assert found == expected  # cyan level, blue score: each its own palette colour
    assert not (found["o"] | found["x"]) & set(ANSI16_NUMBER.values())  # never a level's colour


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


@pytest.mark.parametrize("size", SIZES)
def test_history_plot_snapshot(board_store, board_clock, snap_compare, size):
    _seed_history(board_store)
    app = make_app(board_store, board_clock, refresh=False)
    assert snap_compare(app, terminal_size=size, run_before=_open_and_show_plot)


def test_history_plot_90_days_snapshot(board_store, board_clock, snap_compare):
    _seed_history(board_store)
    app = make_app(board_store, board_clock, refresh=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_and_show_plot, press=["p"])
