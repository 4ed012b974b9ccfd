"""Today's agenda: calls and deadlines in London time, with the prompt controller's health.

One widget, rendered line by line (at most a few dozen rows a day, so nothing is mounted per row).
Data comes *down* from the :class:`~scc_tui.app.prompting.PromptController` (its ``changed`` signal
carries a fresh :class:`~scc_tui.app.prompting.AgendaView`); the header is re-read from
``controller.health()`` (pure, no I/O) every second so that a dead scheduler shows up on screen even
when nothing else calls back ("watch the watcher").

Every state has a mark as well as a colour (16 colours, NO_COLOR, colour-blind users):
``✓`` acknowledged/done, ``●`` due, ``✗`` missed, ``z`` snoozed, ``▶`` next, ``!`` shown but never
acknowledged, ``·`` later today.
"""

from __future__ import annotations

import textwrap

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from scc_tui.app.safe import line as _line
from scc_tui.app.agenda.rows import MARKS, acknowledge_question, fit as _fit, row_detail, row_tag
from scc_tui.app.prompting import SNOOZE_CHOICES, AgendaRow, AgendaView, PromptController
from scc_tui.domain.clock import LONDON

__all__ = ["AgendaPanel", "SnoozeScreen", "MARKS"]

# Acknowledging is a logged act: it is never on a letter that moves the cursor elsewhere (k/j are
# up/down here as on the board and the log), and it asks first, naming the item (issue 9 item 5).

#: The cursor column: a text mark, so the selected row is visible without colour, and distinct from
#: the ``▶`` state mark of the *next* item. Unselected rows start with no-break spaces (a plain
#: leading space would be dropped).
CURSOR = "›"
NO_CURSOR = "\u00a0"

