"""The log screen driven through Pilot on a seeded log (entries written by ``append_entry``)."""

from __future__ import annotations

import asyncio
import html
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from textual.app import App

from scc_tui.app.log.commands import LogCommands
from scc_tui.app.log.decision_form import DecisionForm
from scc_tui.app.log.entry_detail import EntryDetail
from scc_tui.app.log.screen import LogScreen, show_log
from scc_tui.store.log import get_entry, head

from tests.helpers.log import T0, USER, Harness, Host, append_at
from tests.pilot import wait_until

ROOT = Path(__file__).resolve().parents[3]


def shown(screen: LogScreen) -> list[int]:
    table = screen.table
    return [int(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


async def started(pilot) -> LogScreen:
    screen = pilot.app.log_screen
    await wait_until(pilot, lambda: screen.loaded and not screen.loading)
    await pilot.pause()  # and drawn
    return screen


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_newest_first_with_every_column(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await started(pilot)
        assert shown(screen) == [9, 8, 7, 6, 5, 4, 3, 2, 1]
        cells = [c.plain.strip() for c in screen.table.get_row("8")]
        assert cells[:6] == ["8", "08:30", "decision", "jsmith (On-call director)", "Swale, Medway", "3 2"]
        assert screen.table.get_row("9")[2].plain.strip() == "escalation-ack"  # full kind ids when wide
        assert "Stand down divert" in cells[6]
        assert screen.table.get_row("6")[6].plain.startswith("corrects #5")
        assert screen.table.get_row("5")[6].plain.startswith("corrected by #6")
        assert "late (event 07:00)" in screen.table.get_row("7")[6].plain
        assert screen.table.get_row("3")[1].plain.strip() == "22 Nov 06:00"  # not today: dated


async def test_resize_relays_out_the_columns(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        assert screen.table.get_row("9")[2].plain.strip() == "esc-ack"
        assert screen.table.get_row("9")[3].plain.strip() == "jsmith"
        await pilot.resize_terminal(160, 40)
        await wait_until(pilot, lambda: screen.table.get_row("9")[2].plain.strip() == "escalation-ack")
        assert screen.table.get_row("9")[3].plain.strip() == "jsmith (On-call director)"
        assert shown(screen) == [9, 8, 7, 6, 5, 4, 3, 2, 1] and screen.current().seq == 9


FILTER_CASES = [
    ("kind:decision", [8, 4]),
    ("area:medway", [8, 6, 5, 2, 1]),
    ("author:bwilliams", [7, 3]),
    ("stranded", [6, 5]),
    ("from:2026-11-21 to:2026-11-22", [3, 2]),
    ("kind:decision area:swale stand", [8]),
    ("area:swale,medway kind:note", [5, 3]),
    ("on:today by:JSMITH", [9, 8, 6, 5, 4]),
]


async def test_filters(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(pilot)
        # typed key by key once
        await pilot.press("slash")
        assert screen.query_one("#log-filter").has_focus
        await type_text(pilot, "kind:decision")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not screen.loading and shown(screen) == [8, 4])
        assert screen.table.has_focus
        for query, expected in FILTER_CASES:
            await pilot.press("slash")
            screen.query_one("#log-filter").value = query
            await pilot.press("enter")
            await wait_until(pilot, lambda: not screen.loading and shown(screen) == expected)
            assert screen.filter.source == query
        # Esc clears the filter and brings every entry back
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.loading and len(shown(screen)) == 9)
        assert screen.filter.empty


async def test_bad_filter_is_refused_inline(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(pilot)
        await pilot.press("slash")
        await type_text(pilot, "kind:bogus")
        await pilot.press("enter")
        await pilot.pause()
        err = screen.query_one("#log-filter-error")
        assert err.has_class("-shown") and "unknown kind" in str(err.render())
        assert screen.filter.empty and len(shown(screen)) == 9


async def test_quick_entry_saves_as_the_user(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(pilot)
        await pilot.press("a")
        assert screen.quick.is_open and screen.quick.kind == "note"
        await pilot.press("tab")  # note -> action
        assert screen.quick.kind == "action"
        await type_text(pilot, "Bed meeting at 10")
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(screen)[:1] == [10])
        e = get_entry(seeded, 10)
        assert (e.author, e.kind, e.text, e.source) == (USER, "action", "Bed meeting at 10", "app")
        assert not screen.quick.is_open
        assert screen.table.cursor_row == 0


async def test_quick_entry_refuses_empty_and_writes_nothing(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(pilot)
        await pilot.press("a")
        await type_text(pilot, "   ")
        await pilot.press("enter")
        err = screen.quick.query_one("#qe-error")
        await wait_until(pilot, lambda: err.has_class("-shown"), what="the quick entry's error")
        assert err.has_class("-shown") and "Nothing to log" in str(err.render())
        assert head(seeded)[0] == 9
        await pilot.press("escape")  # cancels, still nothing written
        assert not screen.quick.is_open and head(seeded)[0] == 9


async def test_quick_entry_refuses_too_long(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(pilot)
        await pilot.press("a")
        screen.quick.input.value = "x" * 10_001
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.quick.query_one("#qe-error").has_class("-shown"))
        assert "limit is 10,000" in str(screen.quick.query_one("#qe-error").render())
        assert head(seeded)[0] == 9


async def test_decision_form_requires_rationale_then_saves(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await pilot.press("D")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionForm)
        await type_text(pilot, "Open 4 more beds")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.errors, what="the form's errors")
        assert set(form.errors) == {"rationale"}
        assert head(seeded)[0] == 9
        # an unknown area comes back from the log core and is shown under Areas
        form.query_one("#df-rationale").load_text("Swale at OPEL 3, handovers rising")
        form.query_one("#df-review_at").value = "+2h"
        form.query_one("#df-areas").value = "Swale, Nowhere"
        form.query_one("#df-owner").value = "Site lead"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "areas" in form.errors)
        assert "Nowhere" in form.errors["areas"] and head(seeded)[0] == 9
        form.query_one("#df-areas").value = "swale"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen and shown(screen)[:1] == [10])
        e = get_entry(seeded, 10)
        assert (e.kind, e.author, e.rationale, e.owner) == ("decision", USER, "Swale at OPEL 3, handovers rising",
                                                           "Site lead")
        assert e.review_at == T0 + timedelta(hours=2)
        assert e.areas_json == '["Swale"]'


async def test_decision_form_late_event_needs_reason(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("D")
        await pilot.pause()
        form = app.screen
        form.query_one("#df-text").load_text("Divert ambulances to Medway")
        form.query_one("#df-rationale").load_text("Swale ED full")
        form.query_one("#df-event_at").value = "-40m"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.errors, what="the form's errors")
        assert set(form.errors) == {"late_reason"} and head(seeded)[0] == 9
        form.query_one("#df-late_reason").value = "On the system call until now"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: head(seeded)[0] == 10)
        e = get_entry(seeded, 10)
        assert e.event_at == T0 - timedelta(minutes=40) and e.late_reason == "On the system call until now"


async def test_decision_form_escape_asks_before_discarding(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await pilot.press("D")
        await pilot.pause()
        await type_text(pilot, "half typed")
        await pilot.press("escape")
        assert isinstance(app.screen, DecisionForm)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and head(seeded)[0] == 9


async def test_control_characters_and_markup_render_inert(seeded, clock):
    # append_entry refuses control characters; a row written by other means (raw SQL, a restored
    # backup) must still never reach the terminal as an escape sequence.
    from scc_tui.store.models import LogEntry

    last = get_entry(seeded, 9)
    with seeded.write() as s:
        if seeded.dialect == "postgresql":  # the owner, deliberately past the insert guard
            s.execute(sa.text("SELECT set_config('scc.log_append', 'on', true)"))
        s.add(LogEntry(seq=10, recorded_at=T0, event_at=T0, author="mallory\x07", kind="note",
                       text="wipe \x1b[2J\x9b31m screen", prev_hash=last.hash, hash="f" * 64, source="sql"))
    append_at(seeded, T0, kind="note", text="[bold]x[/bold] and [red]y[/]", author=USER)
    app = Harness(seeded, clock)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await started(pilot)
        assert shown(screen)[:2] == [11, 10]
        esc = screen.table.get_row("10")[6].plain
        assert "\x1b" not in esc and "\x9b" not in esc
        assert "wipe \\x1b[2J\\x9b31m screen" in esc
        assert screen.table.get_row("10")[3].plain.strip() == "mallory\\x07"
        assert screen.table.get_row("11")[6].plain.startswith("[bold]x[/bold] and [red]y[/]")
        svg = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "\x1b" not in svg and "\x07" not in svg
        assert "[bold]x[/bold] and [red]y[/]" in svg
        assert "wipe \\x1b[2J\\x9b31m screen" in svg
        # the full view too
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryDetail)
        svg = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "\x1b" not in svg and "wipe \\x1b[2J\\x9b31m screen" in svg


async def test_enter_shows_every_field_and_c_corrects(seeded, clock):
    app = Harness(seeded, clock)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await started(pilot)
        await pilot.press("down", "down", "down", "down", "down")  # #4, the decision
        assert screen.current().seq == 4
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, EntryDetail)
        svg = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        e = get_entry(seeded, 4)
        for text in ("#4", "On-call director", "Handover delays rising", "12h breaches in ED",
                     "ED 12h count at 08:00 sitrep", "Swale site lead", "Swale: OPEL 3", e.hash[:16],
                     "Mon 23 Nov 2026 07:00:00 GMT", "REVIEW DUE"):
            assert text in svg, text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        # c on a note: the quick bar in correction mode
        await pilot.press("down", "down")  # #2
        assert screen.current().seq == 2
        await pilot.press("c")
        assert screen.quick.is_open and screen.quick.kind == "correction"
        await type_text(pilot, "Chase Medway discharge lounge opening by 14:00")
        await pilot.press("enter")
        await wait_until(pilot, lambda: 10 in screen.rows and screen.rows[2].corrected_by == (10,))
        e = get_entry(seeded, 10)
        assert (e.kind, e.corrects_seq, e.author) == ("correction", 2, USER)
        assert screen.table.get_row("2")[6].plain.startswith("corrected by #10")
        # c on a decision: the decision form, pre-filled, saving a decision that corrects it
        screen.table.move_cursor(row=shown(screen).index(4))
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionForm) and form.corrects.seq == 4
        assert form.values()["rationale"] == "Handover delays rising; OPEL 3 for two days."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: head(seeded)[0] == 11)
        e = get_entry(seeded, 11)
        assert (e.kind, e.corrects_seq) == ("decision", 4)


