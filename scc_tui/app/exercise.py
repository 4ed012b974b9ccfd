"""The app in exercise mode (docs/exercise.md): the board on an exercise database, on a simulated clock.

* A banner on every screen, which nothing hides: "EXERCISE EXERCISE EXERCISE", the scenario, the
  simulated time and tempo, the next inject; and the keys: the controller's (F4 jump to the next inject,
  F5 pause/resume, F6 speed, F7 release the next inject now, F8 skip it, F9 ENDEX) and everyone's F12,
  the real-world emergency stop (anyone may press it, a viewer too; it is logged and every session
  stops play at once).
* The controller's session plays the scenario (``scc_tui.store.exercise.Runner``) on a timer and
  publishes its clock in ``scc_meta``; joiners (``scc exercise join``) follow it, so everyone sees the
  same simulated time. Schedule prompts come from the app's own ``PromptController`` (APScheduler with
  run times translated from the simulated clock), re-planned after every jump, pause or speed change.
* ENDEX opens the hot debrief (``scc_tui.app.debrief``), where a lesson is recorded with ``n``.

The board, log, prompts and every screen read and write through the app's store seam (``DbSeam`` over
the exercise database); the exercise's own tables (the runner's injects, the shared clock, the
emergency stop) are this module's, read through ``exercise_store`` in its workers.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.binding import Binding
from textual.widgets import Static

from scc_tui.app.app import SccApp
from scc_tui.app.db_seam import DbSeam
from scc_tui.app.debrief import HotDebriefScreen
from scc_tui.app.errors import one_line_error
from scc_tui.app.safe import line as _line
from scc_tui.domain import exercise as dx
from scc_tui.domain.clock import LONDON, SystemClock

__all__ = ["ExerciseApp", "ExerciseBanner", "HotDebriefScreen", "SPEEDS", "CONTROLLER_KEYS", "PARTICIPANT_KEYS"]

SPEEDS = (1.0, 10.0, 60.0, 120.0, 300.0, 600.0)
CONTROLLER_KEYS = "F4 Jump  F5 Pause  F6 Speed  F7 Release  F8 Skip  F9 ENDEX  F12 Emergency stop"
PARTICIPANT_KEYS = "F12 Real-world emergency: stop play"


class ExerciseBanner(Static):
    """Two lines at the top of every screen in exercise mode."""

    DEFAULT_CSS = """
    ExerciseBanner {
        dock: top;
        height: 2;
        width: 100%;
        background: $error;
        color: #ffffff;
        text-style: bold;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(text, id="exercise-banner", markup=False)


class ExerciseApp(SccApp):
    """:class:`SccApp` on an exercise database with a simulated clock."""

    BINDINGS = [
        Binding("f4", "exercise_jump", "Jump to next inject", show=False, priority=True, id="exercise.jump"),
        Binding("f5", "exercise_pause", "Pause/resume", show=False, priority=True, id="exercise.pause"),
        Binding("f6", "exercise_speed", "Speed", show=False, priority=True, id="exercise.speed"),
        Binding("f7", "exercise_release", "Release next inject", show=False, priority=True, id="exercise.release"),
        Binding("f8", "exercise_skip", "Skip next inject", show=False, priority=True, id="exercise.skip"),
        Binding("f9", "exercise_endex", "ENDEX", show=False, priority=True, id="exercise.endex"),
        Binding("f12", "exercise_emergency", "Real-world emergency stop", show=False, priority=True,
                id="exercise.emergency"),
    ]

    def __init__(self, store: Any, clock: Any, user: str, *, scenario: dx.Scenario, controller: bool,
                 tick_seconds: float = 0.5, real_now=None, **kw: Any) -> None:
        """``store``: the exercise database's ``Store``; the app's seam is ``DbSeam(store)``."""
        super().__init__(DbSeam(store), clock, user, **kw)
        from scc_tui.store.exercise import Runner

        #: The exercise-only tables (scc_meta's shared clock and state, injects): the runner's store.
        self.exercise_store = store

        self.scenario = scenario
        if self.prompts is not None:  # the exercise day begins at STARTEX: nothing before it was missed
            self.prompts.not_before = scenario.start
        self.controller = controller
        self.tick_seconds = tick_seconds
        self.real_now = real_now or (lambda: SystemClock().now())
        self.runner = Runner(store, scenario, clock, schedule=None, rulesets=None, real_now=self.real_now)
        self.stopped_by: str | None = None  # a real-world emergency stop
        self.exercise_state = "running"
        self._banner_text = ""

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        super().on_mount()
        self.screen_change_signal.subscribe(self, lambda _screen: self._place_banner())
        self._place_banner()
        if self.controller:
            self._save_clock()
        self.set_interval(self.tick_seconds, self.exercise_tick, name="scc-exercise-tick")

    def _place_banner(self) -> None:
        screen = self.screen
        text = self.banner_text()
        found = screen.query(ExerciseBanner)
        if found:
            found.first().update(text)
        else:
            screen.mount(ExerciseBanner(text))

    def banner_text(self) -> str:
        now = self.clock.now().astimezone(LONDON)
        state = self.exercise_state.upper()
        if self.stopped_by:
            state = f"STOPPED: REAL-WORLD EMERGENCY ({self.stopped_by})"
        elif getattr(self.clock, "paused", False) and state == "RUNNING":
            state = "PAUSED"
        nxt = self.runner.next_inject()
        parts = [dx.BANNER, self.scenario.name, f"{now:%a %d %b %H:%M} simulated", f"×{self.clock.speed:g}", state]
        if nxt is not None and self.controller and not self.stopped_by and not self.runner.ended:
            parts.append(f"next {nxt.id} {nxt.at.astimezone(LONDON):%a %H:%M}")
        keys = CONTROLLER_KEYS if self.controller else PARTICIPANT_KEYS
        if self.stopped_by:
            keys = "Play stopped for a real-world emergency: respond on the live system"
        elif self.runner.ended:
            keys = f"ENDEX · debrief: scc exercise debrief {self.scenario.name}"
        return _line(" · ".join(parts)) + "\n" + keys

    def _refresh_banner(self) -> None:
        text = self.banner_text()
        if text != self._banner_text:
            self._banner_text = text
            self._place_banner()

    # ------------------------------------------------------------------ the tick

    @work(thread=True, exclusive=True, group="exercise")
    def exercise_tick(self) -> None:
        """Controller: release what is due and publish the clock. Everyone: follow the shared state
        (a joiner's clock; an emergency stop pressed in any session)."""
        from scc_tui.store.exercise import META_STATE, clock_from_state, meta, read_clock_state

        try:
            m = meta(self.exercise_store)
            state = m.get(META_STATE, "running")
            if state == "stopped" and self.stopped_by is None:
                from scc_tui.store.exercise import stopped_by

                self.call_from_thread(self._stopped_elsewhere, stopped_by(self.exercise_store) or "another participant")
                return
            if self.controller:
                if not self.runner.ended and not getattr(self.clock, "paused", False):
                    step = self.runner.step()
                    if step.released:
                        self.call_from_thread(self._after_release, [i for i, _ in step.released])
            else:
                cs = read_clock_state(self.exercise_store)
                if cs is not None:
                    fresh = clock_from_state(cs, self.real_now())
                    self._follow(fresh)
                self.exercise_state = state
        except Exception as exc:  # noqa: BLE001 - one line, never a traceback
            self.call_from_thread(self.notify, f"Exercise: {_line(one_line_error(exc))}", severity="error",
                                  markup=False)
        self.call_from_thread(self._refresh_banner)

    def _follow(self, fresh: Any) -> None:
        c = self.clock
        if abs((fresh.now() - c.now()).total_seconds()) > 2 * max(c.speed, fresh.speed) or c.speed != fresh.speed \
                or c.paused != fresh.paused:
            c.jump(fresh.now())
            c.speed = fresh.speed
            if fresh.paused and not c.paused:
                c.pause()
            elif not fresh.paused and c.paused:
                c.resume()

    def _after_release(self, injects: list[dx.Inject]) -> None:
        for i in injects:  # short: at 80x24 a toast must not cover the board (the log has it in full)
            who = f" → {', '.join(i.to)}" if i.to else ""
            text = f"{i.id}: {i.summary()}"
            text = text if len(text) <= 90 else text[:89] + "…"
            self.notify(_line(text + who), title=f"{dx.BANNER} inject", timeout=8, markup=False)
        self.reload()

    def _replan(self) -> None:
        """After a jump, pause or speed change: the shared clock, the prompts' jobs, the board."""
        self._save_clock()
        if self.prompts is not None:
            self.call_later(self.prompts.evaluate_async)
        self.reload()
        self._refresh_banner()

    def _save_clock(self) -> None:
        if self.controller:
            self.runner.save_clock("running")

    # ------------------------------------------------------------------ the controller's keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("exercise_") and action != "exercise_emergency":
            return self.controller and not self.runner.ended and self.stopped_by is None
        return super().check_action(action, parameters)

    def action_exercise_pause(self) -> None:
        c = self.clock
        if c.paused:
            c.resume()
            self.notify("Exercise resumed", timeout=3)
        else:
            c.pause()
            self.notify("Exercise paused", timeout=3)
        self._replan()

    def action_exercise_speed(self) -> None:
        c = self.clock
        nxt = next((s for s in SPEEDS if s > c.speed), SPEEDS[0])
        c.set_speed(nxt)
        self.notify(f"Exercise speed ×{nxt:g}", timeout=3)
        self._replan()

    def action_exercise_jump(self) -> None:
        """Move the simulated clock to the next inject's time (it is released by the step)."""
        nxt = self.runner.next_inject()
        if nxt is None:
            self.notify("No injects left: F9 for ENDEX", timeout=4)
            return
        if nxt.at > self.clock.now():
            self.clock.jump(nxt.at)
        self.run_step()

    def action_exercise_release(self) -> None:
        """Release now: a contingency whose expected response was missed first, else the next inject."""
        self.release_now()

    def action_exercise_skip(self) -> None:
        self.skip_next()

    def action_exercise_endex(self) -> None:
        self.end_exercise()

    def action_exercise_emergency(self) -> None:
        """Anyone: stop play at once, logged; every session shows it."""
        self.emergency_stop()

    @work(thread=True, exclusive=True, group="exercise")
    def run_step(self) -> None:
        step = self.runner.step()
        if step.released:
            self.call_from_thread(self._after_release, [i for i, _ in step.released])
        self.call_from_thread(self._replan)

    @work(thread=True, exclusive=True, group="exercise")
    def release_now(self) -> None:
        ready = self.ready_contingencies()
        target = ready[0] if ready else self.runner.next_inject()
        if target is None:
            self.call_from_thread(self.notify, "Nothing left to release", timeout=4)
            return
        why = "released early by the controller" if not target.contingency else "released by the controller"
        self.runner.release(target, at=self.clock.now(), why=why)
        self.call_from_thread(self._after_release, [target])
        self.call_from_thread(self._replan)

    def ready_contingencies(self) -> list[dx.Inject]:
        out = []
        now = self.clock.now()
        for i in self.runner.contingencies():
            e = next((x for x in self.scenario.expected if x.id == i.release_if_missed), None)
            if e is None:
                out.append(i) if i.at <= now else None
                continue
            state, deadline = self.runner._expected_state(e, now)
            if state == "missed" and deadline is not None and deadline <= now:
                out.append(i)
        return out

    @work(thread=True, exclusive=True, group="exercise")
    def skip_next(self) -> None:
        nxt = self.runner.next_inject()
        if nxt is None:
            return
        self.runner.skip(nxt)
        self.call_from_thread(self.notify, _line(f"Skipped {nxt.id}: {nxt.summary()}"), timeout=4, markup=False)
        self.call_from_thread(self._replan)

    @work(thread=True, exclusive=True, group="exercise")
    def end_exercise(self) -> None:
        d = self.runner.endex()
        self.exercise_state = "endex"
        self.clock.pause()
        self.call_from_thread(self._show_debrief, d)

    @work(thread=True, group="exercise-stop")
    def emergency_stop(self) -> None:
        from scc_tui.store.exercise import stop_play

        self.clock.pause()
        self.stopped_by = self.user
        stop_play(self.exercise_store, self.scenario, self.clock, self.user)
        self.runner.ended = True
        self.call_from_thread(self._show_stopped, self.user)

    def _stopped_elsewhere(self, who: str) -> None:
        self.clock.pause()
        self.stopped_by = who
        self.runner.ended = True
        self._show_stopped(who)

    def _show_stopped(self, who: str) -> None:
        self._refresh_banner()
        self.notify(f"{dx.BANNER}\nREAL-WORLD EMERGENCY: play stopped by {_line(who)}. "
                    "Respond on the live system.", title="EXERCISE STOPPED", severity="error", timeout=600,
                    markup=False)
        self.bell()

    def _show_debrief(self, d: dict[str, Any]) -> None:
        self._refresh_banner()
        self.push_screen(HotDebriefScreen(d, scenario=self.scenario))
