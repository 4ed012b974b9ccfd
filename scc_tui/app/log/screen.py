"""The decision and action log: newest first, live, filtered, with a quick-entry bar and the
decision form. In an inquiry the log is the evidence; in an exercise it is the debrief.

* One ``DataTable`` updated in place (rows added, re-rendered or removed; never a widget per entry).
  The latest ``page_size`` entries are loaded; older ones page in when the cursor reaches the end;
  at most ``max_rows`` are held (the window then leaves the head and says so; Home returns).
* Database work runs in thread workers that post messages; handlers here own the state. The screen
  has no poller of its own: it subscribes to the App's ``store_events`` and, when the App's change
  feed says something was written, fetches only the entries after the newest seen.
* Review times are computed from the injected clock on a timer: a notification once per decision
  and a "review due" mark on its row until a review of it is logged (``v``: an entry of kind ``review``
  linked to the decision, ``store.log.review_links``).
* Entry text is shown as Rich ``Text`` (never markup) after ``domain.log.inert``: control
  characters appear as visible ``\\x1b``-style escapes and never reach the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from scc_tui.app.fields import is_text_field
from scc_tui.app.errors import one_line_error as _one_line_error
from scc_tui.app.log.decision_form import DecisionForm
from scc_tui.app.log.entry_detail import EntryDetail
from scc_tui.app.log.model import (
    FilterError,
    LogFilter,
    LogRow,
    fmt_time,
    parse_filter,
    review_text,
    reviewed_seq,
    reviews_due,
)
from scc_tui.app.log.quick_entry import QuickEntry
from scc_tui.app.log.render import COLUMNS, HEADERS, fit, one_line, row_cells
from scc_tui.app.log.table import LogTable
from scc_tui.app.messages import StoreChanged, StoreEvent
from scc_tui.domain import log as dlog
from scc_tui.domain.clock import LONDON, Clock, london_date

__all__ = ["LogScreen", "LOG_SCREEN_NAME", "show_log", "log_screen_for"]

LOG_SCREEN_NAME = "log"



# --------------------------------------------------------------------------------------------------
# The screen
# --------------------------------------------------------------------------------------------------


class _Loaded(Message):
    def __init__(self, token: int, rows: list[LogRow], cursor: int | None, exhausted: bool, head_seq: int,
                 decisions: dict[int, LogRow] | None, reviewed: set[int] | None, older: bool,
                 area_refs: list | None = None) -> None:
        self.area_refs = area_refs
        self.token = token
        self.rows = rows
        self.cursor = cursor
        self.exhausted = exhausted
        self.head_seq = head_seq
        self.decisions = decisions
        self.reviewed = reviewed
        self.older = older
        super().__init__()


class _Polled(Message):
    def __init__(self, token: int, rows: list[LogRow], more: bool, area_refs: list | None = None) -> None:
        self.area_refs = area_refs
        self.token = token
        self.rows = rows
        self.more = more
        super().__init__()


#: ``LogScreen.first`` while its first read, begun before it opened, is still running.
PENDING = object()


class _Failed(Message):
    def __init__(self, error: str) -> None:
        self.error = error
        super().__init__()


@dataclass
class _Layout:
    widths: dict[str, int]
    wide: bool  # full kind ids
    gap: int
    roles: bool = True  # "author (role)" rather than the author alone


class LogScreen(Screen):
    """The decision and action log. ``store``/``clock``/``user`` are injected (tests: a temp DB, a
    FixedClock, a fixed user)."""

    DEFAULT_CSS = """
    LogScreen { layout: vertical; }
    LogScreen #log-status { height: 1; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    LogScreen #log-filterbar { height: 1; display: none; background: $panel; padding: 0 1; }
    LogScreen #log-filterbar.-open { display: block; }
    LogScreen #log-filter-label { width: auto; padding-right: 1; text-style: bold; color: $accent; }
    LogScreen #log-filter { width: 1fr; height: 1; border: none; padding: 0; background: $panel; }
    LogScreen #log-filter:focus { border: none; background: $boost; }
    LogScreen #log-filter-error { height: auto; display: none; color: $error; text-style: bold; padding: 0 1; }
    LogScreen #log-filter-error.-shown { display: block; }
    LogScreen #log-table { height: 1fr; scrollbar-size-vertical: 1; padding-left: 1; }
    LogScreen #log-empty { height: auto; display: none; padding: 1 2; color: $text-muted; }
    LogScreen #log-empty.-shown { display: block; }
    """

    # Footer: Add, Decision, Filter, Correct, Review, Back, then the app's ? Help.
    BINDINGS = [
        # A priority binding (as the board's "/" and "a"): the entry's letters typed in the same burst reach
        # the bar; "a" is a character in a field being typed in (check_action).
        Binding("a", "add", "Add", priority=True, id="log.add", tooltip="add an entry (quick entry: Tab picks the kind)"),
        Binding("D", "decision", "Decision", id="log.decision",
                tooltip="log a decision with its rationale, risk, owner and review time"),
        Binding("slash", "filter", "Filter", id="log.filter",
                tooltip="filter the log: area:qeqm, kind:decision, author:…, since:…, or words"),
        Binding("c", "correct", "Correct", id="log.correct",
                tooltip="correct the highlighted entry (a new entry pointing at it; nothing is edited)"),
        Binding("v", "review", "Review", id="log.review", tooltip="record the highlighted entry's review as done"),
        Binding("escape", "back", "Back", id="log.back", tooltip="back to the board"),
        Binding("r", "reload", "Reload", show=False, id="log.reload", tooltip="re-read the log now"),
    ]

    def __init__(
        self,
        seam: Any,
        clock: Clock,
        user: str,
        *,
        review_interval: float = 5.0,
        page_size: int = 500,
        max_rows: int = 2000,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        self.seam = seam  # app/seam.py: StoreSeam (called in workers only)
        self.clock = clock
        self.user = user
        self.review_interval = review_interval
        self.page_size = page_size
        self.max_rows = max(max_rows, page_size)
        self.filter = LogFilter()
        self.rows: dict[int, LogRow] = {}  # shown, by seq
        self.head_seq = 0  # newest entry seen in the database
        self.cursor_seq: int | None = None  # next before_seq for paging older
        self.exhausted = False
        self.at_head = True
        self.pending_new = 0  # matching entries newer than the window (when not at head)
        self.loading = False
        self.loading_older = False
        self.loaded = False
        self.error: str | None = None
        self.decisions: dict[int, LogRow] = {}
        self.reviewed: set[int] = set()
        self.due: set[int] = set()
        self.prompted: set[int] = set()
        self.pending_action: str | None = None
        self._token = 0
        #: The areas an ``area:`` filter is matched against (read in the load and poll workers).
        self.area_refs: list | None = None
        self._written_while_loading = False
        self._layout: _Layout | None = None
        self._today: date | None = None
        #: The first read done before the screen opened (``show_log``: a message, or PENDING while it runs)
        self.first: Any = None

    # ---------------------------------------------------------------- compose and lifecycle

    def compose(self) -> ComposeResult:
        yield Static(id="log-status")
        with Horizontal(id="log-filterbar"):
            yield Static(Text("Filter ›"), id="log-filter-label")
            yield Input(id="log-filter", placeholder="kind:decision area:swale author:jsmith from:2026-11-20 to:… words",
                        select_on_focus=False)
        yield Static(id="log-filter-error")
        yield Static(id="log-empty")
        yield LogTable(id="log-table", cursor_type="row", zebra_stripes=False, header_height=1, cell_padding=0)
        yield QuickEntry(self.seam, self.user, lazy=True, id="log-quick")  # its fields on first use
        yield Footer()

    @property
    def table(self) -> LogTable:
        return self.query_one("#log-table", LogTable)

    @property
    def quick(self) -> QuickEntry:
        return self.query_one("#log-quick", QuickEntry)

    def on_mount(self) -> None:
        self._today = london_date(self.clock.now())
        self._relayout(force=True)
        self.set_interval(self.review_interval, self.check_reviews, name="log-reviews")
        # Subscribe before the first read: a write after it is announced by the App's change feed.
        self.app.store_events.subscribe(self, self.apply_store_event)
        first, self.first = self.first, None
        self._pending = first is PENDING  # opened before its first read was done
        if first is None:
            self.reload(first=True)
        else:  # read before the screen opened (show_log): handled as the first reload's message
            self._token += 1
            self.loading = True
            self._update_status()
            if first is not PENDING:
                self.post_message(first)
        self.table.focus()

    def on_screen_resume(self, _: events.ScreenResume) -> None:
        action, self.pending_action = self.pending_action, None
        if action == "add":
            self.call_after_refresh(self.action_add)
        elif action == "decision":
            self.call_after_refresh(self.action_decision)

    def on_resize(self, _: events.Resize) -> None:
        self.call_after_refresh(self._relayout)

    # ---------------------------------------------------------------- loading

    def reload(self, *, first: bool = False) -> None:
        """Drop the window and load the latest page for the current filter."""
        self._token += 1
        self.loading = True
        self.loading_older = False
        self._update_status()
        self._load(self._token, self.filter, None, with_reviews=True)

    @work(thread=True, exclusive=True, group="log-load")
    def _load(self, token: int, flt: LogFilter, before_seq: int | None, *, with_reviews: bool) -> None:
        self.post_message(self.read(token, flt, before_seq, with_reviews=with_reviews))

    def read(self, token: int, flt: LogFilter, before_seq: int | None, *, with_reviews: bool) -> _Loaded | _Failed:
        """A page of the log (and, ``with_reviews``, the decisions' reviews and the areas to match), as
        the message the screen handles (in a worker; an error is in the message, never raised)."""
        try:
            head_seq = self.seam.log_head()
            rows, cursor, exhausted = self.seam.log_page(
                flt, before_seq=before_seq if before_seq is not None else head_seq + 1, want=self.page_size,
            )
            decisions = reviewed = area_refs = None
            if with_reviews:
                decisions, reviewed = self.seam.log_reviews(self.clock.now())
                area_refs = self.seam.log_area_refs()
        except Exception as exc:  # noqa: BLE001 - shown in the status line, never a traceback
            return _Failed(_one_line_error(exc))
        return _Loaded(token, rows, cursor, exhausted, head_seq, decisions, reviewed,
                       older=before_seq is not None, area_refs=area_refs)

    def first_read(self) -> _Loaded | _Failed:
        """What the first :meth:`reload` reads, read before the screen is mounted (``show_log``)."""
        return self.read(self._token + 1, self.filter, None, with_reviews=True)

    def load_older(self) -> None:
        if self.loading or self.loading_older or self.exhausted or not self.loaded:
            return
        self.loading_older = True
        self._update_status()
        self._load(self._token, self.filter, self.cursor_seq, with_reviews=False)

    @on(_Loaded)
    def _on_loaded(self, message: _Loaded) -> None:
        if message.area_refs is not None:
            self.area_refs = message.area_refs
        if message.token != self._token:
            return
        self.error = None
        if message.decisions is not None:
            self.decisions = message.decisions
            self.reviewed = set(message.reviewed or ())
        if message.older:
            self.loading_older = False
            self._add_older(message.rows)
        else:
            self.loading = False
            self.loaded = True
            self.head_seq = max(self.head_seq, message.head_seq)
            self.at_head = True
            self.pending_new = 0
            self.rows = {r.seq: r for r in message.rows}
            self._relayout(force=True)
            self.table.move_cursor(row=0)
        self.cursor_seq = message.cursor
        self.exhausted = message.exhausted
        self.check_reviews()
        self._update_status()
        if not message.older and self._written_while_loading:
            self._written_while_loading = False
            self.poll()

    @on(_Failed)
    def _on_failed(self, message: _Failed) -> None:
        self.loading = self.loading_older = False
        self.error = message.error
        self._update_status()

    def _add_older(self, rows: list[LogRow]) -> None:
        table = self.table
        keep_cursor = self._cursor_seq()
        added = [r for r in rows if r.seq not in self.rows]
        for r in added:
            self.rows[r.seq] = r
            table.add_row(*self._cells(r), key=str(r.seq))
        # Too many held: drop the newest; the window has left the head (Home returns to it).
        excess = len(self.rows) - self.max_rows
        if excess > 0:
            for seq in sorted(self.rows, reverse=True)[:excess]:
                del self.rows[seq]
                table.remove_row(str(seq))
            self.at_head = False
        if keep_cursor is not None and str(keep_cursor) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep_cursor)))
        self._relayout()

    # ---------------------------------------------------------------- live: the App's change feed

    def apply_store_event(self, event: StoreEvent) -> None:
        """The App re-read the store: fetch what was written since (the App's feed fired, or this
        session wrote), and keep the day and the "live HH:MM" on the status line current."""
        if not isinstance(event, StoreChanged):
            return
        self._roll_day()
        self._update_status()
        if event.written:
            if self.loading:  # the page being read may predate this write: fetch once it is in
                self._written_while_loading = True
            else:
                self.poll()

    def poll(self) -> None:
        """Fetch the entries after the newest seen, now (after this session wrote, or when told)."""
        self._poll(self._token, self.head_seq)

    @work(thread=True, exclusive=True, group="log-poll")
    def _poll(self, token: int, after_seq: int) -> None:
        try:
            limit = self.max_rows
            rows = self.seam.log_after(after_seq, limit)
            # Something was written (an areas import is logged too): the filter's area list again.
            area_refs = self.seam.log_area_refs() if rows else None
        except Exception as exc:  # noqa: BLE001
            self.post_message(_Failed(_one_line_error(exc)))
            return
        if rows:
            self.post_message(_Polled(token, rows, more=len(rows) >= limit, area_refs=area_refs))

    @on(_Polled)
    def _on_polled(self, message: _Polled) -> None:
        if message.area_refs is not None:
            self.area_refs = message.area_refs
        if message.token != self._token:
            return
        self.apply_new(message.rows)
        if message.more:
            self.poll()

    def apply_new(self, rows: list[LogRow]) -> None:
        """New entries (oldest first): insert at the top, mark corrections and reviews."""
        table = self.table
        cur_row = table.cursor_row if table.row_count else 0
        cur_seq = self._cursor_seq()
        touched: set[int] = set()
        added = 0
        for r in rows:
            if r.seq <= self.head_seq:  # already applied (two polls can overlap)
                continue
            self.head_seq = max(self.head_seq, r.seq)
            if r.corrects_seq is not None:
                orig = r.corrects_seq
                if orig in self.rows:
                    self.rows[orig] = self.rows[orig].with_correction(r.seq)
                    touched.add(orig)
                if orig in self.decisions:
                    self.decisions[orig] = self.decisions[orig].with_correction(r.seq)
            done = reviewed_seq(r)
            if done is not None:
                self.reviewed.add(done)
            if r.kind in dlog.DECISION_KINDS and r.review_at is not None:
                self.decisions[r.seq] = r
            if not self.filter.matches(r):
                continue
            if not self.at_head:
                self.pending_new += 1
                continue
            self.rows[r.seq] = r
            table.add_row(*self._cells(r), key=str(r.seq))
            added += 1
        for seq in touched:
            self._render_row(seq)
        if added:
            table.sort("seq", key=lambda cell: -int(cell.plain.strip()))
            excess = len(self.rows) - self.max_rows
            if excess > 0:
                for seq in sorted(self.rows)[:excess]:
                    del self.rows[seq]
                    table.remove_row(str(seq))
                self.exhausted = False
                self.cursor_seq = min(self.rows)
            if cur_row == 0 or cur_seq is None:
                table.move_cursor(row=0, scroll=True)
            elif str(cur_seq) in table.rows:
                table.move_cursor(row=table.get_row_index(str(cur_seq)))
        self.check_reviews()
        self._relayout()
        self._update_status()

    # ---------------------------------------------------------------- reviews

    def check_reviews(self) -> None:
        """Recompute which decisions are due for review (from the injected clock); prompt once each."""
        if not self.is_mounted:
            return
        now = self.clock.now()
        self._roll_day()
        due_rows = reviews_due(self.decisions, self.reviewed, now)
        due = {r.seq for r in due_rows}
        changed = due ^ self.due
        self.due = due
        for seq in changed:
            self._render_row(seq)
        for r in due_rows:
            if r.seq in self.prompted:
                continue
            self.prompted.add(r.seq)
            when = fmt_time(r.review_at, london_date(now))
            text = one_line(r.text)
            if len(text) > 120:
                text = text[:119] + "…"
            self.app.notify(
                f"Decision #{r.seq} (review {when}): {text}\nv on the row logs the review.",
                title="Review due", severity="warning", timeout=20, markup=False,
            )
        if changed:
            self._update_status()

    # ---------------------------------------------------------------- table rendering

    def _cells(self, row: LogRow) -> list[Text]:
        layout = self._layout or self._compute_layout()
        return row_cells(row, layout.widths, self._today or london_date(self.clock.now()),
                         due=row.seq in self.due, wide=layout.wide, gap=layout.gap, roles=layout.roles)

    def _render_row(self, seq: int) -> None:
        row = self.rows.get(seq)
        if row is None or str(seq) not in self.table.rows:
            return
        cells = self._cells(row)
        for col, cell in zip(COLUMNS, cells):
            self.table.update_cell(str(seq), col, cell)

    def _compute_layout(self) -> _Layout:
        total = max(40, (self.table.size.width if self.is_mounted else 0) or self.size.width or 80)
        total -= 1  # the vertical scrollbar
        tier = 2 if total >= 139 else 1 if total >= 99 else 0  # wide / medium / narrow
        wide = tier == 2
        gap = 2 if wide else 1
        today = self._today or london_date(self.clock.now())
        all_today = all(r.recorded_at.astimezone(LONDON).date() == today for r in self.rows.values())
        widths = {
            "seq": max(2, len(str(max(self.rows, default=1))), len(str(self.head_seq or 1))),
            "time": 5 if all_today else 12,
            "kind": (8, 8, 14)[tier],
            "author": (9, 20, 26)[tier],
            "areas": (9, 14, 24)[tier],
            "opel": (4, 4, 6)[tier],
        }
        # one space before the first column, a gap after every column but the last
        widths["text"] = max(10, total - 1 - sum(widths.values()) - gap * (len(COLUMNS) - 1))
        return _Layout(widths, wide, gap, roles=tier > 0)

    def _relayout(self, *, force: bool = False) -> None:
        """(Re)build columns and rows when the widths change (resize, a date column, longer #)."""
        if not self.is_mounted:
            return
        layout = self._compute_layout()
        if not force and self._layout is not None and layout == self._layout:
            return
        self._layout = layout
        table = self.table
        cur = self._cursor_seq()
        table.clear(columns=True)
        for col in COLUMNS:
            label = HEADERS[col] if col != "author" or layout.roles else "Author"
            gap = 0 if col == "text" else layout.gap
            table.add_column(fit(Text(label), layout.widths[col], gap, justify="right" if col == "seq" else "left"),
                             width=layout.widths[col] + gap, key=col)
        for seq in sorted(self.rows, reverse=True):
            table.add_row(*self._cells(self.rows[seq]), key=str(seq))
        if cur is not None and str(cur) in table.rows:
            table.move_cursor(row=table.get_row_index(str(cur)), scroll=True)
        self._update_empty()

    def _roll_day(self) -> None:
        today = london_date(self.clock.now())
        if today != self._today:
            self._today = today
            self._relayout(force=True)

    def _cursor_seq(self) -> int | None:
        table = self.table
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key
        except Exception:  # noqa: BLE001
            return None
        return int(key.value) if key.value is not None else None

    def current(self) -> LogRow | None:
        seq = self._cursor_seq()
        return self.rows.get(seq) if seq is not None else None

    def _update_empty(self) -> None:
        empty = self.query_one("#log-empty", Static)
        show = self.loaded and not self.rows
        if show:
            if self.filter.empty:
                empty.update(Text("The log is empty. a logs a note, D records a decision."))
            else:
                empty.update(Text("No entries match the filter. / changes it, Esc clears it."))
        empty.set_class(show, "-shown")

    def _update_status(self) -> None:
        if not self.is_mounted:
            return
        now = self.clock.now()
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append("Decision & action log", "bold")
        t.append(f" · {len(self.rows)} shown")
        if self.head_seq:
            t.append(f" of #{self.head_seq}")
        if not self.filter.empty:
            t.append(" · filter: ")
            t.append(one_line(self.filter.describe()), "bold")
        if self.due:
            t.append(" · ")
            t.append(f"{len(self.due)} review{'s' if len(self.due) != 1 else ''} due", "bold reverse")
        if not self.at_head:
            t.append(" · ")
            t.append(f"{self.pending_new} newer (Home)" if self.pending_new else "paged back (Home)", "bold")
        if self.loading:
            t.append(" · loading…")
        elif self.loading_older:
            t.append(" · loading older…")
        if self.error:
            t.append(" · ")
            t.append(f"error: {one_line(self.error)}", "bold reverse")
        elif self.app.refresh_enabled:
            t.append(f" · live {now.astimezone(LONDON).strftime('%H:%M')}")
        t.append(f" · {one_line(self.user)}")
        self.query_one("#log-status", Static).update(t)
        self._update_empty()

    # ---------------------------------------------------------------- events from the table

    @on(DataTable.RowSelected, "#log-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.rows.get(int(event.row_key.value)) if event.row_key.value else None
        if row is not None:
            self.open_detail(row)

    @on(DataTable.RowHighlighted, "#log-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.table.row_count - 1:
            self.load_older()

    @on(LogTable.AtEnd)
    def _at_end(self, _: LogTable.AtEnd) -> None:
        self.load_older()

    @on(LogTable.AtTop)
    def _at_top(self, _: LogTable.AtTop) -> None:
        if not self.at_head:
            self.reload()

    def open_detail(self, row: LogRow) -> None:
        def done(result: str | None) -> None:
            if result == "correct":
                self.correct(row)

        self.app.push_screen(EntryDetail(row, due=row.seq in self.due), done)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add":
            return not is_text_field(self.focused)
        return True

    # ---------------------------------------------------------------- actions

    async def _open_quick(self, *args: Any, **kwargs: Any) -> None:
        """The quick-entry bar, its fields mounted first if not yet (awaited: the keys typed right after
        the key that opens it reach its input)."""
        await self.quick.build()
        self.quick.open(*args, **kwargs)

    async def action_add(self) -> None:
        await self._open_quick()

    def action_decision(self) -> None:
        self.app.push_screen(DecisionForm(self.seam, self.clock, self.user), self._after_form)

    def _after_form(self, seq: int | None) -> None:
        if seq is not None:
            self.poll()
        self.table.focus()

    def action_correct(self) -> None:
        row = self.current()
        if row is None:
            self.app.notify("No entry selected to correct.", severity="warning", markup=False)
            return
        self.correct(row)

    def correct(self, row: LogRow) -> None:
        if row.kind in dlog.DECISION_KINDS:
            self.app.push_screen(DecisionForm(self.seam, self.clock, self.user, corrects=row), self._after_form)
        else:
            self.call_next(self._open_quick, corrects_seq=row.seq)

    async def action_review(self) -> None:
        row = self.current()
        if row is None or row.kind not in dlog.DECISION_KINDS:
            due = reviews_due(self.decisions, self.reviewed, self.clock.now())
            row = due[0] if due else None
        if row is None:
            self.app.notify("Select a decision to log its review.", severity="warning", markup=False)
            return
        await self._open_quick("review", reviews_seq=row.seq, text=review_text(row.seq))

    def action_filter(self) -> None:
        bar = self.query_one("#log-filterbar")
        bar.add_class("-open")
        inp = self.query_one("#log-filter", Input)
        inp.value = self.filter.source
        inp.cursor_position = len(inp.value)
        inp.focus()

    @on(Input.Submitted, "#log-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply_filter(event.value)

    def _area_refs(self, text: str):
        """The area list ``area:`` values are matched against: read with each load of the log and
        after each write it hears of (in the workers), never here on the UI thread."""
        if not text.strip():
            return None
        return self.area_refs

    def apply_filter(self, text: str) -> bool:
        """Parse and apply a filter; False (and an inline error) when it cannot be read."""
        err = self.query_one("#log-filter-error", Static)
        try:
            flt = parse_filter(text, today=london_date(self.clock.now()), areas=self._area_refs(text))
        except FilterError as exc:
            err.update(Text(f"Filter not applied: {exc}"))
            err.add_class("-shown")
            return False
        err.remove_class("-shown")
        self.query_one("#log-filterbar").remove_class("-open")
        self.filter = flt
        self.rows = {}
        self._relayout(force=True)
        self.reload()
        self.table.focus()
        return True

    def action_back(self) -> None:
        if self.quick.is_open:
            self.quick.action_cancel()
            return
        bar = self.query_one("#log-filterbar")
        if bar.has_class("-open"):
            bar.remove_class("-open")
            self.query_one("#log-filter-error").remove_class("-shown")
            self.table.focus()
            return
        if not self.filter.empty:
            self.apply_filter("")
            return
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.app.pop_screen()

    def action_reload(self) -> None:
        self.reload()

    # ---------------------------------------------------------------- quick entry

    @on(QuickEntry.Saved)
    def _saved(self, message: QuickEntry.Saved) -> None:
        self.poll()

    @on(QuickEntry.Closed)
    def _closed(self, _: QuickEntry.Closed) -> None:
        self.table.focus()


# --------------------------------------------------------------------------------------------------
# Wiring helpers
# --------------------------------------------------------------------------------------------------


def log_screen_for(app: App) -> LogScreen:
    """The app's log screen, installed as ``"log"`` on first use (from ``app.seam/clock/user``)."""
    if app.is_screen_installed(LOG_SCREEN_NAME):
        return app.get_screen(LOG_SCREEN_NAME)  # type: ignore[return-value]
    screen = LogScreen(app.seam, app.clock, app.user)  # type: ignore[attr-defined]
    app.install_screen(screen, LOG_SCREEN_NAME)
    return screen


def show_log(app: App, then: str | None = None) -> LogScreen:
    """Bring the log screen to the top; ``then``: ``"add"`` or ``"decision"`` once it shows. The first
    time, its first page is read before it opens (``SccApp.open_gathered``)."""
    fresh = not app.is_screen_installed(LOG_SCREEN_NAME)
    screen = log_screen_for(app)
    if fresh and hasattr(app, "open_gathered"):
        def make(loaded: Any, pending: bool) -> LogScreen:
            screen.pending_action = then
            screen.first = PENDING if pending else loaded
            return screen

        app.open_gathered(LogScreen, screen.first_read, make)
        return screen
    if app.screen is screen:
        if then == "add":
            screen.call_next(screen.action_add)
        elif then == "decision":
            screen.action_decision()
        return screen
    screen.pending_action = then
    if screen in app.screen_stack:
        while app.screen is not screen:
            app.pop_screen()
    else:
        app.push_screen(screen)
    return screen


def show_decision_form(app: App) -> None:
    """The decision form over the screen the person is on (the board, a detail…); on the log screen, its
    own (which re-reads after a save). Pushing the log screen first and the form on top cost a second
    screen's layout before the form showed. The form says "Decision logged as #N" when it saves."""
    if isinstance(app.screen, LogScreen):
        app.screen.action_decision()
    elif not isinstance(app.screen, DecisionForm):
        app.push_screen(DecisionForm(app.seam, app.clock, app.user))
