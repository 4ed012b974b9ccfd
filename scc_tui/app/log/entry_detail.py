"""One log entry in full (a modal over the log)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from scc_tui.app.log.model import LogRow
from scc_tui.app.log.render import detail_table


class EntryDetail(ModalScreen[str | None]):
    """One entry in full. Dismisses with ``"correct"`` when ``c`` is pressed, else None."""

    DEFAULT_CSS = """
    EntryDetail { align: center middle; }
    EntryDetail #ed-dialog {
        width: 100%; max-width: 110; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    EntryDetail #ed-body { height: auto; max-height: 1fr; }
    EntryDetail #ed-hint { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="entry.close", tooltip="close the entry"),
        Binding("c", "correct", "Correct", id="entry.correct", tooltip="correct this entry (a new entry pointing at it)"),
        # a modal screen: the app's ? does not reach through it
        Binding("question_mark", "app.help", "Help", id="entry.help", tooltip="every key (this help)"),
    ]

    def __init__(self, row: LogRow, *, due: bool = False) -> None:
        super().__init__()
        self.row = row
        self.due = due

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ed-dialog"):
            yield Static(detail_table(self.row, due=self.due), id="ed-body")
            yield Static(Text("Esc close · c correct (a new entry that points at this one)"), id="ed-hint")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_correct(self) -> None:
        self.dismiss("correct")
