"""Agenda / prompt-controller test helpers: the real winter schedule file, a harness App that mounts the
:class:`AgendaPanel` with a :class:`PromptController`, AreaStatus fakes for prompt content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Static

from scc_tui.app.agenda.panel import AgendaPanel
from scc_tui.app.prompting import PromptController
from scc_tui.domain.clock import UTC
from tests.pilot import wait_until

WINTER = Path(__file__).resolve().parents[2] / "schedules" / "kent-medway-winter.toml"
DAY = datetime(2026, 11, 23, tzinfo=UTC)  # Monday 23 Nov 2026 (GMT: London = UTC)


def T(h: int, m: int = 0, s: int = 0) -> datetime:
    return DAY + timedelta(hours=h, minutes=m, seconds=s)


@dataclass(frozen=True)
class FakeStatus:
    name: str
    kind: str
    level: int | None
    days_at_level: int | None
    last_update: datetime | None
    stale: bool = False
    area_id: int = 0
    parent_id: int | None = 1  # under the Kent and Medway ICS (the schedule's `serves`)
    method: str | None = None


STATUSES = [
    FakeStatus("Kent and Medway ICS", "ics", None, None, None, area_id=1, parent_id=None),
    FakeStatus("QEQM Hospital", "provider", 4, 3, T(8, 50), area_id=2, method="acute"),
    FakeStatus("William Harvey Hospital", "provider", 3, 1, T(9, 15), area_id=3, method="acute"),
    FakeStatus("Maidstone Hospital", "provider", 2, 1, None, True, area_id=4, method="acute"),
    FakeStatus("Tunbridge Wells Hospital", "provider", 2, 4, T(9, 5), area_id=5, method="acute"),
    FakeStatus("DGS", "la-area", 3, 2, None, area_id=6, method="kcc-asc"),
    FakeStatus("Swale", "la-area", 2, 1, T(9, 0), area_id=7, method="kcc-asc"),
]


def make_controller(store, clock, schedule, user="alice", *, statuses=STATUSES, **kw) -> PromptController:
    """A controller on ``store`` through the real seam (``DbSeam``)."""
    from scc_tui.app.db_seam import DbSeam

    c = PromptController(DbSeam(store), clock, schedule, user, **kw)
    if statuses is not None:
        c._statuses = lambda now: list(statuses)  # fixed prompt content (no store.queries needed)
    return c


class AgendaHarness(App):
    """Mounts the agenda panel with a controller. ``start``: run the APScheduler + heartbeat as the
    real App will; otherwise only ``attach`` (tests drive ``evaluate()`` on a fixed clock)."""

    CSS = """
    #board { width: 1fr; height: 1fr; background: $panel; color: $text-muted; padding: 1 2; }
    .docked AgendaPanel { width: 56; border-left: vkey $accent; }
    """

    def __init__(self, controller: PromptController, *, start: bool = False, docked: bool = False) -> None:
        super().__init__()
        self.controller = controller
        self.start_controller = start
        self.docked = docked
        self.notes: list[tuple[str, str, str]] = []  # (title, message, severity)
        self.bells = 0

    def compose(self) -> ComposeResult:
        if self.docked:
            with Horizontal(classes="docked"):
                yield Static("(board)", id="board")
                yield AgendaPanel(self.controller, health_interval=0)
        else:
            yield AgendaPanel(self.controller, health_interval=0)
        yield Footer()

    def on_mount(self) -> None:
        if self.start_controller:
            self.controller.start(self)
        else:
            self.controller.attach(self)
        self.query_one(AgendaPanel).focus()

    def on_unmount(self) -> None:
        self.controller.stop()

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True):
        self.notes.append((title, message, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def bell(self) -> None:
        self.bells += 1


def _schedule():
    from scc_tui.datafiles.schedules import load_schedule
    return load_schedule(WINTER)


def _app(store, clock, *, docked: bool) -> AgendaHarness:
    c = make_controller(store, clock, _schedule(), "alice", monotonic=lambda: 0.0)
    return AgendaHarness(c, start=True, docked=docked)


async def _ready(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: app.controller.evaluations >= 1)
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()


async def _ready_with_toast(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: app.controller.evaluations >= 1)
    await pilot.pause()
