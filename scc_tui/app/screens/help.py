"""Every key, from the keymap data."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from scc_tui.app import keymap


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(min_width=12, no_wrap=True)
    table.add_column()
    for title, keys in keymap.all_sections():
        table.add_row(Text(title, style="bold underline"), "")
        for k in keys:
            table.add_row(Text(k.shown_keys, style="bold"), k.description if k.action == "" else _describe(k))
        table.add_row("", "")
    table.add_row(Text("Filter", style="bold underline"), "")
    table.add_row(Text("/ kent", style="bold"), "areas whose name contains 'kent' (a group keeps its areas)")
    table.add_row(Text("/ 4  / opel 3", style="bold"), "areas at that level")
    table.add_row(Text("/ stale", style="bold"), "areas whose daily submission is overdue (groups are kept for context)")
    return table


_LONG = {
    "open": "area detail: parameters, bands, computed vs declared, history",
    "new_assessment": "new assessment for the highlighted area",
    "declare": "declare the highlighted area's level (reason needed if it differs)",
    "filter": "filter the board",
    "clear_filter": "clear the filter",
    "reload": "re-read the board now",
    "app.next_theme": "next theme: dark, light, high contrast",
    "app.help": "this help",
    "app.quit": "quit (asks first if a form has unsaved input)",
    "back": "back to the board",
    "save": "save",
    "cancel": "cancel (asks first if anything was typed)",
}


def _describe(k: keymap.Key) -> str:
    return _LONG.get(k.action, k.description)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("Keys  (everything works without a mouse)", style="bold"), id="help-title")
            yield Static(help_table(), id="help-table")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