class AgendaPanel(Widget, can_focus=True):
    """Today's calls and deadlines, the next one highlighted, with the scheduler's health."""

    DEFAULT_CSS = """
    AgendaPanel {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    AgendaPanel:focus { background: $surface; }
    AgendaPanel > .agenda--title { text-style: bold; color: $text; }
    AgendaPanel > .agenda--health { color: $text-muted; }
    AgendaPanel > .agenda--warning { background: $error; color: $text; text-style: bold; }
    AgendaPanel > .agenda--exercise { background: $warning; color: black; text-style: bold; }
    AgendaPanel > .agenda--cursor { background: $accent; color: $text; }
    AgendaPanel > .agenda--next { text-style: bold; color: $accent; }
    AgendaPanel > .agenda--due { text-style: bold; color: $warning; }
    AgendaPanel > .agenda--missed { text-style: bold; color: $error; }
    AgendaPanel > .agenda--done { color: $text-muted; }
    AgendaPanel > .agenda--rule { color: $text-muted; }
    """

    COMPONENT_CLASSES = {
        "agenda--title",
        "agenda--health",
        "agenda--warning",
        "agenda--exercise",
        "agenda--cursor",
        "agenda--next",
        "agenda--due",
        "agenda--missed",
        "agenda--done",
        "agenda--rule",
    }

    BINDINGS = [
        Binding("enter,A", "acknowledge", "Ack…", id="agenda.acknowledge",
                tooltip="acknowledge the highlighted item (asks first, naming it; logged)"),
        Binding("z", "snooze", "Snooze", id="agenda.snooze", tooltip="snooze the highlighted prompt 5, 10 or 15 minutes"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="agenda.up", tooltip="previous item"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="agenda.down", tooltip="next item"),
        Binding("home,g", "first", "First", show=False, id="agenda.first", tooltip="first item"),
        Binding("end,G", "last", "Last", show=False, id="agenda.last", tooltip="last item"),
        Binding("n", "next_item", "Next", show=False, id="agenda.next", tooltip="the next item due"),
    ]

    cursor: reactive[int] = reactive(0)

    class Acknowledged(Message):
        """Posted after this panel acknowledged a prompt (the App may refresh its log view)."""

        def __init__(self, row: AgendaRow) -> None:
            self.row = row
            super().__init__()

    def __init__(
        self,
        controller: PromptController,
        *,
        health_interval: float = 1.0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.controller = controller
        self.health_interval = health_interval
        self.view: AgendaView = controller.view
        self._user_moved = False
        self._top = 0

    # ------------------------------------------------------------------ data down

    def on_mount(self) -> None:
        self.controller.attach(self.app)
        self.controller.changed.subscribe(self, self.show_view)
        self.show_view(self.controller.view)
        if self.health_interval:
            self.set_interval(self.health_interval, self.refresh, name="agenda-health")

    def show_view(self, view: AgendaView) -> None:
        self.view = view
        if not self._user_moved or self.cursor >= len(view.rows):
            self.cursor = self._focus_index()
        self.refresh()

    def _focus_index(self) -> int:
        rows = self.view.rows
        for state in ("due", "missed"):
            for i, r in enumerate(rows):
                if r.state == state:
                    return i
        nxt = self.view.next_index
        if nxt is not None:
            return nxt
        return max(0, len(rows) - 1)

    @property
    def selected(self) -> AgendaRow | None:
        rows = self.view.rows
        return rows[self.cursor] if 0 <= self.cursor < len(rows) else None

    # ------------------------------------------------------------------ keys

    def action_cursor(self, delta: int) -> None:
        if self.view.rows:
            self._user_moved = True
            self.cursor = max(0, min(len(self.view.rows) - 1, self.cursor + delta))

    def action_first(self) -> None:
        self._user_moved = True
        self.cursor = 0

    def action_last(self) -> None:
        self._user_moved = True
        self.cursor = max(0, len(self.view.rows) - 1)

    def action_next_item(self) -> None:
        self._user_moved = False
        self.cursor = self._focus_index()

    def action_acknowledge(self) -> None:
        """Ask first, naming the item under the cursor; acknowledge only on "y"."""
        from scc_tui.app.screens.confirm import ConfirmScreen

        row = self.selected
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.acknowledge(row)

        self.app.push_screen(ConfirmScreen(acknowledge_question(row)), answered)

    def acknowledge(self, row: AgendaRow) -> None:
        """Acknowledge (written in a thread worker; the agenda is evaluated again once it is)."""
        self._write(row, "acknowledge", 0)

    @work(thread=True, group="agenda-write")
    def _write(self, row: AgendaRow, what: str, minutes: int) -> None:
        from scc_tui.app.errors import save_error

        try:
            if what == "acknowledge":
                ok, message, wrote = self.controller.write_acknowledgement(row)
            else:
                ok, message, wrote = self.controller.write_snooze(row, minutes)
        except Exception as exc:  # noqa: BLE001 - one line (an outage says so), never a traceback
            ok, message, wrote = False, f"{row.title}: not saved: {save_error(exc)}", False
        self.app.call_from_thread(self._written, row, what, ok, message, wrote)

    async def _written(self, row: AgendaRow, what: str, ok: bool, message: str, wrote: bool) -> None:
        if wrote:
            await self.controller.evaluate_async(reason="user")
        self.app.notify(_line(message), severity="information" if ok else "warning", timeout=5, markup=False)
        if ok and what == "acknowledge":
            self.post_message(self.Acknowledged(row))

    def action_snooze(self) -> None:
        row = self.selected
        if row is None:
            return
        if not row.actionable:
            self.app.notify(f"{_line(row.title)}: nothing to snooze", severity="warning", timeout=5, markup=False)
            return

        def done(minutes: int | None) -> None:
            if minutes:
                self._write(row, "snooze", minutes)

        self.app.push_screen(SnoozeScreen(row.title), done)

    def watch_cursor(self, _old: int, _new: int) -> None:
        self.refresh()

    # ------------------------------------------------------------------ drawing

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def render(self) -> Text:
        width = max(10, self.content_region.width or self.size.width)
        height = max(1, self.content_region.height or self.size.height)
        view = self.view
        health = self.controller.health()
        head: list[Text] = []
        local = view.at.astimezone(LONDON)
        title = f"Agenda · {local:%a %d %b}"
        if view.exercise:
            head.append(Text(_fit("EXERCISE EXERCISE EXERCISE", width), style=self._style("agenda--exercise")))
        head.append(Text(_fit(title, width), style=self._style("agenda--title")))
        head.append(Text(_fit(health.line(), width), style=self._style("agenda--health")))
        for w in health.warnings:
            for part in textwrap.wrap("⚠ " + w, width)[:2]:
                head.append(Text(_fit(part, width), style=self._style("agenda--warning")))

        rows = view.rows
        room = height - len(head)
        detail: list[str] = []
        sel = self.selected
        if sel is not None:
            for line in row_detail(sel):
                detail += textwrap.wrap(line, width) or [""]
        # Rows first; the selected item's detail takes what is left (at least 4 lines when tall).
        detail_room = max(0, room - len(rows) - 1)
        if detail_room < 4 and room >= 14:
            detail_room = 5
        detail_room = min(detail_room, len(detail) + 1)
        row_room = max(1, room - detail_room)
        if self.cursor < self._top:
            self._top = self.cursor
        elif self.cursor >= self._top + row_room:
            self._top = self.cursor - row_room + 1
        self._top = max(0, min(self._top, max(0, len(rows) - row_room)))

        body: list[Text] = []
        if not rows:
            body.append(Text(_fit("No calls or deadlines today.", width), style=self._style("agenda--done")))
        for i in range(self._top, min(len(rows), self._top + row_room)):
            body.append(self._row_text(rows[i], width, i == self.cursor))
        lines = head + body
        if detail_room > 1 and len(lines) < height:
            lines.append(Text("─" * width, style=self._style("agenda--rule")))
            for d in detail[: detail_room - 1]:
                lines.append(Text(_fit(d, width)))
        return Text("\n").join(lines[:height])

    def _row_text(self, row: AgendaRow, width: int, selected: bool) -> Text:
        mark = MARKS.get(row.state, "?")
        tag = row_tag(row)
        at = row.at.astimezone(LONDON)
        left = f"{CURSOR if selected else NO_CURSOR}{mark} {at:%H:%M} "
        tag_w = cell_len(tag) + 1 if tag else 0
        title_w = max(3, width - cell_len(left) - tag_w)
        line = left + _fit(_line(row.title), title_w) + (" " + tag if tag else "")
        line = _fit(line, width)
        style_name = {
            "due": "agenda--due",
            "missed": "agenda--missed",
            "unacknowledged": "agenda--missed",
            "next": "agenda--next",
            "acknowledged": "agenda--done",
            "done": "agenda--done",
        }.get(row.state)
        text = Text(line, style=self._style(style_name) if style_name else Style())
        if selected:
            text.stylize(self._style("agenda--cursor") if self.has_focus else Style(reverse=True))
        return text


class SnoozeScreen(ModalScreen[int | None]):
    """Choose 5, 10 or 15 minutes (keys 1 2 3, or arrows and Enter; Esc cancels)."""

    DEFAULT_CSS = """
    SnoozeScreen { align: center middle; }
    SnoozeScreen > Vertical { width: 36; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    SnoozeScreen OptionList { height: auto; border: none; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="snooze.cancel", tooltip="cancel"),
        Binding("1", "choose(0)", "5 min", show=False, id="snooze.5", tooltip="snooze 5 minutes"),
        Binding("2", "choose(1)", "10 min", show=False, id="snooze.10", tooltip="snooze 10 minutes"),
        Binding("3", "choose(2)", "15 min", show=False, id="snooze.15", tooltip="snooze 15 minutes"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.item_title = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Snooze: {_line(self.item_title)}", markup=False)
            yield OptionList(*[Option(f"{i + 1}  {m} minutes", id=str(m)) for i, m in enumerate(SNOOZE_CHOICES)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_choose(self, index: int) -> None:
        self.dismiss(SNOOZE_CHOICES[index])

    def action_cancel(self) -> None:
        self.dismiss(None)
