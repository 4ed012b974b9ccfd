"""Pilot test on a fixed clock: a system goes to OPEL 4; on Day 2 the board badge, the escalations
panel (`e`) and the 10:30 call prompt say "include STP"; acknowledging from the panel logs it.
Snapshots of the panel at 80x24 and 160x50."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from scc_tui.domain.clock import UTC, FixedClock
from scc_tui.store.models import LogEntry
from tests.helpers.board import make_app, seed
from tests.pilot import screen_text, wait_until

MON_0910 = datetime(2026, 11, 23, 9, 10, tzinfo=UTC)  # GMT: London = UTC
TUE_1025 = datetime(2026, 11, 24, 10, 25, tzinfo=UTC)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


@pytest.fixture
def day2_store(tmp_path):
    """The board's seeded areas; East Kent (a system) declared OPEL 4 on Monday 09:10; now Tuesday 10:25."""
    from scc_tui.store.assessments import record_declaration
    from scc_tui.store.db import Store

    clock = FixedClock(MON_0910)
    store = Store(f"sqlite:///{tmp_path / 'pilot.db'}", clock)
    seed(store)
    record_declaration(store, "East Kent", 4, MON_0910, "scc.lead", "system at OPEL 4", "tui")
    clock.set(TUE_1025)
    yield store, clock
    store.dispose()


async def _loaded(pilot):
    await wait_until(pilot, lambda: pilot.app.loaded)
    await pilot.pause()


async def test_day2_include_stp_on_badge_panel_and_prompt_and_ack_is_logged(day2_store):
    store, clock = day2_store
    app = make_app(store, clock, refresh=True)
    async with app.run_test(size=(160, 50)) as pilot:
        await _loaded(pilot)
        ek = app.find_area("East Kent")
        # Three to acknowledge: Day 2 (include STP) and the Urgent Care Delivery Board reports at 3 and 4.
        assert ek.badge == "⚑3" and ek.escalation_line == "include STP"
        assert "⚑3 include STP" in screen_text(app)  # the system's line on the board
        # The 10:30 system escalation call's prompt (due at 10:25) names the inclusion.
        row = next(r for r in app.prompts.view.rows if r.item_key == "escalation-am")
        assert any("East Kent: include STP (now Kent and Medway ICB) – Day 2 in OPEL 4" in d for d in row.detail)
        # The panel.
        await pilot.press("e")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "EscalationsScreen" and app.screen.items)
        await pilot.pause()
        text = screen_text(app)
        assert "East Kent: Day 2 in OPEL 4 – include STP (now Kent and Medway ICB)" in text
        assert "East Kent: OPEL 4 since Mon 09:10, Day 2" in text
        # Acknowledge the highlighted (first: needs acknowledgement) firing: A, then y.
        first = app.screen.items[0]
        assert first.firing.rule_key == "opel4-day2-include-stp"
        await pilot.press("A")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: any("acknowledged by test.user" in line
                                            for line in screen_text(app).splitlines()))
        with store.read() as s:
            acks = s.execute(sa.select(LogEntry).where(LogEntry.kind == "escalation-ack")).scalars().all()
        assert len(acks) == 1 and acks[0].author == "test.user"
        assert "Day 2 in OPEL 4 – include STP" in acks[0].text


async def test_acknowledge_needs_confirmation(day2_store):
    store, clock = day2_store
    app = make_app(store, clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "EscalationsScreen" and app.screen.items)
        await pilot.press("A")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("n")
        await pilot.pause()
        with store.read() as s:
            assert s.execute(sa.select(sa.func.count()).select_from(LogEntry)
                             .where(LogEntry.kind == "escalation-ack")).scalar() == 0


@pytest.mark.parametrize("size", SIZES)
def test_escalations_panel_snapshot(day2_store, snap_compare, size):
    store, clock = day2_store
    app = make_app(store, clock, refresh=False)

    async def run_before(pilot):
        await _loaded(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EscalationsScreen" and pilot.app.screen.items)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_board_day2_snapshot(day2_store, snap_compare, size):
    store, clock = day2_store
    app = make_app(store, clock, refresh=False)
    assert snap_compare(app, terminal_size=size, run_before=_loaded)


async def test_palette_opens_the_panel(day2_store):
    from scc_tui.app.screens.escalations_screen import EscalationCommands

    store, clock = day2_store
    app = make_app(store, clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        provider = EscalationCommands(app.screen)
        hits = [h async for h in provider.search("escal")]
        assert [h.text for h in hits] == ["Escalations"]
        hits[0].command()
        await wait_until(pilot, lambda: type(app.screen).__name__ == "EscalationsScreen")


async def test_declare_shows_the_plans_own_descriptors(tmp_path):
    from scc_tui.store.areas import import_areas
    from scc_tui.store.db import Store
    from tests.helpers.escalation import DEMO_AREAS

    clock = FixedClock(TUE_1025)
    store = Store(f"sqlite:///{tmp_path / 'd.db'}", clock)
    import_areas(store, DEMO_AREAS, author="t", log=False)
    app = make_app(store, clock, refresh=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await _loaded(pilot)
        app.open_declaration(app.find_area("KCC Swale").area_id)
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        await pilot.press("3")
        await pilot.pause()
        text = screen_text(app)
        assert "KCC Escalation Levels (OPEL 3)" in text and "County-wide, KCC Short-term Pathway staffing" in text
        await pilot.press("4")
        await pilot.pause()
        assert "residential and nursing home market across Kent and Medway is exhausted" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # An acute trust: no KCC descriptors (the picker's clinical-risk words only).
        app.open_declaration(app.find_area("QEQM Hospital").area_id)
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        await pilot.press("3")
        await pilot.pause()
        assert "KCC Escalation Levels" not in screen_text(app)
    store.dispose()


async def test_the_panel_shows_the_boards_firings_before_its_own_read_returns(day2_store):
    """`e` shows at once what the board's last full read found (the same rules, for the badges), in the
    order the panel's own read gives; that read (held back here) then replaces it (issue 11 item 9)."""
    import threading

    from scc_tui.app.db_seam import DbSeam

    store, clock = day2_store
    release = threading.Event()
    reads: list[list[str]] = []

    class HeldSeam(DbSeam):
        def active_escalations(self, at=None):
            items, progress = super().active_escalations(at)
            if threading.current_thread() is not threading.main_thread() and held:
                release.wait(20)
            reads.append([i.firing.key for i in items])
            return items, progress

    held = False
    app = make_app(HeldSeam(store), clock, refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        held = True
        await pilot.press("e")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "EscalationsScreen" and app.screen.items)
        before = [i.firing.key for i in app.screen.items]
        assert "East Kent: Day 2 in OPEL 4 – include STP" in screen_text(app)
        assert len(reads) == 1  # only the board's read so far: the panel's own is held
        release.set()
        await wait_until(pilot, lambda: len(reads) == 2)
        await pilot.pause()
        assert [i.firing.key for i in app.screen.items] == before  # the same firings, the same order
        assert app.screen.query_one("OptionList").highlighted == 0
