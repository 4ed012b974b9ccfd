"""The prompt controller: APScheduler wakes the UI; the database is the memory.

What is due is always *derived*: today's schedule occurrences (``scc_tui.domain.schedule``) plus the
stored ``PromptRecord`` rows, through the pure ``scc_tui.domain.prompts.due_prompts``. Nothing that
must happen lives only in memory, so a restart, a second session or a dropped timer cannot lose or
double a prompt:

* :meth:`PromptController.evaluate` recomputes from data; every due or missed prompt without a record
  is recorded with ``mark_shown`` (insert-if-absent: one row however many sessions show it). The
  session notifies (toast + bell) once per prompt; prompts that fell due while no session was open are
  reported once, as *missed*, in one summary notification (never a bell storm) and never again.
* Three things call ``evaluate``: one APScheduler ``DateTrigger`` job per upcoming prompt instant
  (``misfire_grace_time`` 1 h, ``coalesce``), a heartbeat tick every ``tick_seconds`` (a job the
  scheduler drops is still shown by the tick), and the user (acknowledge / snooze).
* **Watch the watcher**: :meth:`PromptController.health` re-runs the pure view on the cached data at
  the current clock (no I/O) and reports any prompt due more than ``late_minutes`` ago that this
  session has not shown, a heartbeat older than ``stale_tick_seconds``, and the last error.

Clocks: with the :class:`~scc_tui.domain.clock.SystemClock` jobs run at the prompt instants; with a
:class:`~scc_tui.domain.clock.SimulatedClock` (exercises) each run time is translated to real time by
the clock's speed and re-planned every evaluation; with a ``FixedClock`` no job can follow the clock,
so only the tick and direct ``evaluate()`` calls move things (tests advance the clock and call it).
"""

from __future__ import annotations

import asyncio
import threading
import time as _time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from textual.message import Message

from scc_tui.domain.clock import LONDON, UTC, Clock, SimulatedClock, SystemClock, london_date
from scc_tui.domain.text import inert, inert_line
from scc_tui.domain.prompts import Prompt, PromptKey, PromptView, due_prompts, prompt_stages

__all__ = [
    "ESCALATION_ITEMS",
    "INCLUSIONS_PLACEHOLDER",
    "AgendaRow",
    "Notice",
    "notice_line",
    "short_text",
    "AgendaView",
    "Health",
    "PromptController",
    "PromptsChanged",
    "prompt_content",
]

#: Schedule items that are the system escalation calls (seed 004: 10:30 and 15:00).
ESCALATION_ITEMS = frozenset({"escalation-am", "escalation-pm"})
INCLUSIONS_PLACEHOLDER = "Escalation inclusions: (escalation rules not available)"
AS_NEEDED_KEY = "escalation-as-needed"
SNOOZE_CHOICES = (5, 10, 15)


class PromptsChanged(Message):
    """Posted to the App after an evaluation that changed what is shown (or on acknowledge/snooze)."""

    def __init__(self, view: "AgendaView", new: tuple[Prompt, ...] = (), missed: tuple[Prompt, ...] = ()) -> None:
        self.view = view
        self.new = new
        self.missed = missed
        super().__init__()


@dataclass(frozen=True)
class AgendaRow:
    """One of today's occurrences, as the agenda shows it."""

    item_key: str
    title: str
    kind: str  # call | deadline
    at: datetime  # what the agenda shows: a call's start, a deadline's "by"
    occurrence_at: datetime
    state: str  # acknowledged | done | due | missed | snoozed | next | upcoming | unacknowledged
    stage: str | None = None  # the stage the state refers to (due/missed/snoozed/upcoming)
    owing: tuple[str, ...] | None = None
    detail: tuple[str, ...] = ()
    acknowledged_by: str | None = None
    until: datetime | None = None  # snoozed until
    why: str = ""

    @property
    def key(self) -> PromptKey | None:
        return PromptKey(self.item_key, self.occurrence_at, self.stage) if self.stage else None

    @property
    def actionable(self) -> bool:
        return self.state in ("due", "missed", "snoozed", "unacknowledged") and self.stage is not None


