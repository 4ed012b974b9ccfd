"""app/drawn_once.py: a long renderable is drawn once per width (Textual draws content to measure it
and again to paint it), and what it draws is exactly what the renderable itself draws."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown

from scc_tui.app.drawn_once import DrawnOnce, Sections, markdown, markdown_sections, show_markdown

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


DOC = (
    "# SCC handover — Monday 23 November 2026 10:30 (GMT)\n\n## Areas at OPEL 3 or 4\n\n"
    + "".join(f"- **Area {i}**: OPEL 4, day {i} at level\n" for i in range(6))
    + "\n## Every area: level and change today\n\n| Area | Level |\n|---|---|\n"
    + "".join(f"| Area {i} | OPEL {i % 4 + 1} |\n" for i in range(30))
    + "\n## Prompts missed or not acknowledged\n\n- None.\n\n## Log head\n\n- #3 `note` text with ## inside\n"
)


def test_sections_drawn_whole_are_line_for_line_the_document():
    sections = markdown_sections(DOC)
    assert [s.splitlines()[0] for s in sections.sources] == [
        "# SCC handover — Monday 23 November 2026 10:30 (GMT)", "## Areas at OPEL 3 or 4",
        "## Every area: level and change today", "## Prompts missed or not acknowledged", "## Log head"]
    for width in (40, 78, 158):
        assert _lines(sections, width) == _lines(Markdown(DOC, hyperlinks=False), width)


def test_the_first_screenful_is_the_sections_that_end_within_it():
    sections = markdown_sections(DOC)
    first = sections.first(21)
    assert first.shown == 2 and not first.complete  # the title and the first section; the table later
    assert "Area 5" in "\n".join(_lines(first, 78)) and "Every area" not in "\n".join(_lines(first, 78))
    assert sections.first(1).shown == 2  # never less than the title and one section
    assert sections.first(10_000).complete


async def test_a_screen_shows_the_first_sections_then_the_whole(tmp_path):
    from textual.app import App
    from textual.widgets import Static

    class One(App):
        def compose(self):
            yield Static(id="md")

    app = One()
    async with app.run_test(size=(80, 24)) as pilot:
        static = app.query_one("#md", Static)
        show_markdown(static, DOC, 21)
        shown = static.content
        assert isinstance(shown, Sections) and shown.shown == 2
        await pilot.pause()
        await pilot.pause()
        shown = static.content
        assert isinstance(shown, Sections) and shown.complete
        # A newer document before the first one's rest is drawn: the old rest never lands over it.
        show_markdown(static, DOC, 21)
        show_markdown(static, "# Other\n\n## One\n\nx\n", 21)
        await pilot.pause()
        await pilot.pause()
        shown = static.content
        assert shown.sources[0] == "# Other"
