"""Every key, generated from the bindings the screens declare (their ``BINDINGS``: one source).

Each binding has an id (``board.declare``), a short description (the footer's word) and, where the
word is not enough, a ``tooltip`` with the longer text shown here and on hover in the footer. The
README's key table is generated from the same data: ``python -m scc_tui.app.screens.help`` rewrites it
(``tests/app/test_keys.py`` checks the README holds exactly that).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

#: (section title, the classes whose BINDINGS it lists), in the order the help shows them. Classes are
#: named, not imported by path: they are found in the ``scc_tui.app`` package wherever they live.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Board", ("BoardView", "BoardScreen", "FilterInput")),
    ("Quick note (a on the board)", ("QuickEntry",)),
    ("Area detail", ("DetailScreen",)),
    ("New assessment", ("AssessmentScreen",)),
    ("Declare level", ("DeclareScreen",)),
    ("Decision log", ("LogTable", "LogScreen")),
    ("Log entry", ("EntryDetail",)),
    ("Decision form", ("DecisionForm",)),
    ("Agenda (calls and deadlines)", ("AgendaPanel", "AgendaScreen")),
    ("Snooze", ("SnoozeScreen",)),
    ("Handover", ("HandoverScreen",)),
    ("Upward sitrep", ("SitrepScreen",)),
    ("Escalations", ("EscalationsScreen",)),
    ("Risk register", ("RisksScreen",)),
    ("Winter bed gap", ("BedsScreen",)),
    ("Exercise mode only (scc exercise run / join)", ("ExerciseApp",)),
    ("Hot debrief (at ENDEX)", ("HotDebriefScreen",)),
    ("Add lesson (n at the hot debrief)", ("LessonForm",)),
    ("Questions (y / n)", ("ConfirmScreen",)),
    ("Help", ("HelpScreen",)),
    ("Anywhere", ("SccApp",)),
)

#: How the help spells Textual's key names.
KEY_NAMES = {
    "up": "↑", "down": "↓", "left": "←", "right": "→", "enter": "Enter", "escape": "Esc", "tab": "Tab",
    "shift+tab": "Shift+Tab", "home": "Home", "end": "End", "pageup": "PgUp", "pagedown": "PgDn",
    "question_mark": "?", "slash": "/", "space": "Space", "delete": "Del", "backspace": "Backspace",
    "left_square_bracket": "[", "right_square_bracket": "]",
}


@dataclass(frozen=True)
class KeyRow:
    id: str
    keys: str  # as the help spells them: "↑ k"
    text: str  # what the key does, in words


def key_label(key: str) -> str:
    """One Textual key name as a person types it: ``ctrl+s`` -> ``Ctrl+S``, ``question_mark`` -> ``?``."""
    key = key.strip()
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if key.startswith(("ctrl+", "shift+", "alt+")):
        mod, _, rest = key.rpartition("+")
        return "+".join(m.capitalize() for m in mod.split("+")) + "+" + key_label(rest).upper()
    if len(key) == 1:
        return key
    return key.upper() if key.startswith("f") and key[1:].isdigit() else key.capitalize()


def keys_label(binding: Binding) -> str:
    return " ".join(key_label(k) for k in binding.key.split(","))


_CLASSES: dict[str, type] = {}


def app_classes() -> dict[str, type]:
    """Every class defined in the ``scc_tui.app`` package that declares ``BINDINGS``, by name."""
    if not _CLASSES:
        import inspect
        import pkgutil

        import scc_tui.app
        from textual.dom import DOMNode

        for info in pkgutil.walk_packages(scc_tui.app.__path__, "scc_tui.app."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and issubclass(cls, DOMNode) and cls.__dict__.get("BINDINGS"):
                    _CLASSES[name] = cls
    return _CLASSES


def declared(name: str) -> list[Binding]:
    """The bindings a class declares itself (its ``BINDINGS``, not those it inherits)."""
    cls = app_classes()[name]
    return [b if isinstance(b, Binding) else Binding(*b) for b in cls.__dict__.get("BINDINGS", [])]


def sections() -> Iterator[tuple[str, list[KeyRow]]]:
    """Every section with its keys, in order; a binding id appears once (its first section)."""
    seen: set[str] = set()
    for title, specs in SECTIONS:
        rows: list[KeyRow] = []
        for spec in specs:
            for b in declared(spec):
                bid = b.id or f"{spec}:{b.action}"
                if bid in seen:
                    continue
                seen.add(bid)
                rows.append(KeyRow(bid, keys_label(b), b.tooltip or b.description))
        if title == "Anywhere":
            rows.append(KeyRow("app.command_palette", "Ctrl+P",
                               "command palette: go to an area, assess, declare, log, agenda, handover, theme"))
        if rows:
            yield title, rows


def all_bindings() -> Iterable[tuple[str, Binding]]:
    """(class spec, binding) for every binding of every class the help lists."""
    for _title, specs in SECTIONS:
        for spec in specs:
            for b in declared(spec):
                yield spec, b


def binding_ids() -> set[str]:
    """Every binding id a keymap file may name."""
    return {b.id for _spec, b in all_bindings() if b.id}


FILTER_ROWS = (
    ("/ kent", "areas whose name contains 'kent' (a group keeps its areas)"),
    ("/ 4  / opel 3", "areas at that level"),
    ("/ stale", "areas whose daily submission is overdue (groups are kept for context)"),
)


KEYS_WIDTH = 13


def _grid(rows: Iterable[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(width=KEYS_WIDTH, no_wrap=True)
    table.add_column()
    for keys, text in rows:
        table.add_row(Text(keys, style="bold"), text)
    return table


def _section(title: str, rows: Iterable[tuple[str, str]]) -> Group:
    return Group(Text(title, style="bold underline"), _grid(rows), Text(""))


def help_table() -> Group:
    """Each section's title, then its keys (the key column the same width in every section)."""
    parts = [_section(title, ((r.keys, r.text) for r in rows)) for title, rows in sections()]
    return Group(*parts, _section("Board filter", FILTER_ROWS))


