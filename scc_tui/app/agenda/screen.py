"""The agenda full-screen (for terminals too narrow to dock it beside the board, e.g. 80x24)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from scc_tui.app.agenda.panel import AgendaPanel


class AgendaScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="agenda.back", tooltip="back to the board")]
    AUTO_FOCUS = "AgendaPanel"

    def compose(self) -> ComposeResult:
        yield AgendaPanel(self.app.prompts, id="agenda-full")
        yield Footer()