@dataclass(frozen=True)
class Health:
    alive: bool
    last_tick: datetime | None
    overdue: tuple[Prompt, ...] = ()
    tick_stale: bool = False
    error: str | None = None
    late_minutes: int = 3

    @property
    def warnings(self) -> list[str]:
        out: list[str] = []
        if self.overdue:
            now = self._now or max(p.due_at for p in self.overdue)
            worst = max(int((now - p.due_at).total_seconds() // 60) for p in self.overdue)
            first = self.overdue[0]
            more = f" +{len(self.overdue) - 1}" if len(self.overdue) > 1 else ""
            out.append(
                f"{len(self.overdue)} prompt{'s' if len(self.overdue) > 1 else ''} not shown, up to {worst} min late: "
                f"{first.due_at.astimezone(LONDON):%H:%M} {first.title}{more}"
            )
        if self.tick_stale:
            out.append("prompt heartbeat stopped (no tick for over 2 min)")
        if not self.alive and not self.tick_stale:
            out.append("scheduler not running")
        if self.error:
            out.append(f"prompt check failed: {self.error}")
        return out

    _now: datetime | None = field(default=None, repr=False)  # the instant health() looked at

    @property
    def ok(self) -> bool:
        return not self.warnings

    def line(self) -> str:
        alive = "scheduler alive" if self.alive else "scheduler STOPPED"
        tick = f"last tick {self.last_tick.astimezone(LONDON):%H:%M:%S}" if self.last_tick else "no tick yet"
        return f"{alive} · {tick}"


@dataclass(frozen=True)
class AgendaView:
    at: datetime
    rows: tuple[AgendaRow, ...]
    exercise: bool = False
    schedule_title: str = ""

    @property
    def next_index(self) -> int | None:
        for i, r in enumerate(self.rows):
            if r.state == "next":
                return i
        return None


# --------------------------------------------------------------------------------------------------
# Content of a prompt (pure)


def _day_text(days: int | None) -> str:
    return f"day {days}" if days else "day ?"


def prompt_content(occurrence: Any, statuses: Sequence[Any] | None, owing: Sequence[str] | None = None,
                   firings: Sequence[Any] | None = None, risks_due: Sequence[str] | None = None) -> list[str]:
    """The lines that say what a prompt is about.

    Escalation calls: the areas at OPEL 3/4 with their days at level, then the escalation inclusions
    the rules require for this call (``firings``: the active escalation firings; None when the rules
    could not be evaluated). Deadlines: the areas still owing. Others: the item's notes.
    """
    lines: list[str] = []
    if occurrence.item_key in ESCALATION_ITEMS:
        if statuses is None:
            lines.append("OPEL 3/4: (area levels not available)")
        else:
            hot = [s for s in statuses if s.level is not None and s.level >= 3]
            hot.sort(key=lambda s: (-s.level, -(s.days_at_level or 0), s.name))
            if hot:
                lines.append("OPEL 3/4: " + "; ".join(
                    f"{s.name} OPEL {s.level} {_day_text(s.days_at_level)}" for s in hot))
            else:
                lines.append("OPEL 3/4: none")
        if firings is None:
            lines.append(INCLUSIONS_PLACEHOLDER)
        else:
            from scc_tui.domain.escalation import inclusions_for_call

            inc = inclusions_for_call(firings, occurrence.item_key)
            lines.append("Escalation inclusions: " + ("; ".join(inc) if inc else "none"))
        if risks_due:  # the register is "reviewed daily via system call" (SSOT ICB System Surge Plan 2024/25)
            lines.append("Risks due for review: " + "; ".join(risks_due))
    elif occurrence.kind == "deadline":
        if occurrence.tracks == "none":
            lines.append("Not tracked in scc-tui (check it was done).")
        elif owing is None:
            lines.append("Owing: (area submissions not available)")
        elif owing:
            lines.append(f"Owing ({len(owing)}): " + ", ".join(owing))
        else:
            lines.append("All submitted.")
    if occurrence.notes and occurrence.item_key not in ESCALATION_ITEMS:
        lines.append(occurrence.notes)
    return lines


# --------------------------------------------------------------------------------------------------


def _london_midnight(at: datetime, days: int = 0) -> datetime:
    d = london_date(at) + timedelta(days=days)
    return datetime(d.year, d.month, d.day, tzinfo=LONDON).astimezone(UTC)


@dataclass
class _Snapshot:
    """What the last evaluation read (enough to recompute the view at any later instant, no I/O)."""

    occurrences: list[Any]
    records: list[Any]
    statuses: list[Any] | None
    window: tuple[datetime, datetime]
    scope_error: str | None = None  # the schedule's `serves` is not among the areas
    firings: list[Any] | None = None  # active escalation firings (None: rules not available)
    risks_due: list[str] | None = None  # risk register entries due for review (issue 15)


class PromptController:
    """Owns the prompt scheduler of one session (one App)."""

    def __init__(
        self,
        seam: Any,
        clock: Clock,
        schedule: Any,
        user: str,
        *,
        lead_minutes: int = 5,
        deadline_lead_minutes: int = 15,
        grace_minutes: int = 30,
        late_minutes: int = 3,
        tick_seconds: float = 20.0,
        stale_tick_seconds: float = 120.0,
        bell: bool = True,
        notify_timeout: float = 60.0,
        monotonic: Callable[[], float] = _time.monotonic,
        not_before: datetime | None = None,
    ) -> None:
        #: The app's store seam (app/seam.py): prompt records, statuses, firings, risks. ``_compute`` and the
        #: user actions run in threads (``evaluate_async``, the agenda's workers), never on the UI thread.
        self.seam = seam
        #: Occurrences that start before this instant are not this session's to prompt: an exercise
        #: begins at STARTEX, so the day's earlier calls and deadlines never happened in it (they are
        #: neither listed nor reported missed). None: the whole London day, as for live use.
        self.not_before = not_before
        self.clock = clock
        self.schedule = schedule
        self.user = user
        self.lead_minutes = lead_minutes
        self.deadline_lead_minutes = deadline_lead_minutes
        self.grace_minutes = grace_minutes
        self.late_minutes = late_minutes
        self.tick_seconds = tick_seconds
        self.stale_tick_seconds = stale_tick_seconds
        self.bell = bell
        self.notify_timeout = notify_timeout
        self.monotonic = monotonic
        #: Where prompts are shown: the App's one-line prompt bar (``SccApp`` sets it). Without one
        #: (a bare App) they are toasts.
        self.on_notice: Callable[[Notice], None] | None = None

        self.started_at: datetime | None = None  # set by the first evaluation (the session's start)
        self.last_tick: datetime | None = None
        self._last_tick_mono: float | None = None
        self.last_error: str | None = None
        self.evaluations = 0
        self.job_runs = 0
        self.shown: set[PromptKey] = set()  # shown (notified or listed) in this session
        self.reported_missed: set[PromptKey] = set()
        self.late_shown: list[tuple[PromptKey, float]] = []  # shown more than late_minutes late (minutes)
        self.view: AgendaView = AgendaView(clock.now(), ())
        self.prompt_view: PromptView | None = None
        self._snap: _Snapshot | None = None
        self._lock = threading.Lock()
        self._alock: asyncio.Lock | None = None
        self._app: Any = None
        self._signal: Any = None
        self._scheduler: Any = None
        self._tick_timer: Any = None
        self._jobs: dict[str, datetime] = {}

    # ------------------------------------------------------------------ lifecycle (on Textual's loop)

    @property
    def exercise(self) -> bool:
        return bool(getattr(self.clock, "exercise", False))

    @property
    def changed(self):
        """A Textual :class:`~textual.signal.Signal` published with the :class:`AgendaView` after every
        evaluation (panels subscribe in ``on_mount``; subscriptions die with the widget)."""
        return self._signal

    def attach(self, app: Any) -> None:
        """Bind to an App (notifications, messages, the signal) without starting timers."""
        from textual.signal import Signal

        if self._app is not app:
            self._app = app
            self._signal = Signal(app, "scc-prompts")

    def start(self, app: Any, *, evaluate: bool = True) -> None:
        """Start on ``app``'s running loop (call from ``on_mount``): the APScheduler, the heartbeat,
        and the first evaluation (which reports what was missed while no session was open)."""
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        self.attach(app)
        if self._scheduler is None:
            self._scheduler = AsyncIOScheduler(
                timezone=UTC,
                job_defaults={"misfire_grace_time": 3600, "coalesce": True, "max_instances": 1},
            )
            self._scheduler.start()
        if self._tick_timer is None:
            self._tick_timer = app.set_interval(self.tick_seconds, self._on_tick, name="scc-prompt-tick")
        if evaluate:
            app.call_later(self._on_tick)

    def stop(self) -> None:
        """Stop timers and the scheduler (call from ``on_unmount``). Nothing is lost: the records are
        in the database and the next session recomputes from them."""
        if self._tick_timer is not None:
            self._tick_timer.stop()
            self._tick_timer = None
        if self._scheduler is not None:
            try:
                if self._scheduler.running:
                    self._scheduler.shutdown(wait=False)
            except Exception:  # noqa: BLE001 - the loop may already be closing
                pass
            self._scheduler = None
        self._jobs.clear()

    @property
    def scheduler(self):
        return self._scheduler

    @property
    def running(self) -> bool:
        return self._scheduler is not None and bool(self._scheduler.running)

    # ------------------------------------------------------------------ the heartbeat and the jobs

    async def _on_tick(self) -> None:
        self.last_tick = self.clock.now()
        self._last_tick_mono = self.monotonic()
        await self.evaluate_async(reason="tick")

    async def _on_job(self, job_id: str) -> None:
        self.job_runs += 1
        self._jobs.pop(job_id, None)
        await self.evaluate_async(reason="scheduler")

    async def evaluate_async(self, reason: str = "tick") -> None:
        """Evaluate in a thread (database I/O off the UI thread); apply the result on the loop."""
        if self._alock is None:
            self._alock = asyncio.Lock()
        async with self._alock:
            try:
                result = await asyncio.to_thread(self._compute)
            except Exception as exc:  # noqa: BLE001 - shown in the agenda header, never a traceback
                from scc_tui.app.errors import one_line_error

                self.last_error = one_line_error(exc)
                self._publish((), ())
                return
            self._apply(*result)

    def evaluate(self) -> tuple[tuple[Prompt, ...], tuple[Prompt, ...]]:
        """Recompute now, record, notify, publish. Returns (newly shown due prompts, newly reported
        missed prompts) of this call. Synchronous: tests call it after moving the clock."""
        new, missed = self._compute()
        self._apply(new, missed)
        return new, missed

    # ------------------------------------------------------------------ computation (any thread)

    def _read(self, now: datetime) -> _Snapshot:
        from scc_tui.domain.schedule import occurrences

        start = _london_midnight(now)
        if self.not_before is not None and self.not_before > start:
            start = self.not_before.astimezone(UTC)
        # Today plus the next day, so that the jobs for tomorrow's first prompts exist overnight.
        end = _london_midnight(now, 2)
        occs = occurrences(self.schedule, start, end) if self.schedule is not None else []
        records = self.seam.prompt_records(start, end)
        statuses = self._statuses(now)
        scope_error = None
        if self.schedule is not None and statuses is not None:
            from scc_tui.domain.schedule import ScheduleScopeError, check_scope

            try:
                check_scope(self.schedule.serves, statuses, self.schedule.id)
            except ScheduleScopeError as exc:
                # Whom deadlines chase is unknown: list them without owing areas (never "nobody
                # owes", never dropped) and say why in the agenda header; calls prompt as usual.
                scope_error, statuses = str(exc), None
        return _Snapshot(occs, records, statuses, (start, end), scope_error, self._firings(now), self._risks_due(now))

    def _risks_due(self, now: datetime) -> list[str] | None:
        """Open risks not reviewed today, for the system escalation calls' prompt (none on error)."""
        try:
            from scc_tui.domain.risks import due_for_review

            return [f"{v.ref} {v.title} {v.residual.text}" for v in due_for_review(self.seam.open_risks(), now)]
        except Exception:  # noqa: BLE001 - the prompt shows without them
            return None

    def _firings(self, now: datetime) -> list[Any] | None:
        """The escalation firings active now (recorded once, by the store). A broken rule file or store
        error leaves the slot saying the rules are not available (never a crash)."""
        try:
            items, _progress = self.seam.active_escalations(now)
            return [a.firing for a in items]
        except Exception as exc:  # noqa: BLE001 - reported in the slot and in health
            self.last_error = f"escalation rules: {exc}"
            return None

    def _statuses(self, now: datetime) -> list[Any] | None:
        return self.seam.area_statuses(now)

    def _view(self, snap: _Snapshot, now: datetime) -> PromptView:
        assert self.started_at is not None
        today_end = _london_midnight(now, 1)
        return due_prompts(
            [o for o in snap.occurrences if o.start < today_end],
            snap.records,
            now,
            self.started_at,
            self.lead_minutes,
            deadline_lead_minutes=self.deadline_lead_minutes,
            grace_minutes=self.grace_minutes,
            statuses=snap.statuses,
        )

    def _compute(self) -> tuple[tuple[Prompt, ...], tuple[Prompt, ...]]:
        with self._lock:
            now = self.clock.now()
            if self.started_at is None:
                self.started_at = now
            snap = self._read(now)
            view = self._view(snap, now)
            if view.to_mark:  # record, then re-read so the view and the agenda reflect the stored records
                self.seam.mark_prompts_shown(list(view.to_mark))
                snap.records = self.seam.prompt_records(*snap.window)
                view = self._view(snap, now)
            new = tuple(p for p in view.due if p.key not in self.shown)
            missed = tuple(p for p in view.missed if p.key not in self.reported_missed)
            late = timedelta(minutes=self.late_minutes)
            for p in new:
                self.shown.add(p.key)
                delay = (now - p.due_at)
                if delay > late and p.due_at >= self.started_at:
                    self.late_shown.append((p.key, delay.total_seconds() / 60))
            for p in missed:
                self.reported_missed.add(p.key)
                self.shown.add(p.key)
            self._snap = snap
            self.prompt_view = view
            self.view = self._agenda(snap, view, now)
            self.evaluations += 1
            self.last_error = snap.scope_error
            return new, missed

    def _agenda(self, snap: _Snapshot, view: PromptView, now: datetime) -> AgendaView:
        today_start, today_end = _london_midnight(now), _london_midnight(now, 1)
        listed: dict[tuple[str, datetime], tuple[str, Prompt]] = {}
        for state, prompts in (("due", view.due), ("missed", view.missed), ("snoozed", view.snoozed),
                               ("upcoming", view.upcoming)):
            for p in prompts:
                listed[(p.item_key, p.occurrence_at)] = (state, p)
        recs: dict[tuple[str, datetime], list[Any]] = {}
        for r in snap.records:
            recs.setdefault((r.item_key, r.occurrence_at.astimezone(UTC)), []).append(r)
        rows: list[AgendaRow] = []
        next_marked = False
        todays = [o for o in snap.occurrences if today_start <= o.start < today_end]
        todays.sort(key=lambda o: (o.due_by, o.item_key))
        for o in todays:
            occ_at = o.start.astimezone(UTC)
            rs = recs.get((o.item_key, occ_at), [])
            acked = next((r for r in rs if r.acknowledged_at is not None), None)
            owing = None
            if o.kind == "deadline" and snap.statuses is not None and o.tracks != "none":
                from scc_tui.datafiles.submissions import method_family
                from scc_tui.domain.schedule import owing_areas

                owing = tuple(owing_areas(o, snap.statuses, family_of=method_family))
            detail = tuple(prompt_content(o, snap.statuses, owing, snap.firings, snap.risks_due))
            base = dict(item_key=o.item_key, title=o.title, kind=o.kind, at=o.due_by, occurrence_at=occ_at,
                        owing=owing, detail=detail, why=o.why)
            state_p = listed.get((o.item_key, occ_at))
            if acked is not None:
                rows.append(AgendaRow(state="acknowledged", stage=acked.stage, acknowledged_by=acked.acknowledged_by, **base))
            elif state_p is not None and state_p[0] != "upcoming":
                state, p = state_p
                rows.append(AgendaRow(state=state, stage=p.stage, until=getattr(p.record, "snoozed_until", None), **base))
            elif state_p is not None:
                _, p = state_p
                state = "upcoming"
                if not next_marked:
                    state, next_marked = "next", True
                rows.append(AgendaRow(state=state, stage=None, **base))
            elif o.kind == "deadline" and owing == ():
                rows.append(AgendaRow(state="done", **base))
            elif any(r.missed for r in rs):
                last = max(rs, key=lambda r: r.due_at)
                rows.append(AgendaRow(state="missed", stage=last.stage, **base))
            elif rs:
                last = max(rs, key=lambda r: r.due_at)
                rows.append(AgendaRow(state="unacknowledged", stage=last.stage, **base))
            else:
                rows.append(AgendaRow(state="done" if o.kind == "deadline" else "unacknowledged", **base))
        rows.extend(self._as_needed(snap, todays, now))
        return AgendaView(now, tuple(rows), exercise=self.exercise,
                          schedule_title=self.schedule.title if self.schedule else "")

    # ------------------------------------------------------------------ applying (the loop thread)

    def _apply(self, new: tuple[Prompt, ...], missed: tuple[Prompt, ...]) -> None:
        self._notify(new, missed)
        self._plan_jobs()
        self._publish(new, missed)

    def _publish(self, new: tuple[Prompt, ...], missed: tuple[Prompt, ...]) -> None:
        if self._app is None:
            return
        if self._signal is not None:
            self._signal.publish(self.view)
        self._app.post_message(PromptsChanged(self.view, new, missed))

    def _notify(self, new: tuple[Prompt, ...], missed: tuple[Prompt, ...]) -> None:
        app = self._app
        if app is None:
            return
        if self.on_notice is not None:
            # One compact line (the App's prompt bar): the item's own time, the full list in the agenda.
            if new or missed:
                self.on_notice(Notice(notice_line(new, missed, exercise=self.exercise),
                                      tuple(p.key for p in (*new, *missed))))
                if new and self.bell:
                    app.bell()
            return
        prefix = "EXERCISE EXERCISE EXERCISE\n" if self.exercise else ""
        if missed:
            lines = [f"{_own_time(p)} {p.title}" for p in missed[:6]]
            if len(missed) > 6:
                lines.append(f"... and {len(missed) - 6} more (see the agenda)")
            app.notify(prefix + inert("\n".join(lines)), title=f"{len(missed)} prompt{'s' if len(missed) != 1 else ''} missed "
                       "while scc-tui was closed", severity="warning", timeout=self.notify_timeout, markup=False)
        if not new:
            return
        if len(new) > 3:  # e.g. an exercise clock jumped: one summary, one bell
            body = "\n".join(p.text for p in new[:6])
            app.notify(prefix + inert(body), title=f"{len(new)} prompts due", severity="warning",
                       timeout=self.notify_timeout, markup=False)
        else:
            for p in new:
                body = "\n".join([p.text, *self._content(p)])
                app.notify(prefix + inert(body), title=inert_line(_stage_title(p)), severity="warning",
                           timeout=self.notify_timeout, markup=False)
        if self.bell:
            app.bell()

    def _content(self, p: Prompt) -> list[str]:
        statuses = self._snap.statuses if self._snap else None
        firings = self._snap.firings if self._snap else None
        return prompt_content(p.occurrence, statuses, p.owing, firings, self._snap.risks_due if self._snap else None)

    def _as_needed(self, snap: _Snapshot, todays: list[Any], now: datetime) -> list[AgendaRow]:
        """Weekend or bank holiday, escalation firings that name a call, and no escalation call on the
        schedule today: one "Escalation call as needed" item (seed 004 expects weekend escalation: "as
        deemed helpful by system during weekend")."""
        if not snap.firings:
            return []
        from scc_tui.domain.escalation import inclusion_text, needs_escalation_call
        from scc_tui.domain.schedule import england_bank_holiday

        calls = [o for o in todays if o.item_key in ESCALATION_ITEMS]
        need = needs_escalation_call(snap.firings, [o.item_key for o in calls], london_date(now), england_bank_holiday)
        if not need:
            return []
        at = min(f.since for f in need).astimezone(UTC)
        return [AgendaRow(item_key=AS_NEEDED_KEY, title="Escalation call as needed (no call scheduled today)",
                          kind="call", at=at, occurrence_at=at, state="unacknowledged",
                          detail=tuple(inclusion_text(f) for f in need),
                          why="weekend or bank holiday with escalation firings and no scheduled escalation call")]

    # ------------------------------------------------------------------ APScheduler jobs

    def _real_run_date(self, due: datetime, now: datetime) -> datetime | None:
        clock = self.clock
        if isinstance(clock, SystemClock):
            return due
        if isinstance(clock, SimulatedClock) and not clock.paused:
            return SystemClock().now() + (due - now) / clock.speed
        return None  # a fixed clock: no job can follow it (the tick and evaluate() do)

    def _plan_jobs(self) -> None:
        """One DateTrigger job per upcoming prompt instant (and snooze expiry) in the window."""
        sched = self._scheduler
        if sched is None or not sched.running or self._snap is None or self.prompt_view is None:
            return
        from apscheduler.triggers.date import DateTrigger

        now = self.clock.now()
        wanted: dict[str, datetime] = {}
        acked = {(r.item_key, r.occurrence_at.astimezone(UTC)) for r in self._snap.records if r.acknowledged_at}
        for o in self._snap.occurrences:
            if (o.item_key, o.start.astimezone(UTC)) in acked:
                continue
            for stage, due in prompt_stages(o, self.lead_minutes, self.deadline_lead_minutes):
                if due > now:
                    wanted[f"{o.item_key}|{o.start.astimezone(UTC):%Y%m%dT%H%M}|{stage}"] = due
        for p in self.prompt_view.snoozed:
            until = getattr(p.record, "snoozed_until", None)
            if until is not None and until > now:
                wanted[f"{p.item_key}|{p.occurrence_at:%Y%m%dT%H%M}|{p.stage}|snooze"] = until
        for job_id in list(self._jobs):
            if job_id not in wanted:
                try:
                    sched.remove_job(job_id)
                except Exception:  # noqa: BLE001 - already ran and removed itself
                    pass
                self._jobs.pop(job_id, None)
        for job_id, due in wanted.items():
            run = self._real_run_date(due, now)
            if run is None:
                continue
            old = self._jobs.get(job_id)
            if old is not None and abs((old - run).total_seconds()) < 1:
                continue
            sched.add_job(self._on_job, DateTrigger(run_date=run), args=[job_id], id=job_id,
                          replace_existing=True, name=f"prompt {job_id}")
            self._jobs[job_id] = run

    # ------------------------------------------------------------------ watch the watcher

    def health(self, now: datetime | None = None) -> Health:
        """Pure, no I/O: the cached data re-viewed at ``now`` (default: the clock)."""
        now = now or self.clock.now()
        overdue: tuple[Prompt, ...] = ()
        if self._snap is not None and self.started_at is not None:
            try:
                v = self._view(self._snap, now)
                tol = timedelta(minutes=self.late_minutes)
                overdue = tuple(
                    p for p in (*v.due, *v.missed)
                    if p.key not in self.shown and p.due_at >= self.started_at and now - p.due_at > tol
                )
            except Exception as exc:  # noqa: BLE001
                return Health(False, self.last_tick, error=f"{type(exc).__name__}: {exc}", _now=now)
        stale = (
            self._last_tick_mono is not None and self.monotonic() - self._last_tick_mono > self.stale_tick_seconds
        )
        alive = self.running and not stale
        if self._scheduler is None and self._tick_timer is None:
            alive = self._last_tick_mono is not None and not stale  # not started on an App (tests)
        return Health(alive, self.last_tick, overdue, stale, self.last_error, self.late_minutes, _now=now)

    # ------------------------------------------------------------------ user actions

    def row_for(self, key: PromptKey) -> AgendaRow | None:
        for r in self.view.rows:
            if r.key == key:
                return r
        return None

    def acknowledge(self, row: AgendaRow) -> tuple[bool, str]:
        """Acknowledge the row's prompt (all its stages) and re-evaluate, here and now. Returns (done,
        message for the user). The agenda panel instead writes in a thread worker
        (:meth:`write_acknowledgement`) and re-evaluates with :meth:`evaluate_async`."""
        ok, message, wrote = self.write_acknowledgement(row)
        if wrote:
            self.evaluate()
        return ok, message

    def write_acknowledgement(self, row: AgendaRow) -> tuple[bool, str, bool]:
        """The acknowledgement's store write only (call it from a thread worker): (done, message,
        whether the store was asked, so the agenda should be evaluated again)."""
        if row.state == "acknowledged":
            return False, f"{row.title}: already acknowledged by {row.acknowledged_by}", False
        if not row.actionable or row.key is None:
            return False, f"{row.title}: nothing to acknowledge yet", False
        from scc_tui.domain.access import Refused

        key = row.key
        # A prompt shown from cache but not stored yet is recorded first, due when it was listed.
        due = next((p.due_at for p in self._all_listed() if p.key == key), self.clock.now())
        try:
            ok = self.seam.acknowledge_prompt(key, self.user, title=row.title, due_at=due)
        except Refused as exc:  # the user's role does not allow it (issue 14 item 3): say why
            return False, str(exc), False
        if ok:
            return True, f"Acknowledged: {row.title} ({row.at.astimezone(LONDON):%H:%M})", True
        return False, f"{row.title}: already acknowledged in another session", True

    def snooze(self, row: AgendaRow, minutes: int) -> tuple[bool, str]:
        """Snooze the row's prompt and re-evaluate, here and now (the panel: :meth:`write_snooze`)."""
        ok, message, wrote = self.write_snooze(row, minutes)
        if wrote:
            self.evaluate()
        return ok, message

    def write_snooze(self, row: AgendaRow, minutes: int) -> tuple[bool, str, bool]:
        """The snooze's store write only (call it from a thread worker), as :meth:`write_acknowledgement`."""
        if not row.actionable or row.key is None:
            return False, f"{row.title}: nothing to snooze", False
        from scc_tui.domain.access import Refused

        until = self.clock.now() + timedelta(minutes=minutes)
        try:
            # Snoozing hides a prompt from everyone's agenda: the same permission as acknowledging it.
            ok = self.seam.snooze_prompt(row.key, until, self.user)
        except Refused as exc:  # the user's role does not allow it: say why, hide nothing
            return False, str(exc), False
        if ok:
            return True, f"Snoozed {minutes} min: {row.title} (until {until.astimezone(LONDON):%H:%M})", True
        return False, f"{row.title}: already acknowledged", True

    def _all_listed(self) -> list[Prompt]:
        v = self.prompt_view
        return [] if v is None else [*v.due, *v.missed, *v.snoozed]


@dataclass(frozen=True)
class Notice:
    """One line saying what just fell due (or was missed), and the prompts it stands for."""

    text: str
    keys: tuple[PromptKey, ...]


def _own_time(p: Prompt) -> str:
    """The item's own time, London: a call's start, a deadline's "by" (never the prompt's time)."""
    o = p.occurrence
    return f"{o.due_by.astimezone(LONDON):%H:%M}"


def short_text(p: Prompt) -> str:
    """A prompt in a few words at the item's own time, e.g. "10:30 System escalation call (now)",
    "by 10:00 OPEL submission (3 owing)"."""
    o = p.occurrence
    if p.stage == "deadline" or o.kind == "deadline":
        owing = f" ({len(p.owing)} owing)" if p.owing else ""
        return f"by {_own_time(p)} {o.title}{owing}"
    if p.stage == "before":
        mins = max(0, int((o.start - p.due_at).total_seconds() // 60))
        return f"{_own_time(p)} {o.title} (in {mins} min)"
    return f"{_own_time(p)} {o.title} (now)"


def notice_line(new: Sequence[Prompt], missed: Sequence[Prompt], *, exercise: bool = False) -> str:
    """The prompt bar's one line: the first new prompt at its own time, then how many more and how
    many were missed while no session was open (the agenda lists them all)."""
    parts: list[str] = []
    if new:
        more = f" +{len(new) - 1} more" if len(new) > 1 else ""
        parts.append(short_text(new[0]) + more)
    if missed:
        first = missed[0]
        more = f" +{len(missed) - 1}" if len(missed) > 1 else ""
        parts.append(f"missed while closed: {_own_time(first)} {first.title}{more}")
    text = inert_line(" · ".join(parts))
    return f"EXERCISE {text}" if exercise else text


def _stage_title(p: Prompt) -> str:
    if p.stage == "before":
        return f"Coming up {p.occurrence.local_start:%H:%M}"
    if p.stage == "start":
        return f"Now {p.occurrence.local_start:%H:%M}"
    return f"Deadline {p.occurrence.local_end:%H:%M}"
