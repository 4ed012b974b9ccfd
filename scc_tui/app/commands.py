"""Command palette providers: go to an area, new assessment, declare level (Ctrl+P)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from scc_tui.app.safe import line as _line
from scc_tui.app.safe import markup as escape


class AreaCommands(Provider):
    """'Go to area…', 'New assessment…', 'Declare level…' for every area on the board."""

    VERBS = (
        ("Go to area", "go_to_area", "highlight it on the board"),
        ("Area detail", "open_detail", "parameters, bands, history"),
        ("New assessment", "open_assessment", "enter parameter values"),
        ("Declare level", "open_declaration", "declare OPEL 1-4 with a reason"),
    )

    def _commands(self):
        app = self.app
        for verb, method, help_text in self.VERBS:
            for status in app.statuses:
                if method == "open_assessment" and not status.method:
                    continue
                level = f" (OPEL {status.level})" if status.level is not None else ""
                yield f"{verb}: {_line(status.name)}", partial(getattr(app, method), status.area_id), f"{help_text}{level}"

    async def discover(self) -> Hits:
        app = self.app
        current = None
        screen = app.screen
        if hasattr(screen, "board_view") and screen.board_view.current is not None:
            current = screen.board_view.current.status
        if current is not None:
            for verb, method, help_text in self.VERBS[1:]:
                if method == "open_assessment" and not current.method:
                    continue
                label = f"{verb}: {_line(current.name)}"
                yield DiscoveryHit(Text(label), partial(getattr(app, method), current.area_id), text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                # highlight() parses markup: a stored "[link=…]" in a name must stay text
                yield Hit(score, matcher.highlight(escape(text)), command, text=text, help=help_text)
