"""app/drawn_once.py: a long renderable is drawn once per width (Textual draws content to measure it
and again to paint it), and what it draws is exactly what the renderable itself draws."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown

from scc_tui.app.drawn_once import DrawnOnce, markdown

TEXT = "# Handover\n\n- **QEQM Hospital** at OPEL 4 since Mon 09:10 " + "with a long reason " * 12 + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"


class Counting:
    def __init__(self, inner) -> None:
        self.inner, self.draws = inner, 0

    def __rich_console__(self, console, options):
        self.draws += 1
        yield self.inner


def _lines(renderable, width: int) -> list[str]:
    console = Console(width=width, record=False, color_system="truecolor", legacy_windows=False)
    with console.capture() as cap:
        console.print(renderable)
    return cap.get().splitlines()


def test_the_same_lines_as_the_markdown_itself_at_each_width():
    for width in (40, 76, 158):
        assert _lines(markdown(TEXT), width) == _lines(Markdown(TEXT, hyperlinks=False), width)


def test_drawn_once_per_width():
    counted = Counting(Markdown(TEXT))
    once = DrawnOnce(counted)
    for _ in range(3):
        _lines(once, 76)
    assert counted.draws == 1
    _lines(once, 60)  # a resize: one more draw
    _lines(once, 76)
    assert counted.draws == 2