async def test_review_due_prompts_and_marks_rows(seeded, clock):
    app = Harness(seeded, clock, review_interval=0.05)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await started(pilot)
        assert screen.due == {4}
        assert screen.table.get_row("4")[6].plain.startswith("review due")
        assert any(m.startswith("Decision #4") and "Open 6 escalation beds" in m for m in app.notified)
        # time passes: decision #8's review (12:00) falls due without a key press
        clock.advance(timedelta(hours=3))
        await wait_until(pilot, lambda: screen.due == {4, 8})
        assert screen.table.get_row("8")[6].plain.startswith("review due")
        assert sum(m.startswith("Decision #8") for m in app.notified) == 1
        # v on #8 logs its review; the mark goes
        screen.table.move_cursor(row=shown(screen).index(8))
        await pilot.press("v")
        # its own kind, linked to the decision (issue 12 item 9: was a prompt-ack found again by its text)
        assert screen.quick.kind == "review" and screen.quick.reviews_seq == 8
        assert screen.quick.input.value == "Review of decision #8: "
        await type_text(pilot, "divert stood down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.due == {4})
        assert not screen.table.get_row("8")[6].plain.startswith("review due")
        e = get_entry(seeded, 10)
        assert (e.kind, e.text) == ("review", "Review of decision #8: divert stood down")
        from scc_tui.store.log import review_links

        assert review_links(seeded) == {10: 8}


async def test_bounded_window_pages_older_at_the_end(seeded, clock):
    for i in range(30):
        append_at(seeded, T0 + timedelta(seconds=i), kind="note", text=f"bulk {i}", author=USER)
    app = Harness(seeded, clock, page_size=10, max_rows=20)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(pilot)
        assert shown(screen) == list(range(39, 29, -1))
        await pilot.press("end")  # to the last row: older entries page in
        await wait_until(pilot, lambda: len(screen.rows) == 20)
        assert shown(screen) == list(range(39, 19, -1))
        await pilot.press("end")
        await wait_until(pilot, lambda: min(screen.rows) == 10)
        assert len(screen.rows) == 20 and not screen.at_head  # newest dropped: bounded
        assert shown(screen) == list(range(29, 9, -1))
        # a new entry while paged back is counted, not inserted
        append_at(seeded, T0 + timedelta(minutes=1), kind="note", text="new while away", author="akhan")
        screen.poll()
        await wait_until(pilot, lambda: screen.pending_new == 1)
        assert 40 not in screen.rows
        await pilot.press("home")  # back to the latest
        await wait_until(pilot, lambda: screen.at_head and shown(screen)[:1] == [40])
        assert len(screen.rows) == 10


async def test_command_palette_provider_and_show_log(seeded, clock):
    class Board(Host):
        COMMANDS = App.COMMANDS | {LogCommands}

    app = Board(seeded, clock, USER)
    async with app.run_test(size=(120, 30)) as pilot:
        provider = LogCommands(app.screen)
        hits = [h.text async for h in provider.discover()]
        assert hits == ["Open log", "Log a note…", "Log a decision…"]
        found = [h async for h in provider.search("decision")]
        assert [h.text for h in found] == ["Log a decision…"]
        board = app.screen
        found[0].command()
        # the form opens over the screen the person is on (no log screen under it) and Esc goes back there
        await wait_until(pilot, lambda: isinstance(app.screen, DecisionForm))
        assert not app.is_screen_installed("log") and app.screen_stack[-2] is board
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is board)
        screen = show_log(app, "add")  # a log screen opened for the first time, with the note bar open
        await wait_until(pilot, lambda: app.screen is screen and screen.loaded)
        await wait_until(pilot, lambda: screen.quick.is_open)
        await pilot.press("escape", "escape")  # close the bar, then back to the board
        await pilot.pause()
        assert app.screen is not screen and app.is_screen_installed("log")
