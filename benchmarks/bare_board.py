"""The framework floor for ``first_paint.py``: a bare Textual app painting N bordered ``Static`` tiles
(name and "OPEL n") in a scrolling grid, with a ``Footer``. Nothing of scc is imported.

    .venv/bin/python benchmarks/bare_board.py N
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import ItemGrid, VerticalScroll
from textual.widgets import Footer, Static


class BareBoard(App):
    CSS = """
    ItemGrid { height: auto; grid-gutter: 0 1; }
    .tile { border: round $primary; height: 4; }
    """
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("enter", "bell", "Detail")]

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            with ItemGrid(min_column_width=30):
                for i in range(self.n):
                    yield Static(f"Area {i:04d}\nOPEL {i % 4 + 1}", classes="tile")
        yield Footer()


if __name__ == "__main__":
    BareBoard(int(sys.argv[1]) if len(sys.argv) > 1 else 40).run()
