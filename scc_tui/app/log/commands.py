"""The log's command palette entries."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from scc_tui.app.log.screen import show_decision_form, show_log


class LogCommands(Provider):
    """Command palette: 'Open log', 'Log a note…', 'Log a decision…'."""

    COMMANDS: tuple[tuple[str, Callable[[App], Any], str], ...] = (
        ("Open log", lambda app: show_log(app), "the decision and action log, newest first"),
        ("Log a note…", lambda app: show_log(app, "add"), "one line: note, action, call note…"),
        ("Log a decision…", show_decision_form, "with rationale, risk, owner, review time"),
    )

    async def discover(self) -> Hits:
        for text, fn, help_text in self.COMMANDS:
            yield DiscoveryHit(text, partial(fn, self.app), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, fn, help_text in self.COMMANDS:
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(fn, self.app), text=text, help=help_text)
