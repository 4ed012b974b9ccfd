"""Issue 9 item 5, audited over every screen: no letter that moves the cursor anywhere performs a
logged act anywhere (the acts are listed here; add new ones)."""

from __future__ import annotations

import importlib

from textual.binding import Binding

CLASSES = [
    "scc_tui.app.app:SccApp",
    "scc_tui.app.agenda.screen:AgendaScreen",
    "scc_tui.app.board.screen:BoardScreen",
    "scc_tui.app.screens.confirm:ConfirmScreen",
    "scc_tui.app.screens.declare:LevelPicker",
    "scc_tui.app.screens.declare:DeclareScreen",
    "scc_tui.app.screens.assess:AssessmentScreen",
    "scc_tui.app.log.decision_form:DecisionForm",
    "scc_tui.app.log.table:LogTable",
    "scc_tui.app.log.entry_detail:EntryDetail",
    "scc_tui.app.log.screen:LogScreen",
    "scc_tui.app.screens.help:HelpScreen",
    "scc_tui.app.screens.handover_screen:HandoverScreen",
    "scc_tui.app.board.detail:DetailScreen",
    "scc_tui.app.agenda.panel:AgendaPanel",
    "scc_tui.app.agenda.panel:SnoozeScreen",
    "scc_tui.app.log.quick_entry:QuickEntry",
    "scc_tui.app.board.view:BoardView",
    "scc_tui.app.debrief:HotDebriefScreen",
    "scc_tui.app.lesson_form:LessonForm",
]

#: Actions that write to the log (or a prompt record) the moment they run.
LOGGED_ACTS = {"acknowledge", "log_handover"}
MOVEMENT = ("cursor", "scroll", "first", "last", "move", "page")


def _bindings():
    for spec in CLASSES:
        module, name = spec.split(":")
        cls = getattr(importlib.import_module(module), name)
        for b in getattr(cls, "BINDINGS", []):
            b = b if isinstance(b, Binding) else Binding(*b)
            action = b.action.split(".")[-1].split("(")[0]
            for key in b.key.split(","):
                yield name, key.strip(), action


def test_no_movement_letter_performs_a_logged_act():
    bindings = list(_bindings())
    movement = {k for _, k, a in bindings if len(k) == 1 and a.startswith(MOVEMENT)}
    assert {"h", "j", "k", "l", "g", "G"} <= movement  # the audit sees the board's and the log's keys
    bad = [(name, key, action) for name, key, action in bindings if action in LOGGED_ACTS and key in movement]
    assert bad == []


def test_every_logged_act_is_bound_somewhere():
    """The list above is not stale (asking first is tested on each screen: agenda, handover)."""
    assert LOGGED_ACTS <= {a for _, _, a in _bindings()}
