"""Agenda / prompt-controller test helpers: the real winter schedule file, a harness App that mounts the
:class:`AgendaPanel` with a :class:`PromptController`, the areas' statuses for prompt content."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Static

from scc_tui.app.agenda.panel import AgendaPanel
from scc_tui.app.prompting import PromptController
from scc_tui.domain.clock import UTC
from tests.helpers.statuses import area_status
from tests.pilot import wait_until

WINTER = Path(__file__).resolve().parents[2] / "schedules" / "kent-medway-winter.toml"
DAY = datetime(2026, 11, 23, tzinfo=UTC)  # Monday 23 Nov 2026 (GMT: London = UTC)


def T(h: int, m: int = 0, s: int = 0) -> datetime:
    return DAY + timedelta(hours=h, minutes=m, seconds=s)


#: The areas the prompts are about (real AreaStatus values; all under the Kent and Medway ICS, the
#: schedule's ``serves``).
STATUSES = [
    area_status(1, "Kent and Medway ICS", "ics", None, None),
    area_status(2, "QEQM Hospital", "provider", 1, "acute", level=4, days_at_level=3, last_update=T(8, 50)),
    area_status(3, "William Harvey Hospital", "provider", 1, "acute", level=3, days_at_level=1, last_update=T(9, 15)),
    area_status(4, "Maidstone Hospital", "provider", 1, "acute", level=2, days_at_level=1, stale=True),
    area_status(5, "Tunbridge Wells Hospital", "provider", 1, "acute", level=2, days_at_level=4, last_update=T(9, 5)),
    area_status(6, "DGS", "la-area", 1, "kcc-asc", level=3, days_at_level=2),
    area_status(7, "Swale", "la-area", 1, "kcc-asc", level=2, days_at_level=1, last_update=T(9, 0)),
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
