"""The prompt bar: one line above the footer saying what just fell due, at the item's own time.

It replaces the toasts that covered half the board at 80×24. ``Esc`` dismisses it (the prompt stays
in the agenda, unacknowledged, until someone acknowledges it there); the agenda has the
full list. It sits on the current full screen and moves with the user from screen to screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

__all__ = ["PromptBar"]


class PromptBar(Horizontal):
    DEFAULT_CSS = """
    PromptBar {
        height: 1;
        width: 100%;
        background: $warning;
        color: #000000;
        text-style: bold;
    }
    PromptBar > #prompt-bar-text {
        width: 1fr;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PromptBar > #prompt-bar-keys {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: none;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(id="prompt-bar")
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text, id="prompt-bar-text", markup=False)
        yield Static("Esc hide", id="prompt-bar-keys", markup=False)

    def update(self, text: str) -> None:
        self.text = text
        for label in self.query("#prompt-bar-text").results(Static):  # none yet: compose uses self.text
            label.update(text)
