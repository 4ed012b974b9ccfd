"""Every key, as data: screens build their bindings from here and the help screen lists it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma-separated
    action: str
    description: str
    show: bool = True  # in the footer
    label: str | None = None  # how the help screen spells the keys

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.description, show=self.show)

    @property
    def shown_keys(self) -> str:
        return self.label or " ".join(k.strip() for k in self.keys.split(","))


BOARD_MOVE = [
    Key("up,k", "", "previous row", show=False, label="↑ k"),
    Key("down,j", "", "next row", show=False, label="↓ j"),
    Key("left,h,right,l", "", "previous / next tile", show=False, label="← → h l"),
    Key("home,end", "", "first / last area", show=False, label="Home End g G"),
    Key("pageup,pagedown", "", "page up / down", show=False, label="PgUp PgDn"),
]

BOARD = [
    Key("enter", "open", "Detail", label="Enter"),
    Key("n", "new_assessment", "Assess"),
    Key("d", "declare", "Declare"),
    Key("slash", "filter", "Filter", label="/"),
    Key("escape", "clear_filter", "Clear", show=False, label="Esc"),
    Key("a", "quick_log", "Log"),
    Key("L", "app.open_log", "Log view", label="L"),
    Key("D", "app.log_decision", "Decision", show=False, label="D"),
    Key("c", "app.agenda", "Agenda"),
    Key("e", "app.escalations", "Escalations"),
    Key("H", "app.handover", "Handover", show=False, label="H"),
    Key("r", "reload", "Reload", show=False),
    Key("t", "app.next_theme", "Theme"),
    Key("question_mark", "app.help", "Help", label="?"),
    Key("q", "app.quit", "Quit"),
]

DETAIL = [
    Key("escape", "back", "Back", label="Esc"),
    Key("n", "new_assessment", "Assess"),
    Key("d", "declare", "Declare"),
    Key("e", "escalations", "Escalations"),
    Key("question_mark", "app.help", "Help", label="?"),
    Key("q", "app.quit", "Quit"),
]

FORM = [
    Key("ctrl+s", "save", "Save", label="Ctrl+S"),
    Key("escape", "cancel", "Cancel", label="Esc"),
    Key("tab,shift+tab", "", "next / previous field", show=False, label="Tab S-Tab"),
]

DECLARE = [
    Key("1,2,3,4", "", "choose OPEL 1-4 (outside the reason field)", show=False, label="1 2 3 4"),
    Key("ctrl+s", "save", "Declare", label="Ctrl+S"),
    Key("escape", "cancel", "Cancel", label="Esc"),
]

GLOBAL = [
    Key("ctrl+p", "", "command palette: go to area, assess, declare, theme", show=False, label="Ctrl+P"),
    Key("ctrl+q", "", "quit (asks first if a form has unsaved input)", show=False, label="Ctrl+Q"),
]

SECTIONS: list[tuple[str, list[Key]]] = [
    ("Board: moving", BOARD_MOVE),
    ("Board", BOARD),
    ("Area detail", DETAIL),
    ("New assessment", FORM),
    ("Declare level", DECLARE),
    ("Anywhere", GLOBAL),
]


def all_sections() -> list[tuple[str, list[Key]]]:
    """Every section, including the screens whose modules import this one (hence imported here)."""
    from scc_tui.app.screens.decision_form import DECISION_FORM_KEYS
    from scc_tui.app.screens.escalations_screen import ESCALATION_KEYS
    from scc_tui.app.screens.handover_screen import HANDOVER_KEYS
    from scc_tui.app.screens.log_screen import LOG_KEYS
    from scc_tui.app.widgets.agenda import AGENDA_KEYS

    return SECTIONS[:-1] + [
        ("Decision log", LOG_KEYS),
        ("Decision form", DECISION_FORM_KEYS),
        ("Agenda (calls and deadlines)", AGENDA_KEYS),
        ("Handover", HANDOVER_KEYS),
        ("Escalations", ESCALATION_KEYS),
    ] + SECTIONS[-1:]


def form_focus_bindings(*, enter: bool = False) -> list[Binding]:
    """Tab / Shift+Tab (and, for one-line fields, Enter) as *priority* bindings of a form screen.

    Textual delivers a non-priority Tab to the focused field and moves focus only when the key has
    bubbled back up to the app, several message hops later; keys typed in the same burst ("1 Tab 2"
    from a fast typist, a paste, or a slow SSH link delivering keys in one read) have by then already
    been forwarded to the old field, so "2" lands in the first field. A priority binding is handled
    by the app as it reads the key, before the next key is forwarded. Enter moves on only from a
    one-line ``Input`` (the screen's ``check_action`` for ``next_field`` says when).
    """
    out = [
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]
    if enter:
        out.append(Binding("enter", "next_field", "Next field", show=False, priority=True))
    return out


def bindings(keys: list[Key]) -> list[Binding]:
    return [k.binding() for k in keys if k.action]
