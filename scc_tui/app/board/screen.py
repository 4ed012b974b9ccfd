"""The board screen: a status line, the board, a filter field, the footer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from textual.binding import Binding

from scc_tui.app.board.model import Board, filter_items
from scc_tui.app.messages import StoreChanged, StoreEvent
from scc_tui.app.safe import line as _line
from scc_tui.app.board.view import BoardView
from scc_tui.app.fields import is_text_field
from scc_tui.app.log.quick_entry import QuickEntry

# At this width or more the agenda is docked beside the board; narrower, `c` opens it full-screen.
AGENDA_DOCK_MIN_WIDTH = 130
from scc_tui.domain.clock import LONDON


class StatusLine(Static):
    """Top line: what this is, when (the injected clock), who, counts, filter."""


class FilterInput(Input):
    """The board's filter field. Enter and Esc leave it as *priority* bindings, in the binding chain only
    while the field has focus: handled as the app reads the key, so the keys after them in one burst
    ("/Maid⏎G") go to the board, not into the filter (a non-priority key would reach the field first)."""

    BINDINGS = [
        Binding("enter", "done", "Apply filter", show=False, priority=True, id="filter.done",
                tooltip="keep the filter and go back to the board"),
        Binding("escape", "clear", "Clear filter", show=False, priority=True, id="filter.clear",
                tooltip="clear the filter and go back to the board"),
    ]

    def action_done(self) -> None:
        self.screen.filter_done()

    def action_clear(self) -> None:
        self.screen.action_clear_filter()


class BoardScreen(Screen):
    # Footer: Detail (the view's Enter), Assess, Declare, Filter, Log, Agenda, then the app's ? Help.
    BINDINGS = [
        Binding("n", "new_assessment", "Assess", id="board.assess", tooltip="new assessment for the highlighted area"),
        Binding("d", "declare", "Declare", id="board.declare",
                tooltip="declare the highlighted area's level (a reason if it differs from the computed one)"),
        # "/" is a priority binding: handled as the app reads the key, so the keys after it in one burst
        # ("/Maidstone", a bunched SSH read) reach the filter field, not the board (see
        # keymap.form_focus_bindings); check_action lets it through to a field being typed in.
        Binding("slash", "filter", "Filter", priority=True, id="board.filter",
                tooltip="filter the board: a name, a level (4, opel 3) or stale (see Board filter)"),
        Binding("escape", "clear_filter", "Clear", show=False, id="board.clear_filter", tooltip="clear the filter"),
        Binding("L", "app.open_log", "Log", id="board.log", tooltip="the decision and action log"),
        Binding("c", "app.agenda", "Agenda", id="board.agenda",
                tooltip="today's calls and deadlines: acknowledge or snooze (docked beside the board when wide)"),
        # "a" is a priority binding, as "/" is (see there): the note's letters typed in the same burst
        # reach the note bar; a character in a field being typed in.
        Binding("a", "quick_log", "Note", show=False, priority=True, id="board.note",
                tooltip="write a quick entry to the log (Tab picks the kind: note, action, call note…)"),
        Binding("D", "app.log_decision", "Decision", show=False, id="board.decision",
                tooltip="log a decision with its rationale, risk, owner and review time"),
        Binding("e", "app.escalations", "Escalations", show=False, id="board.escalations",
                tooltip="escalations panel: what the rules say to include (A acknowledges, logged)"),
        Binding("H", "app.handover", "Handover", show=False, id="board.handover", tooltip="the 18:00 handover summary"),
        Binding("R", "app.risks", "Risks", show=False, id="board.risks",
                tooltip="the risk register: open risks by residual score, 5×5 heat map, history"),
        Binding("S", "app.sitrep", "Sitrep", show=False, id="board.sitrep",
                tooltip="the upward sitrep: cut now, save as Markdown or CSV, log as sent"),
        Binding("B", "app.beds", "Beds", show=False, id="board.beds",
                tooltip="the winter bed gap: a plot per site, gap before and balance after mitigations"),
        Binding("r", "reload", "Reload", show=False, id="board.reload", tooltip="re-read the board now"),
        Binding("t", "app.next_theme", "Theme", show=False, id="board.theme", tooltip="next theme: dark, light, high contrast"),
        Binding("q", "app.quit", "Quit", show=False, id="board.quit", tooltip="quit (asks first if a form has unsaved input)"),
    ]
    AUTO_FOCUS = "BoardView"

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self._board: Board = Board()
        self._at: datetime | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine("", id="status-line")
        # Widgets not on the first frame are mounted when first needed (issue 11 item 9): the agenda
        # when the screen is wide enough to dock it, the filter field on "/", the note bar's fields on "a".
        if self.app.prompts is None:
            yield BoardView(id="board")
        else:
            with Horizontal(id="board-row"):
                yield BoardView(id="board")
        yield QuickEntry(self.app.seam, self.app.user, lazy=True, id="quick-entry")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= AGENDA_DOCK_MIN_WIDTH
        for agenda in self.query("#agenda"):
            agenda.display = wide
            return
        if wide and self.app.prompts is not None:
            from scc_tui.app.agenda.panel import AgendaPanel

            self.query_one("#board-row").mount(AgendaPanel(self.app.prompts, id="agenda"))

    async def action_quick_log(self) -> None:
        bar = self.query_one(QuickEntry)
        await bar.build()
        bar.open()

    def on_quick_entry_closed(self, _message) -> None:
        self.board_view.focus()

    def on_mount(self) -> None:
        self._update_status_line()
        self.app.store_events.subscribe(self, self.apply_store_event)
        if self.app.loaded:
            self.apply_board(self.app.board, None, self.app.clock.now())

    @property
    def board_view(self) -> BoardView:
        return self.query_one(BoardView)

    # ------------------------------------------------------------------ data in (from the App)

    def apply_store_event(self, event: StoreEvent) -> None:
        if isinstance(event, StoreChanged):
            self.apply_board(self.app.board, None if event.areas is None else set(event.areas), event.at)
        elif event.outage_since is not None:
            self.show_outage(event.outage_since)
        elif event.error is not None:
            self.show_error(event.error)

    def apply_board(self, board: Board, changed: set[int] | None, at: datetime) -> None:
        self._board = board
        self._at = at
        view = self.board_view
        if changed is not None and not self.filter_text:
            view.update_items({i: board.by_id[i] for i in changed if i in board.by_id}, at)
        else:
            self._show(at)
        self._update_status_line()

    def _show(self, at: datetime | None = None) -> None:
        at = at or self._at or self.app.clock.now()
        items = filter_items(self._board, self.filter_text)
        if not self._board.items:
            from scc_tui.app.demo_hint import empty_board_lines

            message = "\n".join(empty_board_lines({"PATH": self.app.settings.path or ""}))
        elif not items:
            message = f"Nothing matches “{self.filter_text}”. Esc clears the filter."
        else:
            message = ""
        self.board_view.set_items(items, at, message=message)

    def show_error(self, error: str) -> None:
        """A read failed for a reason other than an outage: one toast per distinct error (the app
        does not repeat one), one line."""
        if not self.app.loaded:
            self.board_view.message = f"Could not load the board: {error}"
            self.board_view.refresh()
        self.notify(_line(error), title="Board not refreshed", severity="error", timeout=6, markup=False)

    def show_outage(self, since: datetime | None) -> None:
        if since is not None and not self.app.loaded:
            self.board_view.message = "The database cannot be reached yet; retrying."
            self.board_view.refresh()
        self._update_status_line()

    def _update_status_line(self) -> None:
        now = (self._at or self.app.clock.now()).astimezone(LONDON)
        statuses = self._board.items
        leaves = [i.status for i in statuses if not i.is_group]
        counts = [sum(1 for s in leaves if s.level == n) for n in (1, 2, 3, 4)]
        stale = sum(1 for i in statuses if i.status.stale)  # areas that owe a submission (systems too)
        parts = [f"{now:%a} {now.day} {now:%b %H:%M} · {self.app.user}"]
        if self.app.loaded:
            parts.append("OPEL " + " ".join(f"{n}×{c}" for n, c in zip((4, 3, 2, 1), counts[::-1]) if c) if any(counts) else "no levels")
            if stale:
                parts.append(f"{stale} STALE")
        else:
            parts.append("loading…")
        if self.filter_text:
            parts.append(f"filter: {self.filter_text}")
        if getattr(self.app.clock, "exercise", False):
            parts.insert(0, "EXERCISE EXERCISE EXERCISE")
        since = self.app.db_down_since
        if since is not None:
            from scc_tui.app.errors import outage_line

            parts.insert(0, "⚠ " + outage_line(since))
        line = self.query_one(StatusLine)
        line.set_class(since is not None, "-outage")
        line.update(Text(_line(" · ".join(parts))))

    # ------------------------------------------------------------------ events

    def on_board_view_highlighted(self, message: BoardView.Highlighted) -> None:
        # Assess/Declare/Detail depend on there being a current row (check_action): the footer and the
        # palette must follow the cursor, including the first row selected when the board loads.
        self.refresh_bindings()

    def on_board_view_opened(self, message: BoardView.Opened) -> None:
        self.app.open_detail(message.area_id)

    def go_to(self, area_id: int) -> None:
        if not self.board_view.select_area(area_id):
            self.filter_text = ""
            if (filt := self.filter_input) is not None:
                filt.value = ""
            self._show()
            self.board_view.select_area(area_id)
        self._update_status_line()
        self.board_view.focus()

    def _current_id(self) -> int | None:
        item = self.board_view.current
        return item.area_id if item else None

    def action_open(self) -> None:
        if (area_id := self._current_id()) is not None:
            self.app.open_detail(area_id)

    def action_new_assessment(self) -> None:
        if (area_id := self._current_id()) is not None:
            self.app.open_assessment(area_id)

    def action_declare(self) -> None:
        if (area_id := self._current_id()) is not None:
            self.app.open_declaration(area_id)

    def action_reload(self) -> None:
        self.app.reload()

    @property
    def filter_input(self) -> FilterInput | None:
        """The filter field, once "/" has mounted it."""
        for filt in self.query("#filter").results(FilterInput):
            return filt
        return None

    async def action_filter(self) -> None:
        filt = self.filter_input
        if filt is None:  # awaited: the keys after "/" in one burst wait for the field, then reach it
            filt = FilterInput(placeholder="filter: name, level (4, opel 3) or 'stale'; Esc clears", id="filter")
            await self.mount(filt, before=self.query_one(QuickEntry))
        filt.display = True
        # Focus now, not after the queued keys: ``Widget.focus()`` is deferred (call_later), so in a
        # burst ("/Maidstone", a bunched SSH read) the first letters would reach the board's keys.
        self.set_focus(filt)

    def action_clear_filter(self) -> None:
        changed = bool(self.filter_text)
        self.filter_text = ""
        if (filt := self.filter_input) is not None:
            filt.value = ""
            filt.display = False
        self.set_focus(self.board_view)
        if changed:
            self._show()
            self._update_status_line()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.filter_text = event.value.strip()
            self._show()
            self._update_status_line()

    def filter_done(self) -> None:
        """Enter in the filter field: keep the filter, back to the board (now: the burst's next key is the board's)."""
        if not self.filter_text and (filt := self.filter_input) is not None:
            filt.display = False
        self.set_focus(self.board_view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_assessment", "declare", "open"):
            return self.board_view.current is not None or None
        if action in ("filter", "quick_log"):  # "/" and "a" are characters in a field being typed in
            return not is_text_field(self.focused)
        return True

    def has_unsaved_input(self) -> bool:
        return False

    @property
    def board_items(self) -> list[Any]:
        return self.board_view.items
