"""The real app on a real (temporary) database: open, filter, detail, assessment, declaration,
and a change written by another process appearing without a key press."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlmodel import func, select

from scc_tui.app.board.view import BoardView
from tests.helpers.board import USER, VALUES, count, highlight, make_app, open_board, status
from tests.pilot import screen_text, wait_until

ROOT = Path(__file__).resolve().parents[3]


async def test_open_filter_and_detail(board_store, board_clock):
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_board(pilot, app)
        text = screen_text(app)
        assert "QEQM Hospital" in text and "OPEL 4" in text and "44/44" in text
        assert "STALE" in text  # Kent & Canterbury: nothing today, and it is past 10:00
        qeqm = status(app, "QEQM Hospital")
        assert (qeqm.level, qeqm.days_at_level) == (4, 3)
        await pilot.press("slash", *"opel 4")
        await wait_until(pilot, lambda: {i.name for i in view.items if not i.is_group} == {"QEQM Hospital"})
        await pilot.press("escape")
        await highlight(pilot, view, "Tunbridge Wells Hospital")
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False))
        text = screen_text(app)
        assert "Computed" in text and "Declared" in text
        assert "on.call" in text and "Two wards closed" in text
        assert "93" in text  # G&A occupancy value shown
        await pilot.press("escape")
        assert isinstance(app.screen.focused, BoardView)


async def test_bad_assessment_is_refused_and_good_one_updates_the_tile(board_store, board_clock):
    from scc_tui.store.models import Assessment

    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Kent & Canterbury Hospital")
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AssessmentScreen")
        form = app.screen
        rows = count(board_store, Assessment)
        # a non-number and a negative: messages inline, save refused, nothing written
        await pilot.press(*"abc", "tab", "minus", "5")
        await wait_until(pilot, lambda: "not a number" in screen_text(app) and "can't be negative" in screen_text(app))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved" in screen_text(app))
        assert count(board_store, Assessment) == rows
        assert type(app.screen).__name__ == "AssessmentScreen"
        # now good values for OPEL 3
        for key, value in VALUES[3].items():
            form.query_one(f"#v-{key}").value = str(value)
        await wait_until(pilot, lambda: "26/44" in screen_text(app))  # live preview
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        await wait_until(pilot, lambda: status(app, "Kent & Canterbury Hospital").level == 3)
        assert count(board_store, Assessment) == rows + 1
        with board_store.read() as session:
            latest = session.exec(select(Assessment).order_by(Assessment.id.desc())).first()
        assert latest.author == USER and latest.level == 3
        kc = status(app, "Kent & Canterbury Hospital")
        assert not kc.stale
        await wait_until(pilot, lambda: "26/44" in screen_text(app))


async def test_declaration_needs_a_reason_when_it_differs(board_store, board_clock):
    from scc_tui.store.models import Declaration

    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Maidstone Hospital")  # computed OPEL 2
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        rows = count(board_store, Declaration)
        await pilot.press("4", "ctrl+s")
        await wait_until(pilot, lambda: "reason is needed" in screen_text(app))
        assert count(board_store, Declaration) == rows
        await pilot.press("tab", *"Ambulance queue of 12", "ctrl+s")
        # OPEL 4 is an invocation of the plan: the app offers to record it; here the user declines.
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert "history of plan tests" in screen_text(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        await wait_until(pilot, lambda: status(app, "Maidstone Hospital").level == 4)
        with board_store.read() as session:
            latest = session.exec(select(Declaration).order_by(Declaration.id.desc())).first()
        assert (latest.level, latest.author, latest.reason) == (4, USER, "Ambulance queue of 12")
        from scc_tui.store.models import PlanTest

        assert count(board_store, PlanTest) == 0


async def test_opel_4_declaration_offers_a_plan_invocation_entry(board_store, board_clock):
    from scc_tui.store.models import Declaration, LogEntry, PlanTest

    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Maidstone Hospital")  # computed OPEL 2
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        await pilot.press("4", "tab", *"Corridor care", "ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: count(board_store, PlanTest) == 1)
        with board_store.read() as session:
            test = session.exec(select(PlanTest)).one()
            entry = session.get(LogEntry, test.log_seq)
        assert (test.kind, test.title, test.author) == ("invocation", "OPEL 4 declared: Maidstone Hospital", USER)
        assert test.held_on.isoformat() == "2026-11-23"
        assert entry.kind == "plan-test" and entry.author == USER
        assert count(board_store, Declaration) >= 1

        # A declaration below 4 does not ask.
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        await highlight(pilot, view, "Tunbridge Wells Hospital")
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        await pilot.press("3", "tab", *"Holding at 3", "ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        await pilot.pause()  # the form's dismiss callback (where OPEL 4 asks) has run
        assert type(app.screen).__name__ == "BoardScreen"
        assert count(board_store, PlanTest) == 1


async def test_change_from_another_process_appears_without_a_key(board_store, board_clock):
    app = make_app(board_store, board_clock, poll_interval=0.05)
    snippet = textwrap.dedent(
        f"""
        from datetime import datetime, UTC
        from scc_tui.domain.clock import FixedClock
        from scc_tui.store.assessments import record_assessment
        from scc_tui.store.db import Store
        at = datetime(2026, 11, 23, 10, 29, tzinfo=UTC)
        store = Store({board_store.url!r}, FixedClock(at))
        record_assessment(store, "Maidstone Hospital", {VALUES[4]!r}, at, "other.process", "cli")
        """
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot, app)
        assert status(app, "Maidstone Hospital").level == 2
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        subprocess.run([sys.executable, "-c", snippet], check=True, env=env, cwd=ROOT, timeout=60)
        await wait_until(pilot, lambda: status(app, "Maidstone Hospital").level == 4, timeout=20)
        assert status(app, "Maidstone Hospital").updated_by == "other.process"


async def test_live_session_logs_its_plan_and_schedule_files_once(board_store, board_clock, monkeypatch):
    from scc_tui.store import config_audit
    from scc_tui.store.models import LogEntry

    audits: list[object] = []  # one per finished audit (the App's worker imports the function when it runs)
    record = config_audit.record_data_files
    monkeypatch.setattr(config_audit, "record_data_files", lambda *a, **kw: audits.append(record(*a, **kw)))

    def config_entries():
        with board_store.read() as session:
            return session.exec(select(LogEntry).where(LogEntry.kind == "config", LogEntry.text.startswith("Data file "))).all()

    for session in range(2):  # a second session with the same files logs nothing new
        app = make_app(board_store, board_clock, poll_interval=0.05)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_board(pilot, app)
            await wait_until(pilot, lambda: len(audits) == session + 1, what="this session's data-file audit")
    entries = config_entries()
    labels = [e.text.split(":")[0] for e in entries]
    assert "Data file schedule kent-medway-winter.toml first loaded" in labels
    assert "Data file plan acute-2023.toml first loaded" in labels
    assert len(labels) == len(set(labels))
    assert all(e.author == USER for e in entries)


async def test_indicator_form_saves_a_subset_labelled_partial(board_store, board_clock):
    """Issue 9 item 7: an indicator plan's form scores any subset, and says the suggestion is partial."""
    from scc_tui.store.models import Area, Assessment

    with board_store.write() as session:
        parent = session.exec(select(Area).where(Area.key == "kent and medway ics")).one()
        session.add(Area(name="KCC DGS", key="kcc dgs", kind="la-area", parent_id=parent.id, method="kcc-asc",
                         plan_area="DGS", sort_order=99, created_at=board_clock.now(), updated_at=board_clock.now()))
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 40)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "KCC DGS")
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AssessmentScreen")
        form = app.screen
        await wait_until(pilot, lambda: "enter at least one value" in screen_text(app))
        assert form.query_one("#save").disabled
        form.query_one("#v-referrals").value = "15"
        await wait_until(pilot, lambda: "Partial" in screen_text(app))
        text = " ".join(screen_text(app).split())  # the preview wraps
        assert "suggested OPEL 3" in text and "Partial: 1 of 5 indicators given" in text
        assert "missing: stp_staffing_pct, health_caseload, social_caseload, keah_capacity" in text
        assert not form.query_one("#save").disabled
        rows = count(board_store, Assessment)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        assert count(board_store, Assessment) == rows + 1
        with board_store.read() as session:
            latest = session.exec(select(Assessment).order_by(Assessment.id.desc())).first()
        assert latest.level == 3 and latest.values_json == '{"referrals": 15.0}'
        await wait_until(pilot, lambda: status(app, "KCC DGS").level == 3)
        await highlight(pilot, view, "KCC DGS")
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False))
        assert "Suggested level is partial: 1 of 5 indicators given" in " ".join(screen_text(app).split())
