"""A yes/no question (quit with unsaved input, discard a form)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, id="question", markup=False)
            yield Static("y  yes    n / Esc  no", id="answers")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def cancel_form(screen, question: str) -> None:
    """Dismiss a form screen, asking first (``question``) if it has unsaved input."""
    if not screen.has_unsaved_input():
        screen.dismiss(None)
        return

    def decided(yes: bool | None) -> None:
        if yes:
            screen.dismiss(None)

    screen.app.push_screen(ConfirmScreen(question), decided)
