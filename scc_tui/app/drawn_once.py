"""A long Rich renderable drawn once per width.

Textual draws a widget's content twice or more for one frame: once to measure its height (for the
scrolling container's layout), again to paint it, and again on each partial update. For a day's
handover as Rich Markdown that is ~0.25 s a time. :class:`DrawnOnce` keeps the lines drawn at each
width (a resize draws once more), so a screen of Markdown costs one draw, not three.

:class:`Sections` cuts a Markdown document at its level-2 headings, each section drawn once, so that a
screen shows the sections that fill its first screenful at once and the rest a frame later (the day's
table of every area is the costliest part to draw, and below the first screenful at 80x24). Drawn
whole, the sections are line for line what the document drawn as one is.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

import re

__all__ = ["DrawnOnce", "Sections", "markdown", "markdown_sections"]


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


#: A level-2 heading that begins a block (after a blank line): where a document is cut into sections.
_SECTION = re.compile(r"(?m)(?<=\n\n)(?=## )")


class Sections:
    """Markdown sections, each drawn once per width, the first ``shown`` of them (all by default), with
    the blank line between them that the document drawn as one has."""

    def __init__(self, sources: list[str], parts: list[DrawnOnce], shown: int | None = None) -> None:
        self.sources = sources
        self.parts = parts
        self.shown = len(parts) if shown is None else shown

    @property
    def complete(self) -> bool:
        return self.shown >= len(self.parts)

    def first(self, height: int) -> "Sections":
        """The sections that end within ``height`` lines (counted in source lines), at least two (the
        title and the first section): what to draw for the first frame."""
        shown, lines = 0, 0
        for source in self.sources:
            lines += source.count("\n") + 1
            if shown >= 2 and lines > height:
                break
            shown += 1
        return Sections(self.sources, self.parts, shown)

    def whole(self) -> "Sections":
        return Sections(self.sources, self.parts)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for i, part in enumerate(self.parts[: self.shown]):
            if i:
                yield Segment.line()
            yield from part.__rich_console__(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        measures = [part.__rich_measure__(console, options) for part in self.parts[: self.shown]]
        return Measurement(max((m.minimum for m in measures), default=0), max((m.maximum for m in measures), default=0))


def markdown_sections(text: str) -> Sections:
    """:func:`markdown`, cut at its level-2 headings (see :class:`Sections`)."""
    sources = [part.rstrip("\n") for part in _SECTION.split(text)]
    return Sections(sources, [markdown(source) for source in sources])


def show_markdown(static, text: str | Sections, height: int) -> None:  # noqa: ANN001 - a textual Static
    """Put Markdown ``text`` on ``static``: the sections within ``height`` lines now, the whole document
    after the next refresh (unless something newer was shown on it meanwhile). ``text`` may be
    :func:`markdown_sections` already (parsed in a worker: markdown-it's parse is not the UI's to wait on)."""
    sections = text if isinstance(text, Sections) else markdown_sections(text)
    first = sections.first(height)
    static.scc_sections = sections
    static.update(first)
    if not first.complete:
        def rest() -> None:
            if getattr(static, "scc_sections", None) is sections and static.is_attached:
                static.update(sections.whole())

        static.call_after_refresh(rest)
