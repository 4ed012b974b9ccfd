"""The prompt controller on a fixed clock: fired at the right moment, once per session, one record,
one acknowledgement; missed ones reported once after a restart; the watcher watched."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from scc_tui.app.agenda.panel import AgendaPanel
from scc_tui.app.prompting import PromptController
from scc_tui.domain.clock import UTC, FixedClock, SimulatedClock
from scc_tui.domain.prompts import PromptKey
from scc_tui.store.models import LogEntry, PromptRecord
from tests.helpers.agenda import T, AgendaHarness, make_controller
from tests.pilot import screen_text, wait_until

ESC_AM = T(10, 30)


def _records(store, item_key=None):
    from scc_tui.store.prompts import records_between

    rs = records_between(store, T(0), T(24))
    return [r for r in rs if item_key is None or r.item_key == item_key]


def _log(store) -> list[LogEntry]:
    with store.read() as s:
        return list(s.exec(sa.select(LogEntry).order_by(LogEntry.seq)).scalars())


async def test_escalation_call_prompts_two_sessions_one_record_one_ack(store, clock, winter):
    clock.set(T(10, 20))
    a = make_controller(store, clock, winter, "alice")
    b = make_controller(store, clock, winter, "bob")
    app_a, app_b = AgendaHarness(a), AgendaHarness(b)
    async with app_a.run_test(size=(80, 24)) as pa, app_b.run_test(size=(80, 24)) as pb:
        # Startup at 10:20: earlier items are reported as missed; the 10:30 KCC update, whose 10:15
        # prompt fell due while the app was closed, is still ahead: due, not missed (issue 12).
        for c in (a, b):
            new, missed = c.evaluate()
            assert [(p.item_key, p.state) for p in new] == [("kcc-update-am", "due")]
            assert "kcc-update-am" not in {p.item_key for p in missed}
        assert len(_records(store, "kcc-update-am")) == 1  # one record for both sessions
        bells = (app_a.bells, app_b.bells)

        # 10:24:59: not yet.
        clock.set(T(10, 24, 59))
        assert a.evaluate()[0] == () and b.evaluate()[0] == ()

        # 10:25: the 5-minute prompt of the 10:30 system escalation call, in both sessions.
        clock.set(T(10, 25))
        new_a, _ = a.evaluate()
        new_b, _ = b.evaluate()
        assert [p.key for p in new_a] == [PromptKey("escalation-am", ESC_AM, "before")]
        assert [p.key for p in new_b] == [PromptKey("escalation-am", ESC_AM, "before")]
        assert (app_a.bells, app_b.bells) == (bells[0] + 1, bells[1] + 1)
        title, message, _ = app_a.notes[-1]
        assert title == "Coming up 10:30"
        assert "System escalation calls at 10:30 (in 5 min)" in message
        assert "QEQM Hospital OPEL 4 day 3" in message and "William Harvey Hospital OPEL 3 day 1" in message
        assert "Escalation inclusions: none" in message  # no areas in this store: nothing fires
        # evaluating again (tick, job, the other session) does not notify again
        assert a.evaluate()[0] == () and b.evaluate()[0] == ()
        assert (app_a.bells, app_b.bells) == (bells[0] + 1, bells[1] + 1)
        assert len(_records(store, "escalation-am")) == 1

        # 10:30: the start prompt.
        clock.set(T(10, 30))
        new_a, _ = a.evaluate()
        new_b, _ = b.evaluate()
        assert [p.key for p in new_a] == [PromptKey("escalation-am", ESC_AM, "start")]
        assert [p.key for p in new_b] == [PromptKey("escalation-am", ESC_AM, "start")]
        recs = _records(store, "escalation-am")
        assert sorted(r.stage for r in recs) == ["before", "start"]  # one record per stage, two sessions

        # The agenda of session A selects the due call; Enter asks, naming it, and "y" acknowledges it.
        await pa.pause()
        panel = app_a.query_one(AgendaPanel)
        assert panel.selected is not None and panel.selected.item_key == "escalation-am"
        assert panel.selected.state == "due"
        assert "● 10:30 System escalation calls" in screen_text(app_a)
        log_before = len(_log(store))
        await pa.press("enter")
        await pa.pause()
        assert "System escalation calls" in str(app_a.screen.query_one("#question").render())
        await pa.press("y")
        await pa.pause()
        entries = _log(store)[log_before:]
        assert len(entries) == 1
        assert entries[0].kind == "prompt-ack" and entries[0].author == "alice"
        assert "System escalation calls" in entries[0].text
        # both stages acknowledged at once (the pending "before" too)
        assert all(r.acknowledged_by == "alice" for r in _records(store, "escalation-am"))

        # Session B sees it acknowledged; acknowledging again there writes nothing.
        b.evaluate()
        await pb.pause()
        row_b = app_b.query_one(AgendaPanel).view.rows
        esc = next(r for r in row_b if r.item_key == "escalation-am")
        assert esc.state == "acknowledged" and esc.acknowledged_by == "alice"
        ok, msg = b.acknowledge(esc)
        assert not ok and "alice" in msg
        assert len(_log(store)) == log_before + 1
        assert "✓ 10:30 System escalation calls" in screen_text(app_b)


async def test_restart_reports_missed_once(store, clock, winter):
    clock.set(T(11, 0))  # nothing open since 08:00
    first = make_controller(store, clock, winter, "alice")
    app = AgendaHarness(first)
    async with app.run_test() as pilot:
        new, missed = first.evaluate()
        assert new == ()
        keys = {(p.item_key, p.stage) for p in missed}
        assert {("secamb-call", "start"), ("opel-submission", "deadline"), ("escalation-am", "start")} <= keys
        assert app.bells == 0  # no bell storm
        missed_notes = [n for n in app.notes if "missed" in n[0]]
        assert len(missed_notes) == 1 and missed_notes[0][0].startswith(f"{len(missed)} prompts missed")
        assert all(r.missed for r in _records(store))
        await pilot.pause()
        assert "✗ 10:30 System escalation calls" in screen_text(app)
        # more evaluations in the same session report nothing new
        assert first.evaluate() == ((), ())
    n_records = len(_records(store))

    clock.set(T(11, 1))  # a second startup (another session, or the same user after a restart)
    second = make_controller(store, clock, winter, "alice")
    app2 = AgendaHarness(second)
    async with app2.run_test() as pilot:
        assert second.evaluate() == ((), ())
        assert app2.notes == [] and app2.bells == 0
        await pilot.pause()
        rows = {r.item_key: r for r in second.view.rows}
        assert rows["escalation-am"].state == "missed"  # still marked missed in the agenda
        assert rows["secamb-call"].state == "missed"
    assert len(_records(store)) == n_records


async def test_watch_the_watcher_warns_when_a_due_prompt_is_not_shown(store, clock, winter):
    clock.set(T(10, 20))
    ticks = [0.0]
    c = make_controller(store, clock, winter, monotonic=lambda: ticks[0])
    app = AgendaHarness(c)
    async with app.run_test() as pilot:
        await c._on_tick()  # the heartbeat: evaluates and records the tick
        assert c.health().ok, c.health().warnings
        # The scheduler and the tick stall: 10:25 passes with nothing shown.
        clock.set(T(10, 28))
        assert c.health().ok  # 3 min late is tolerated
        clock.set(T(10, 28, 1))
        h = c.health()
        assert [p.key for p in h.overdue] == [PromptKey("escalation-am", ESC_AM, "before")]
        assert "1 prompt not shown, up to 3 min late: 10:25 System escalation calls" in h.warnings[0]
        app.query_one(AgendaPanel).refresh()
        await pilot.pause()
        assert "⚠ 1 prompt not shown" in screen_text(app)
        # The heartbeat itself is watched too: no tick for over 2 minutes (real time).
        ticks[0] = 121.0
        assert any("heartbeat stopped" in w for w in c.health().warnings)
        # A tick shows the prompt (late) and clears the warnings.
        await c._on_tick()
        assert c.health().ok
        assert c.late_shown and c.late_shown[0][0] == PromptKey("escalation-am", ESC_AM, "before")


async def test_snooze_hides_until_then_prompts_again(store, clock, winter):
    clock.set(T(10, 25))
    c = make_controller(store, clock, winter)
    app = AgendaHarness(c)
    async with app.run_test() as pilot:
        c.evaluate()
        clock.set(T(10, 26))
        c.evaluate()
        row = next(r for r in c.view.rows if r.item_key == "escalation-am")
        assert row.state == "due"
        ok, _ = c.snooze(row, 10)
        assert ok
        row = next(r for r in c.view.rows if r.item_key == "escalation-am")
        assert row.state == "snoozed" and row.until == T(10, 36)
        clock.set(T(10, 30))  # the start stage is a new prompt: snoozing one stage does not hide it
        new, _ = c.evaluate()
        assert [p.stage for p in new] == ["start"]


async def test_snooze_key_opens_choice(store, clock, winter):
    clock.set(T(10, 25))
    c = make_controller(store, clock, winter)
    app = AgendaHarness(c)
    async with app.run_test() as pilot:
        c.evaluate()
        clock.set(T(10, 26))
        c.evaluate()
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("2")  # 10 minutes (written in a worker)
        await wait_until(pilot, lambda: next(r for r in _records(store, "escalation-am")).snoozed_until is not None,
                         what="the snooze written")
        rec = next(r for r in _records(store, "escalation-am"))
        assert rec.snoozed_until == T(10, 36)


async def test_spring_forward_day_prompts_at_london_wall_time(tmp_path, winter):
    # Tuesday 30 March 2027 (BST; Monday 29th is Easter Monday, no calls): 10:30 London is 09:30 UTC; the 5-minute prompt at 09:25 UTC.
    from scc_tui.store.db import Store

    clock = FixedClock(datetime(2027, 3, 30, 9, 0, tzinfo=UTC))
    store = Store(f"sqlite:///{tmp_path / 'bst.db'}", clock)
    try:
        c = make_controller(store, clock, winter)
        c.evaluate()
        clock.set(datetime(2027, 3, 30, 9, 24, 59, tzinfo=UTC))
        assert ("escalation-am", "before") not in [(p.item_key, p.stage) for p in c.evaluate()[0]]
        clock.set(datetime(2027, 3, 30, 9, 25, tzinfo=UTC))
        new, _ = c.evaluate()
        assert [(p.item_key, p.stage) for p in new] == [("escalation-am", "before")]
        assert new[0].occurrence_at == datetime(2027, 3, 30, 9, 30, tzinfo=UTC)
    finally:
        store.dispose()


async def test_apscheduler_job_fires_the_prompt_on_a_simulated_clock(tmp_path, winter):
    """The real AsyncIOScheduler on Textual's loop: one DateTrigger per prompt instant, translated
    to real time by the exercise clock's speed (1 real second = 12 simulated seconds)."""
    from scc_tui.store.db import Store

    # 10:25 is 5 s away in real time: room for a slow start on a loaded machine, where the first
    # evaluation (not the job) would otherwise already be past the prompt instant.
    sim = SimulatedClock(T(10, 24, 0), speed=12.0)
    store = Store(f"sqlite:///{tmp_path / 'sim.db'}", sim)
    c = make_controller(store, sim, winter, tick_seconds=3600)  # the tick cannot be what fires it
    app = AgendaHarness(c, start=True)
    try:
        async with app.run_test() as pilot:
            # The 10:30 KCC update (prompt 10:15) is due at start-up and rings once: wait for that bell
            # (it can ring after the first evaluation is counted), so the count below is the job's alone.
            await wait_until(pilot, lambda: c.evaluations >= 1 and app.bells >= 1)
            bells = app.bells
            assert bells == 1
            job = c.scheduler.get_job(next(j for j in c._jobs if j.startswith("escalation-am|") and j.endswith("|before")))
            assert job.misfire_grace_time == 3600 and job.coalesce is True
            assert sim.now() < T(10, 25), "start-up took longer than the margin: the job cannot be what fires"
            await wait_until(pilot, lambda: PromptKey("escalation-am", ESC_AM, "before") in c.shown, timeout=30)
            assert c.job_runs >= 1
            assert PromptKey("escalation-am", ESC_AM, "before") not in c.reported_missed
            assert app.bells == bells + 1
            assert c.health().ok
    finally:
        store.dispose()
    assert not c.running  # shut down with the App