def section_of(screen: object) -> str | None:
    """The help section of a screen (the one listing its class), so help opens at that screen's keys."""
    name = type(screen).__name__
    return next((title for title, names in SECTIONS if name in names), None)


def markdown_table() -> str:
    """The README's key table (between its ``keys`` markers)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| Where | Keys | What | Id (for the keymap file) |", "|---|---|---|---|"]
    for title, rows in sections():
        for i, row in enumerate(rows):
            keys = " ".join(f"`{k}`" for k in row.keys.split(" "))
            rid = f"`{row.id}`" if row.id != "app.command_palette" else ""
            lines.append(f"| {cell(title) if i == 0 else ''} | {cell(keys)} | {cell(row.text)} | {rid} |")
    return "\n".join(lines) + "\n"


README_BEGIN = "<!-- keys:begin (generated: python -m scc_tui.app.screens.help) -->"
README_END = "<!-- keys:end -->"


def readme_with_table(readme: str) -> str:
    """``readme`` with the text between its key-table markers replaced by :func:`markdown_table`."""
    head, _, rest = readme.partition(README_BEGIN)
    _, _, tail = rest.partition(README_END)
    return f"{head}{README_BEGIN}\n{markdown_table()}{README_END}{tail}"


class HelpScreen(ModalScreen[None]):
    """Every key; opened from a screen, it starts at that screen's section."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help.close",
                        tooltip="close this help")]

    def __init__(self, section: str | None = None) -> None:
        super().__init__()
        self.section = section

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("Keys (no mouse needed; to rebind, see the README's keymap.toml)", style="bold"),
                         id="help-title")
            for title, rows in sections():
                yield Static(_section(title, ((r.keys, r.text) for r in rows)), classes="help-section",
                             name=title)
            yield Static(_section("Board filter", FILTER_ROWS), classes="help-section", name="Board filter")
        yield Footer()

    def on_mount(self) -> None:
        if self.section and self.section != SECTIONS[0][0]:  # the first section is at the top anyway
            for widget in self.query(".help-section"):
                if widget.name == self.section:
                    self.call_after_refresh(self.query_one("#help", VerticalScroll).scroll_to_widget,
                                            widget, animate=False, top=True)
                    break

    def action_close(self) -> None:
        self.dismiss(None)


if __name__ == "__main__":  # pragma: no cover - rewrites the README's key table in place
    import sys
    from pathlib import Path

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(readme_with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{path}: key table written")
