"""A long Rich renderable drawn once per width.

Textual draws a widget's content twice or more for one frame: once to measure its height (for the
scrolling container's layout), again to paint it, and again on each partial update. For a day's
handover as Rich Markdown that is ~0.25 s a time. :class:`DrawnOnce` keeps the lines drawn at each
width (a resize draws once more), so a screen of Markdown costs one draw, not three.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

__all__ = ["DrawnOnce", "markdown"]


class DrawnOnce:
    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._lines: dict[tuple[int, bool], list[list[Segment]]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (options.max_width, options.no_wrap)
        lines = self._lines.get(key)
        if lines is None:
            lines = console.render_lines(self.renderable, options.update(height=None), pad=False)
            self._lines[key] = lines
        new_line = Segment.line()
        for line in lines:
            yield from line
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


def markdown(text: str) -> DrawnOnce:
    """Markdown as one renderable, drawn once per width; links printed as text with their address, never
    as terminal hyperlinks (OSC 8)."""
    from rich.markdown import Markdown

    return DrawnOnce(Markdown(text, hyperlinks=False))