def test_controller_signature():
    import inspect

    params = list(inspect.signature(PromptController).parameters)
    assert params[:4] == ["seam", "clock", "schedule", "user"]
    assert inspect.signature(PromptController).parameters["lead_minutes"].default == 5


def test_prompt_record_is_the_memory_not_the_scheduler(store, clock, winter):
    """No App at all: evaluate() alone records; the unique key holds across controllers."""
    clock.set(T(10, 25))
    for user in ("a", "b", "c"):
        make_controller(store, clock, winter, user).evaluate()
    with store.read() as s:
        n = s.execute(
            sa.select(sa.func.count()).select_from(PromptRecord).where(
                PromptRecord.item_key == "escalation-am", PromptRecord.stage == "before")
        ).scalar()
    assert n == 1


async def test_unknown_served_ics_is_shown_and_calls_still_prompt(store, clock, winter):
    """Issue 9 item 11: a schedule serving an ICS that is not in the database is a clear error in
    the agenda header; deadlines are listed without owing areas (never "nobody owes"), calls prompt."""
    from tests.helpers.agenda import STATUSES

    clock.set(T(8, 0))
    no_ics = [s for s in STATUSES if s.kind != "ics"]
    c = make_controller(store, clock, winter, statuses=no_ics)
    app = AgendaHarness(c)
    async with app.run_test() as pilot:
        c.evaluate()
        clock.set(T(10, 26))
        new, _ = c.evaluate()
        assert ("escalation-am", "before") in {(p.item_key, p.stage) for p in new}  # calls still prompt
        h = c.health()
        assert not h.ok and "serves 'Kent and Medway ICS', which is not an area here" in (h.error or "")
        rows = {r.item_key: r for r in c.view.rows}
        assert rows["opel-submission"].owing is None and rows["opel-submission"].state != "done"
        app.query_one(AgendaPanel).refresh()
        await pilot.pause()
        assert "Kent and Medway ICS" in " ".join(screen_text(app).split())
    ok = make_controller(store, clock, winter)
    ok.evaluate()
    assert ok.health().error is None
    assert {r.item_key: r for r in ok.view.rows}["opel-submission"].owing == ("Maidstone Hospital",)
