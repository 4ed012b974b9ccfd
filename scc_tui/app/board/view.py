"""The board: one virtualised widget for every area (Line API, like Toolong).

Nothing is mounted per area. :class:`BoardView` keeps a list of :class:`~scc_tui.app.board.model.BoardItem`
and a layout mapping each virtual line to what is drawn on it; ``render_line`` builds a
:class:`~textual.strip.Strip` only for the lines on screen (cached per line). An update to one area
invalidates only that area's lines (``refresh_lines``).

Two layouts, chosen by width:

* **compact** (< ``WIDE_MIN`` columns): one line per area, in hierarchy order;
* **wide**: group headers on their own line, leaves as 3-line tiles packed into a grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from scc_tui.app import levelstyle
from scc_tui.app.safe import line as _inert
from scc_tui.domain.groups import short_names
from scc_tui.app.board.model import (
    BoardItem,
    fmt_day,
    fmt_hold,
    fmt_score,
    fmt_trend,
    fmt_when,
)

WIDE_MIN = 110
TILE_MIN = 30
TILE_GAP = 2
TILE_HEIGHT = 3
MARKER = "▶"
#: Group kinds that report a level of their own: shown as "own —" until they declare one.
OWN_LEVEL_KINDS = frozenset({"ics", "system", "council"})


def palette(variables: dict[str, str], *, high_contrast: bool = False) -> dict[str, Style]:
    """Rich styles for the board from a theme's resolved variables.

    Alpha colours are blended over the background here (a partial Rich style cannot carry alpha).
    The level styles are ``app/levelstyle.py``'s (one source for the board, detail and forms).
    """
    bg = Color.parse(variables.get("background", "#000000"))
    fg = Color.parse(variables.get("foreground", "#ffffff"))

    def over(name: str, alpha: float | None = None, base: Color = bg) -> str:
        colour = Color.parse(variables.get(name, "#808080"))
        if alpha is not None:
            colour = colour.with_alpha(alpha)
        return (base + colour).hex

    muted = fg.hex if high_contrast else (bg + fg.with_alpha(0.62)).hex
    return {
        **{f"opel-{n}": levelstyle.rich_style(n, variables) for n in levelstyle.LEVELS},
        "nolevel": Style(color=muted),
        "tile": Style(bgcolor=over("surface")),
        "cursor": Style(bgcolor=over("primary", 0.45), bold=True) if not high_contrast else Style(color="#000000", bgcolor=over("primary"), bold=True),
        "group": Style(bold=True),
        "stale": Style(color=variables.get("text-error", "#ff4040") if not high_contrast else "#ff4040", bold=True),
        "dim": Style(color=muted),
        "message": Style(color=muted, italic=True),
    }


@dataclass(frozen=True)
class _Line:
    kind: str  # "blank" | "item" (one item's line) | "row" (a row of tiles)
    items: tuple[int, ...] = ()  # indexes into BoardView.items
    sub: int = 0  # line within the item/tile


def _name(status, room: int) -> str:
    """The area's name, or its short name when the name would be cut and a short name fits better
    ("K&C Hospital", not "Kent & Canterbury Hospi…")."""
    name = _inert(status.name)
    short = status.short_name
    if short and cell_len(name) > room:
        return _inert(short)
    return name


def _cut(segments: list[Segment], width: int) -> list[Segment]:
    """Segments cut to ``width`` cells, ending in "…" when anything was cut."""
    if sum(cell_len(s.text) for s in segments) <= width or width <= 0:
        return segments
    kept = list(Strip(segments).crop(0, width - 1))
    style = kept[-1].style if kept else None
    return kept + [Segment("…", style)]


def _fit(text: str, width: int) -> str:
    """Pad or truncate to exactly ``width`` cells (truncation ends with an ellipsis)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class BoardView(ScrollView, can_focus=True):
    """Every area's OPEL at a glance; arrow keys / j k move the highlighted tile."""

    DEFAULT_CSS = """
    BoardView {
        background: $background;
        color: $foreground;
        scrollbar-size-vertical: 1;
    }
    """

    BINDINGS = [
        Binding("enter", "open", "Detail", id="board.detail",
                tooltip="area detail: parameters, bands, computed vs declared, history"),
        Binding("up,k", "cursor_up", "Up", show=False, id="board.up", tooltip="previous row"),
        Binding("down,j", "cursor_down", "Down", show=False, id="board.down", tooltip="next row"),
        Binding("left,h", "cursor_left", "Left", show=False, id="board.left", tooltip="previous tile"),
        Binding("right,l", "cursor_right", "Right", show=False, id="board.right", tooltip="next tile"),
        Binding("home,g", "cursor_first", "First", show=False, id="board.first", tooltip="first area"),
        Binding("end,G", "cursor_last", "Last", show=False, id="board.last", tooltip="last area"),
        Binding("pageup", "page_up", "Page up", show=False, id="board.page_up", tooltip="page up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="board.page_down", tooltip="page down"),
    ]

    cursor: reactive[int] = reactive(0, init=False, always_update=True)

    class Highlighted(Message):
        def __init__(self, area_id: int | None) -> None:
            self.area_id = area_id
            super().__init__()

    class Opened(Message):
        def __init__(self, area_id: int) -> None:
            self.area_id = area_id
            super().__init__()

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.items: list[BoardItem] = []
        self.now: datetime | None = None
        self.message: str = "loading…"
        self._index: dict[int, int] = {}
        self._lines: list[_Line] = []
        self._rows: list[tuple[int, ...]] = []  # cursor rows (for up/down)
        self._row_of: dict[int, int] = {}
        self._regions: dict[int, Region] = {}  # item index -> region in virtual coordinates
        self._layout_width = -1
        self._wide = False
        self._tile_width = TILE_MIN
        self._cache: dict[int, Strip] = {}
        self.renders = 0  # lines built (benchmarks, tests)
        self._palette: dict[str, Style] = {}
        self._palette_theme: str | None = None

    # ------------------------------------------------------------------ data in

    @property
    def wide(self) -> bool:
        return self._wide

    @property
    def current(self) -> BoardItem | None:
        if 0 <= self.cursor < len(self.items):
            return self.items[self.cursor]
        return None

    def set_items(self, items: list[BoardItem], now: datetime, *, message: str = "") -> None:
        """Replace everything shown (a new filter, areas added or removed)."""
        keep = self.current.area_id if self.current else None
        self.items = list(items)
        self.now = now
        self.message = message
        self._index = {item.area_id: i for i, item in enumerate(self.items)}
        self._relayout(force=True)
        new_cursor = self._index.get(keep, 0) if keep is not None else 0
        self.set_reactive(BoardView.cursor, min(new_cursor, max(0, len(self.items) - 1)))
        self.post_message(self.Highlighted(self.current.area_id if self.current else None))
        self.refresh()

    def update_items(self, items: dict[int, BoardItem], now: datetime | None = None) -> int:
        """Replace some items in place; only their lines are re-rendered. Returns lines invalidated."""
        if now is not None:
            self.now = now
        invalidated = 0
        for area_id, item in items.items():
            index = self._index.get(area_id)
            if index is None:
                continue
            self.items[index] = item
            invalidated += self._invalidate(index)
        return invalidated

    def set_now(self, now: datetime) -> None:
        """The minute ticked: dates shown as 'today' may change; repaint what is visible."""
        self.now = now
        self._cache.clear()
        self.refresh()

    def select_area(self, area_id: int) -> bool:
        index = self._index.get(area_id)
        if index is None:
            return False
        self.cursor = index
        return True

    # ------------------------------------------------------------------ layout

    def _relayout(self, force: bool = False) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if not force and width == self._layout_width:
            return
        self._layout_width = width
        self._wide = width >= WIDE_MIN
        self._cache.clear()
        lines: list[_Line] = []
        rows: list[tuple[int, ...]] = []
        regions: dict[int, Region] = {}
        if self._wide:
            usable = max(TILE_MIN, width - 1)
            cols = max(1, (usable + TILE_GAP) // (TILE_MIN + TILE_GAP))
            self._tile_width = (usable + TILE_GAP) // cols - TILE_GAP
            pending: list[int] = []

            def flush() -> None:
                for start in range(0, len(pending), cols):
                    chunk = tuple(pending[start : start + cols])
                    y = len(lines)
                    for k in range(TILE_HEIGHT):
                        lines.append(_Line("row", chunk, k))
                    lines.append(_Line("blank"))
                    rows.append(chunk)
                    for c, index in enumerate(chunk):
                        regions[index] = Region(1 + c * (self._tile_width + TILE_GAP), y, self._tile_width, TILE_HEIGHT)
                pending.clear()

            for i, item in enumerate(self.items):
                if item.is_group:
                    flush()
                    if item.depth == 0 and lines:
                        lines.append(_Line("blank"))
                    regions[i] = Region(0, len(lines), width, 1)
                    lines.append(_Line("item", (i,), 0))
                    rows.append((i,))
                else:
                    pending.append(i)
            flush()
        else:
            for i, item in enumerate(self.items):
                if item.is_group and item.depth == 0 and lines:
                    lines.append(_Line("blank"))
                regions[i] = Region(0, len(lines), width, 1)
                lines.append(_Line("item", (i,), 0))
                rows.append((i,))
        self._lines = lines
        self._rows = rows
        self._row_of = {index: r for r, row in enumerate(rows) for index in row}
        self._regions = regions
        self.virtual_size = Size(width, max(len(lines), 1))

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def watch_show_vertical_scrollbar(self, show: bool) -> None:
        # The scrollbar takes a column from the lines: lay out again so that a cut line ends in "…"
        # where it can be seen, not under the scrollbar.
        self.call_after_refresh(self._relayout)
        self._scroll_to_cursor(animate=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        # Component styles are re-resolved after the theme's CSS is applied: drop every cached
        # style and strip once that has happened.
        def restyle() -> None:
            self._palette_theme = None
            self._cache.clear()
            self.refresh()

        self.call_after_refresh(restyle)

    def _invalidate(self, index: int) -> int:
        region = self._regions.get(index)
        if region is None:
            return 0
        for y in range(region.y, region.y + region.height):
            self._cache.pop(y, None)
        self.refresh_lines(region.y, region.height)
        return region.height

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        vy = scroll_y + y
        strip = self._cache.get(vy)
        if strip is None:
            strip = self._build_line(vy, self._layout_width)
            self._cache[vy] = strip
            self.renders += 1
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _style(self, name: str) -> Style:
        """An overlay style from the current theme, to add to a base style."""
        if self._palette_theme != self.app.theme:
            self._palette = palette(self.app.theme_variables, high_contrast="contrast" in self.app.theme)
            self._palette_theme = self.app.theme
        return self._palette[name]

    def _level_style(self, level: int | None) -> Style:
        if level in (1, 2, 3, 4):
            return self.rich_style + self._style(f"opel-{level}")
        return self.rich_style + self._style("nolevel")

    def _build_line(self, vy: int, width: int) -> Strip:
        base = self.rich_style
        if not self.items:
            lines = self.message.split("\n")  # a message may have several lines (the empty board's)
            if 1 <= vy <= len(lines):
                return Strip([Segment("  " + _inert(lines[vy - 1]), base + self._style("message"))])
            return Strip.blank(width, base)
        if vy >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[vy]
        if line.kind == "blank":
            return Strip.blank(width, base)
        if line.kind == "item":
            index = line.items[0]
            item = self.items[index]
            segments = self._group_line(item, index, width) if item.is_group else self._compact_line(item, index, width)
            return Strip(_cut(segments, width)).extend_cell_length(width, base).crop(0, width)
        # a row of tiles
        segments = [Segment(" ", base)]
        for c, index in enumerate(line.items):
            if c:
                segments.append(Segment(" " * TILE_GAP, base))
            segments.extend(self._tile_line(self.items[index], index, line.sub, self._tile_width))
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def _marker(self, index: int) -> str:
        return MARKER if index == self.cursor else " "

    def _chip(self, level: int | None, width: int = 8) -> Segment:
        text = f" OPEL {level}" if level is not None else "   —"
        return Segment(_fit(text, width), self._level_style(level))

    def _compact_line(self, item: BoardItem, index: int, width: int) -> list[Segment]:
        s = item.status
        now = self.now or s.last_update
        base = self.rich_style + (self._style("cursor") if index == self.cursor else Style())
        indent = "  " * min(item.depth, 4)
        day = f"Day {s.days_at_level}" if s.level is not None and s.days_at_level else ""
        when = fmt_when(s.last_update, now) if now else "—"
        if s.escalation_line:  # the rules' inclusion beats the update time here
            when = _inert(s.escalation_line)
        # marker(2) name(*) chip(8) score(9) day(7) trend(2) when(13) stale(6) badge(2)
        fixed = 2 + 8 + 9 + 7 + 2 + 13 + 6 + 2
        name_w = max(10, width - fixed)
        segs = [
            Segment(self._marker(index) + " ", base),
            Segment(_fit(indent + _name(s, name_w - 1 - cell_len(indent)), name_w - 1) + " ", base),
            self._chip(s.level),
            Segment(" " + fmt_score(s.score, s.max_score).rjust(7)[-7:] + " ", base),
            Segment(_fit(day, 7), base),
            Segment(fmt_trend(s) + " ", base),
            Segment(_fit(when, 13), base + self._style("dim")),
            Segment(_fit("STALE" if s.stale else "", 6), base + self._style("stale")),
            Segment(_fit(self._badge(item), 2), base),
        ]
        return segs

    def _badge(self, item: BoardItem) -> str:
        """⚑ (⚑N): escalation firings awaiting acknowledgement; · : firings active, all acknowledged or
        needing none (``scc_tui.app.board.reads.attach_badges``)."""
        return _inert(item.status.badge)

    def _group_line(self, item: BoardItem, index: int, width: int) -> list[Segment]:
        s = item.status
        summary = item.summary
        base = self.rich_style + self._style("group")
        if index == self.cursor:
            base += self._style("cursor")
        indent = "  " * min(item.depth, 4)
        segs = [Segment(self._marker(index) + " " + indent + _inert(s.name), base)]
        dim = base + self._style("dim")
        # The group's own level (declared: a system's SHREWD status, a council's organisation level),
        # then what the areas below say (the domain's words: scc_tui.domain.groups).
        if s.level is not None:
            segs += [Segment("  own ", dim), self._chip(s.level)]
            if s.score is not None:
                segs.append(Segment(" " + fmt_score(s.score, s.max_score), base))
        elif s.kind in OWN_LEVEL_KINDS:
            segs += [Segment("  own —", dim)]
        if s.stale:  # the group's own submission is overdue (a system's 11:30 SHREWD update)
            segs += [Segment("  STALE", base + self._style("stale"))]
        if summary is not None:
            if summary.acts_at is not None:
                segs += [Segment("  acts at ", dim), self._chip(summary.acts_at),
                         Segment(" because " + short_names([_inert(n) for n in summary.acts_because]), dim)]
            elif summary.suggested is not None:
                segs += [Segment("  areas suggest ", dim), self._chip(summary.suggested),
                         Segment(" (" + short_names([_inert(n) for n in summary.suggested_from]) + ")", dim)]
            elif summary.worst is not None:
                segs += [Segment("  worst ", dim), self._chip(summary.worst)]
            else:
                segs += [Segment("  no levels yet", dim)]
            if summary.stale:
                segs += [Segment(f"  {summary.stale} STALE below", base + self._style("stale"))]
        badge = self._badge(item)
        if badge:  # the group's own escalation firings (e.g. a system on Day 2 in OPEL 4: include STP)
            line = _inert(s.escalation_line or s.action_progress)
            segs.append(Segment(f"  {badge} {line}".rstrip(), base + self._style("stale")))
        return segs

    def _level_labels(self, text: str, level: int | None, style: Style) -> list[Segment]:
        """``text`` in ``style``, with its "OPEL n" drawn in the level's colours (every OPEL label on
        the board reads the same at 16 colours)."""
        label = f"OPEL {level}"
        if level is None or label not in text:
            return [Segment(text, style)]
        before, _, after = text.partition(label)
        return [Segment(before, style), Segment(label, style + self._style(f"opel-{level}")), Segment(after, style)]

    def _tile_line(self, item: BoardItem, index: int, sub: int, width: int) -> list[Segment]:
        s = item.status
        now = self.now or s.last_update
        selected = index == self.cursor
        body = self.rich_style + self._style("tile")
        if selected:
            body += self._style("cursor")
        if sub == 0:
            style = self._level_style(s.level)
            head = f"{self._marker(index)}OPEL {s.level} {fmt_trend(s)} " if s.level is not None else f"{self._marker(index)} —     "
            return [Segment(_fit(head + _name(s, width - cell_len(head)), width), style)]
        if sub == 1:
            left = " " + fmt_score(s.score, s.max_score)
            right = fmt_day(s)
            if s.declared_level is not None and s.computed_level is not None and s.declared_level != s.computed_level:
                right = f"declared (computed {s.computed_level})" if not right or width < 40 else right + " · declared"
            line = _fit(left, width - cell_len(right) - 1) + right + " " if cell_len(right) < width - 6 else _fit(left + "  " + right, width)
            return self._level_labels(line, s.level, body)
        when = fmt_when(s.last_update, now) if now else "—"
        who = _inert(s.updated_by or "")
        left = _fit(f" {when} {who}", width - 10) + " "  # a name never runs into STALE ("oncallSTALE")
        hold = fmt_hold(s, short=True)
        if hold:  # stepping down: the higher level's actions stand until the hold ends
            left = _fit(" " + (hold if cell_len(hold) < width - 10 else hold.replace("stepping down – ", "")), width - 10) + " "
        extra = _inert(s.escalation_line or s.action_progress)
        if extra:  # the escalation rules' inclusion ("include STP"), else action-card progress
            left = _fit(f" {extra}", width - 10) + " "
        return [
            Segment(left, body),
            Segment(_fit("STALE" if s.stale else "", 6), body + self._style("stale")),
            Segment(_fit(self._badge(item), 3), body),
        ]

    # ------------------------------------------------------------------ cursor

    def watch_cursor(self, old: int, new: int) -> None:
        if old != new:
            self._invalidate(old)
        self._invalidate(new)
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self.current.area_id if self.current else None))

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        region = self._regions.get(self.cursor)
        if region is not None:
            self.scroll_to_region(region.grow((1, 0, 1, 0)), animate=False, force=True)

    def _move_rows(self, delta: int) -> None:
        if not self._rows:
            return
        row = self._row_of.get(self.cursor, 0)
        col = self._rows[row].index(self.cursor) if self.cursor in self._rows[row] else 0
        target = max(0, min(len(self._rows) - 1, row + delta))
        chunk = self._rows[target]
        self.cursor = chunk[min(col, len(chunk) - 1)]

    def action_cursor_up(self) -> None:
        self._move_rows(-1)

    def action_cursor_down(self) -> None:
        self._move_rows(1)

    def action_cursor_left(self) -> None:
        if self.items:
            self.cursor = max(0, self.cursor - 1)

    def action_cursor_right(self) -> None:
        if self.items:
            self.cursor = min(len(self.items) - 1, self.cursor + 1)

    def action_cursor_first(self) -> None:
        if self.items:
            self.cursor = 0

    def action_cursor_last(self) -> None:
        if self.items:
            self.cursor = len(self.items) - 1

    def _page_rows(self) -> int:
        per_row = (TILE_HEIGHT + 1) if self._wide else 1
        return max(1, self.scrollable_content_region.height // per_row - 1)

    def action_page_up(self) -> None:
        self._move_rows(-self._page_rows())

    def action_page_down(self) -> None:
        self._move_rows(self._page_rows())

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current.area_id))

    def item_at(self, x: int, y: int) -> int | None:
        """The item index under a point in virtual coordinates."""
        for index, region in self._regions.items():
            if region.contains(x, y):
                return index
        return None

    def on_click(self, event: events.Click) -> None:
        x, y = event.x + self.scroll_offset.x, event.y + self.scroll_offset.y
        index = self.item_at(x, y)
        if index is None:
            return
        if index == self.cursor or event.chain > 1:
            self.cursor = index
            self.action_open()
        else:
            self.cursor = index
